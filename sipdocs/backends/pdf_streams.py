"""PDF streams as the finisher leaves them: compressed at zlib level 6, each ending unambiguously.

Runs last in the PDF backend's finisher, on WeasyPrint's pydyf objects, through pydyf's
public ``Stream`` attributes (``stream``, ``extra``, ``compress``).

**Level 6.** Each stream WeasyPrint asked pydyf to compress is compressed here and handed to
pydyf as already-filtered data, since how its data ends must be seen (below). pydyf would use
zlib level 9; level 6 saves 3 ms on the bench invitation for a file 0.7 % larger.

**Stream ends.** pydyf writes ``data LF endstream``; data that happens to end with CR (0x0D)
then reads as ``CR LF endstream``, and a PDF/A checker that takes that CR LF for the
end-of-line marker counts one byte less than ``/Length`` (PDFA2A-STREAM-LENGTH-001). Flate
data ends with the Adler-32 checksum of its content, so about one compressed stream in 256
does. Such a stream's content gets a line break at its end (content streams, form XObjects,
character maps; a font program after its last table, ``/Length1`` updated) — nothing drawn or
read — so that its compressed data no longer ends with CR; data that cannot be
padded (an image, a colour profile) is written as hexadecimal digits, which end with ``>``,
under an ``ASCIIHexDecode`` filter in front of its own. The object stream and the
cross-reference stream that pydyf makes while writing are checked by the backend after
writing (:func:`ends_unambiguously`); see ``PdfBackend.write``.
"""

from __future__ import annotations

import binascii
import zlib
from typing import Any

import pydyf

LEVEL = 6
_CR = b"\r"


def finish_streams(pdf: Any) -> None:
    """Compress every stream that pydyf would compress, at :data:`LEVEL`, and make every
    stream's data end with something other than CR (see the module docstring)."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream):
            continue
        if obj.compress:
            extra = dict(obj.extra)
            content = stream_content(obj)
            packed = zlib.compress(content, LEVEL)
            while packed.endswith(_CR) and _paddable(extra):
                content = _pad(extra, content)
                packed = zlib.compress(content, LEVEL)
            obj.stream = [packed]
            obj.extra = pydyf.Dictionary({**extra, "Filter": "/FlateDecode"})
            obj.compress = False
        if _last_byte(obj) == _CR:
            _as_hexadecimal(obj)


def ends_unambiguously(pdf_bytes: bytes) -> bool:
    """Whether no stream of a written PDF ends with CR before its ``LF endstream``."""
    return b"\r\nendstream" not in pdf_bytes


def stream_content(stream: Any) -> bytes:
    """The bytes pydyf writes for a stream's content: its items joined by line feeds."""
    return b"\n".join(_item_bytes(item) for item in stream.stream)


def _item_bytes(item: Any) -> bytes:
    """One item of a stream as pydyf serialises it (an ``Array`` of one item is ``[item]``)."""
    return item if isinstance(item, bytes) else bytes(pydyf.Array((item,)).data[1:-1])


def _paddable(extra: dict[str, Any]) -> bool:
    return not ("DecodeParms" in extra or extra.get("Type") in ("/Metadata", "/XRef", "/ObjStm")
                or extra.get("Subtype") == "/Image" or "N" in extra)  # images, colour profiles


def _pad(extra: dict[str, Any], content: bytes) -> bytes:
    """``content`` and a line feed: the Adler-32 sum's low byte, the data's last, changes by 10
    (a zero byte would not change it at all)."""
    if "Length1" in extra:  # a font program: the byte after its last table is not read
        extra["Length1"] = len(content) + 1
    return content + b"\n"


def _last_byte(stream: Any) -> bytes:
    """The last byte of :func:`stream_content`, without joining the content."""
    if not stream.stream:
        return b""
    last = _item_bytes(stream.stream[-1])
    return last[-1:] if last else b"\n" if len(stream.stream) > 1 else b""


def _as_hexadecimal(stream: Any) -> None:
    """The same data under an ``ASCIIHexDecode`` filter in front of its own filters (the
    hexadecimal digits end with ``>``, so the data no longer ends with CR)."""
    extra = stream.extra
    filters = extra.get("Filter")
    filters = [] if filters is None else list(filters) if isinstance(filters, list) else [filters]
    parms = extra.get("DecodeParms")
    parms = None if parms is None else list(parms) if isinstance(parms, list) else [parms]
    stream.stream = [binascii.hexlify(stream_content(stream)) + b">"]
    stream.extra = pydyf.Dictionary({**extra, "Filter": pydyf.Array(["/ASCIIHexDecode", *filters])})
    if parms is not None:
        stream.extra["DecodeParms"] = pydyf.Array(["null", *parms])
    stream.compress = False
