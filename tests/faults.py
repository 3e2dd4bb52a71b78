"""Real fault environments for tests: a tiny (full) tmpfs and a read-only tmpfs.

Mounting needs root with CAP_SYS_ADMIN (true on the CI machines and in `make test` as
root). Where mounting is not permitted the helpers fall back to simulating the same
``OSError`` from the write call, so the assertions still run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _mount(target: Path, options: str) -> bool:
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                            capture_output=True)
    return result.returncode == 0


def fail_writes(monkeypatch, code: int) -> None:
    """Make every ``os.fdopen(...).write`` raise ``OSError(code)`` (simulated fault)."""
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, fd, mode="r", *a, **k):
            self.fh = real_fdopen(fd, mode, *a, **k)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(code, os.strerror(code))

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(os, "fdopen", Failing)


@contextlib.contextmanager
def fault_folder(kind: str, monkeypatch) -> Iterator[tuple[Path, bool]]:
    """Yield (folder, real) where writing fails: ``kind`` is ``"full"`` or ``"read_only"``."""
    folder = Path(tempfile.mkdtemp(prefix=f"sipdocs-{kind}-"))
    options = "size=16k" if kind == "full" else "ro,size=16k"
    real = os.geteuid() == 0 and _mount(folder, options)
    try:
        if real and kind == "full":
            # fill it up completely
            with open(folder / "filler", "wb") as fh:
                try:
                    fh.write(b"\0" * 64 * 1024)
                except OSError:
                    pass
        if not real:
            fail_writes(monkeypatch, errno.ENOSPC if kind == "full" else errno.EROFS)
        yield folder, real
    finally:
        if real:
            subprocess.run(["umount", str(folder)], capture_output=True)
        with contextlib.suppress(OSError):
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
