"""Deterministic zip archives: fixed timestamps and a given entry order, so the same entries
always give the same bytes.

Shared by the Word files (a ``.docx`` is a zip), the Word templates built from layouts, and
the zip of a bulk run's results.
"""

from __future__ import annotations

import io
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with fixed timestamps and the given entry order ([Content_Types].xml first)."""
    entries = sorted(entries, key=lambda e: (e[0] != "[Content_Types].xml", ))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()
