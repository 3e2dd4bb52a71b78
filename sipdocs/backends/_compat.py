"""The switch and the version gate for the fast paths that reach into a dependency's internals.

A *fast path* is a speed-up that uses names a dependency does not promise to keep: an
attribute or method starting with ``_``, a class swapped on an object the library made, a
constructor bypassed, a method called outside the library. Each dependency's fast paths are
declared — with the private names they touch and the versions they were verified on — in
one compatibility module per dependency (``_weasyprint_compat``, ``_docxtpl_compat``; pydyf
and python-docx are used through their public API only); nothing else in sipdocs touches
those names.

A fast path is taken when all of these hold:

1. the switch is on: ``RenderOptions(fast_paths=True)`` (the default), the environment
   variable ``SIPDOCS_FAST_PATHS`` is not ``0`` (or ``false``, ``no``, ``off``), and the fast
   path is not named in ``SIPDOCS_FAST_PATHS_OFF`` (a comma-separated list, for the bench and
   for telling which one a problem comes from);
2. the installed version of the dependency is inside the range the fast path was verified
   on;
3. the names and signatures it needs are there (checked once per process, when first asked).

Otherwise sipdocs renders through the dependency's public API. When (2) or (3) fails, one
warning per fast path and process goes to the ``sipdocs.compat`` logger, naming the fast
path, the version and what differs — never anything from a document. A switch turned off
logs nothing: it was asked for.
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

LOG = logging.getLogger("sipdocs.compat")
ENV_SWITCH = "SIPDOCS_FAST_PATHS"
ENV_OFF = "SIPDOCS_FAST_PATHS_OFF"
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class FastPath:
    """One fast path: what it touches in which dependency, verified on which versions.

    :param name: ``<dependency>.<fast path>``, as ``SIPDOCS_FAST_PATHS_OFF`` names it.
    :param distribution: the dependency's distribution name (``importlib.metadata``).
    :param verified: the lowest version verified and the first version *not* verified
        (``("70.0", "71")``: every 70.x).
    :param touches: the private names and calling conventions it relies on.
    :param probe: None when every name and signature is as verified, else what differs.
    """

    name: str
    distribution: str
    verified: tuple[str, str]
    touches: tuple[str, ...]
    probe: Callable[[], str | None]

    @property
    def range_text(self) -> str:
        return f">={self.verified[0]},<{self.verified[1]}"


_lock = threading.Lock()
_verdicts: dict[str, str | None] = {}  # fast path name -> None (usable) or why not


def switched_on(fast_paths: bool = True) -> bool:
    """Whether fast paths may be taken at all: the option and ``SIPDOCS_FAST_PATHS``."""
    return fast_paths and os.environ.get(ENV_SWITCH, "1").strip().lower() not in _FALSE


def usable(path: FastPath, fast_paths: bool = True) -> bool:
    """Whether ``path`` is taken: switched on, and verified for what is installed (see above)."""
    if not switched_on(fast_paths) or path.name in _turned_off():
        return False
    if path.name not in _verdicts:
        with _lock:
            if path.name not in _verdicts:
                reason = _check(path)
                _verdicts[path.name] = reason
                if reason is not None:
                    _warn(path, reason)
    return _verdicts[path.name] is None


def mismatch(path: FastPath, reason: str) -> None:
    """Turn ``path`` off for the rest of the process: a check made while rendering failed
    (an object the dependency made lacks what the fast path reads). Warns once."""
    with _lock:
        if _verdicts.get(path.name) is None:  # usable, or not asked yet: now off, and said so
            _verdicts[path.name] = reason
            _warn(path, reason)


def reset() -> None:
    """Forget every verdict, so the next question checks again and may warn again (tests)."""
    with _lock:
        _verdicts.clear()


def installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def version_tuple(version: str) -> tuple[int, ...]:
    """``"70"`` → ``(70, 0, 0)``; ``"0.13.0rc1"`` → ``(0, 13, 0)`` (a pre-release counts as its release)."""
    parts = []
    for piece in version.split("."):
        match = re.match(r"\d+", piece)
        if match is None:
            break
        parts.append(int(match.group()))
        if match.end() != len(piece):
            break
    return tuple(parts + [0] * (3 - len(parts)))


def in_range(version: str, verified: tuple[str, str]) -> bool:
    low, high = (version_tuple(v) for v in verified)
    return low <= version_tuple(version) < high


def _check(path: FastPath) -> str | None:
    version = installed_version(path.distribution)
    if version is None:
        return f"{path.distribution} is not installed as a distribution"
    if not in_range(version, path.verified):
        return f"{path.distribution} {version} is outside the verified range {path.range_text}"
    try:
        found = path.probe()
    except Exception as exc:
        found = f"the probe failed ({type(exc).__name__})"
    return None if found is None else f"{path.distribution} {version}: {found}"


def _warn(path: FastPath, reason: str) -> None:
    LOG.warning("sipdocs fast path %s is off: %s; rendering through the public API instead "
                "(README: 'Upgrading WeasyPrint, pydyf or docxtpl')", path.name, reason)


def _turned_off() -> frozenset[str]:
    return frozenset(name.strip() for name in os.environ.get(ENV_OFF, "").split(",") if name.strip())


def parameters(function: object) -> list[str]:
    """The parameter names of ``function`` (a probe's signature check)."""
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]
