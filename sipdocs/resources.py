"""Where sipdocs finds its data: the JSON Schemas and the template packs.

In an installed wheel both live in ``sipdocs/_data/`` (force-included at build time);
in a source checkout they are the top-level ``schemas/`` and ``forms/`` folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The folder that holds ``schemas/`` and ``forms/``."""
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "schemas").is_dir():
        return bundled
    return _PACKAGE_DIR.parent


def schemas_dir() -> Path:
    return data_root() / "schemas"


def forms_dir() -> Path:
    return data_root() / "forms"
