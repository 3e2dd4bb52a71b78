"""Writing results to disk: file names and atomic writes. The only module that writes files.

A file appears at its final path complete or not at all: data goes to a temporary file
in the same folder, is flushed and fsynced, then linked into place (``os.link`` fails
if the name exists, so nothing is overwritten without ``force``) or, with ``force``,
renamed over the old file (``os.replace`` is atomic on POSIX).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import OutputError, OutputExistsError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Files get the usual permissions (0666 minus the umask), not mkstemp's private 0600.
_FILE_MODE = 0o666 & ~_current_umask()
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
MAX_NAME = 150


def sanitize_name(name: str) -> str:
    """A safe single file-name component: no separators, no ``..``, no control characters."""
    cleaned = _UNSAFE.sub("_", name).strip()
    cleaned = re.sub(r"\.{2,}", ".", cleaned).strip(". ")
    cleaned = re.sub(r"\s+", " ", cleaned)
    return cleaned[:MAX_NAME] or "document"


def format_name(pattern: str, fields: Mapping[str, str | None]) -> str:
    """Fill a name pattern like ``"{kind}-{case_id}-{date}"``; each value is sanitised.

    :raises OutputError: unknown field in the pattern (``output.bad_pattern``).
    """
    safe = {k: sanitize_name(v) if v else "" for k, v in fields.items()}
    try:
        name = pattern.format_map(safe)
    except (KeyError, IndexError, ValueError) as exc:
        raise OutputError.from_code("output.bad_pattern", pattern=pattern, fields=", ".join(sorted(fields))) from exc
    return sanitize_name(name)


def exists_error(paths: list[Path]) -> OutputExistsError:
    """``output.exists`` naming the files (their names only) that are in the way."""
    names = ", ".join(p.name for p in paths)
    return OutputExistsError.from_code("output.exists", names=names,
                                       details={"file": paths[0].name, "files": [p.name for p in paths]})


def atomic_write(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite unless ``force``.

    :raises OutputError: ``output.exists``, ``output.read_only``, ``output.disk_full`` or
        ``output.write_failed``. A failed write leaves no file behind.
    """
    target = Path(path)
    folder = target.parent
    if not force and target.exists():
        raise exists_error([target])
    tmp_name = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".part", dir=folder)
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp_name, target)
        else:
            os.link(tmp_name, target)
            os.unlink(tmp_name)
        tmp_name = None
        _fsync_dir(folder)
    except FileExistsError as exc:
        raise exists_error([target]) from exc
    except OSError as exc:
        raise map_os_error(exc, target) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def map_os_error(exc: OSError, target: Path) -> OutputError:
    """The :class:`OutputError` (disk full, read-only, other) for a failed write of ``target``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError.from_code("output.disk_full", file=target.name, details={"file": target.name})
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError.from_code("output.read_only", folder=target.parent, details={"folder": str(target.parent)})
    return OutputError.from_code("output.write_failed", file=target.name, reason=exc.strerror,
                                 details={"file": target.name})
