"""The public library API: it wires the pipeline steps together.

``inputs → validation → context → render (docx | pdf) → postprocess → output``

Only this module composes the steps; the CLI and bulk rendering call these functions.
Heavy libraries (docxtpl, WeasyPrint, pypdf, spreadsheet readers) are imported only
by the code paths that need them, so ``validate`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from .inputs import load_input
from .packs import Pack, iter_packs, load_pack
from .validation import ValidationResult
from .validation import validate as _validate

InputSource = Mapping[str, Any] | str | os.PathLike[str] | bytes

__all__ = ["validate", "list_packs", "load_pack"]


def validate(source: InputSource, pack: str | Pack | None = None, *, kind: str | None = None,
             debug: bool = False) -> ValidationResult:
    """Validate an input (mapping, JSON/YAML file path or bytes) against schema and rules.

    Returns a :class:`~sipdocs.validation.ValidationResult`; bad *content* never raises.

    :raises InputError: the file cannot be read or parsed.
    :raises PackError: the pack is unknown or broken.
    """
    data = load_input(source)
    return _validate(data, pack, kind=kind, debug=debug)


def list_packs() -> list[Pack]:
    """Every pack on the search path (``SIPDOCS_PACKS``, then the bundled ones)."""
    return list(iter_packs())


def source_name(source: InputSource) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return None
