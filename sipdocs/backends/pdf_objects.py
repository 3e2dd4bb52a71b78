"""Small helpers for the pydyf objects a WeasyPrint finisher edits (shared by the PDF modules)."""

from __future__ import annotations

from typing import Any


def deref(objects: Any, ref: Any) -> Any:
    """The pydyf object behind a reference (``b"12 0 R"``), or None.

    :param objects: ``pdf.objects`` (or the ``pydyf.PDF`` itself).
    """
    if ref is None:
        return None
    objects = getattr(objects, "objects", objects)
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    try:
        return objects[int(str(ref).split()[0])]
    except (ValueError, IndexError):
        return None


def part_bytes(part: Any) -> bytes:
    """The bytes of one part of a stream (WeasyPrint's lazy image data or plain bytes)."""
    data: bytes = part.data if hasattr(part, "data") else part
    return data
