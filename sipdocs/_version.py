"""The installed version of sipdocs (importlib.metadata is slow to load, so it loads on the first call)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import PackageNotFoundError  # start-up: importlib.metadata costs ~10 ms
    from importlib.metadata import version as _version

    try:
        return _version("sipdocs")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+source"
