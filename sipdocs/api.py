"""The public library API: it wires the pipeline steps together.

``inputs → validation → context → render (docx | pdf) → postprocess → output``

Only this module composes the steps; the CLI and bulk rendering call these functions.
Heavy libraries (docxtpl, WeasyPrint, pypdf, spreadsheet readers) are imported only
by the code paths that need them, so ``validate`` stays fast.
"""

from __future__ import annotations

from .inputs import InputSource, load_input, source_label
from .inputs import loads as loads
from .packs import Pack, iter_packs, load_pack
from .validation import ValidationResult
from .validation import validate as _validate

__all__ = ["validate", "loads", "list_packs", "load_pack", "InputSource"]


def validate(source: InputSource, pack: str | Pack | None = None, *, kind: str | None = None,
             debug: bool = False) -> ValidationResult:
    """Validate an input against schema and rules.

    ``source`` is a mapping (Python values such as ``datetime.date`` are fine), JSON/YAML
    text (``str`` starting with ``{`` or holding a line break, or ``bytes``), a file path
    or a file object; see :mod:`sipdocs.inputs`. Returns a
    :class:`~sipdocs.validation.ValidationResult`; bad *content* never raises.

    :raises InputError: the file cannot be read or the text parsed (the message never
        contains the input).
    :raises PackError: the pack is unknown or broken.
    """
    data = load_input(source, debug=debug)
    return _validate(data, pack, kind=kind, debug=debug)


def list_packs() -> list[Pack]:
    """Every pack on the search path (``SIPDOCS_PACKS``, then the bundled ones)."""
    return list(iter_packs())


def source_name(source: InputSource) -> str | None:
    """The file name errors may show for ``source`` (``None`` for text, bytes and mappings)."""
    return source_label(source)
