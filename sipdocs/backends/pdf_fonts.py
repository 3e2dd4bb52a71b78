"""Fonts in the finished PDF: subset tags from the subset's content, and the form fields' font.

Both run in the PDF backend's finisher, on WeasyPrint's pydyf objects before the file is written.

**Subset tags.** ISO 32000-1 §9.6.4 asks for a six-letter tag (``ABCDEF+Name``) that differs
between different subsets of a font. WeasyPrint 70 derives the tag from the MD5 of the Pango
font *description*, so every sipdocs PDF calls its regular subset ``OEGEOJ+SIP-Sans`` whatever
glyphs it holds, and a packet of six documents held six different font programs under one
name (viewers and printers may cache a font by name and draw one document's text with
another's glyphs). :func:`retag_subsets` derives the tag from a SHA-256 of the embedded font
program and writes it to the ``/FontName`` of the descriptor and the ``/BaseFont`` of the
font dictionaries (Type0 and CIDFont); the same program always gets the same tag, so output
stays deterministic.

**The form font.** A text field's ``/DA`` names the font fillers type with, and the AcroForm's
``/DR`` holds it. WeasyPrint points ``/DA`` at the field's own document font, a composite
Identity-H font, and embeds that font whole (6,253 glyphs, 460 KB for DejaVu Sans) — which
fillers still cannot use: pdftk writes ``.notdef`` boxes, pikepdf ``?`` and MuPDF an unembedded
Helvetica. The stylesheet gives text fields their own family, ``SIP Form Sans`` (DejaVu Sans cut
to the WinAnsi characters, ``scripts/build_form_font.py``), so the document's text font is
subset as usual and WeasyPrint embeds only that small font whole. :func:`form_font` turns
WeasyPrint's composite copy of it into a *simple* TrueType font with ``/WinAnsiEncoding`` —
what every filler can encode å ä ö é ü for — meeting PDF/A-2's rules for such fonts (embedded
program with a (3,1) Unicode cmap, non-symbolic flag, ``/Widths`` from the program's own
advance widths, a ``ToUnicode`` map). The composite copy's objects are rewritten in place:
pydyf numbers objects by their position and cannot leave one out of a file with object streams,
so dropping them would leave dead objects behind.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pydyf
from fontTools.ttLib import TTFont

from .pdf_objects import deref, part_bytes

FORM_FONT_FAMILY = "SIP Form Sans"
FORM_FONT_NAME = "SIPFormSans"  # /BaseFont: the whole cut-down font, so no subset tag
FORM_FONT_RESOURCE = "SIPForm"  # its name in /DR and in every text field's /DA
FIRST_CODE, LAST_CODE = 0x20, 0xFF
_NONSYMBOLIC = 1 << 5


def subset_tag(program: bytes) -> str:
    """Six capital letters derived from a font program's bytes (ISO 32000-1 §9.6.4)."""
    digest = hashlib.sha256(program).digest()
    return "".join(chr(65 + byte % 26) for byte in digest[:6])


def _program(pdf: Any, descriptor: Any) -> bytes | None:
    """The embedded font program of a font descriptor (uncompressed, as WeasyPrint made it)."""
    for key in ("FontFile2", "FontFile3", "FontFile"):
        stream = deref(pdf, descriptor.get(key))
        if isinstance(stream, pydyf.Stream):
            return b"".join(bytes(part_bytes(part)) for part in stream.stream)
    return None


def retag_subsets(pdf: Any) -> None:
    """Give every embedded subset a tag derived from its font program (see the module docstring)."""
    descriptors: dict[bytes, str] = {}
    for obj in _dictionaries(pdf):
        if obj.get("Type") != "/FontDescriptor":
            continue
        name = obj.get("FontName", "")
        name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        if not _is_tagged(name):
            continue
        program = _program(pdf, obj)
        if program is None:
            continue
        obj["FontName"] = f"/{subset_tag(program)}{name[7:]}"
        descriptors[obj.reference] = obj["FontName"]
    if not descriptors:
        return
    cid_names: dict[bytes, str] = {}
    for obj in _dictionaries(pdf):  # CIDFonts and simple fonts name their descriptor
        if obj.get("Type") == "/Font" and obj.get("FontDescriptor") in descriptors:
            obj["BaseFont"] = descriptors[obj["FontDescriptor"]]
            cid_names[obj.reference] = obj["BaseFont"]
    for obj in _dictionaries(pdf):  # Type0 fonts name their descendant
        if obj.get("Subtype") == "/Type0":
            kids: list[Any] = list(obj.get("DescendantFonts") or ())
            if len(kids) == 1 and kids[0] in cid_names:
                obj["BaseFont"] = cid_names[kids[0]]


def _dictionaries(pdf: Any) -> Iterator[Any]:
    """The PDF's dictionary objects (pydyf ``Dictionary``, a ``dict`` with a ``reference``)."""
    return (obj for obj in pdf.objects if isinstance(obj, dict))


def _is_tagged(name: str) -> bool:
    return len(name) > 8 and name[0] == "/" and name[7] == "+" and name[1:7].isalpha() and name[1:7].isupper()


# --- the form font -------------------------------------------------------------------------------

def winansi_text() -> dict[int, str]:
    """Code → character of the WinAnsi (Windows-1252) codes 0x20–0xFF that are assigned."""
    out = {}
    for code in range(FIRST_CODE, LAST_CODE + 1):
        try:
            out[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return out


@functools.lru_cache(maxsize=4)
def _winansi_metrics(program: bytes) -> tuple[tuple[float, ...], tuple[tuple[int, str], ...]]:
    """``/Widths`` (FirstChar 0x20 … LastChar 0xFF, 1/1000 em) and the codes the program draws."""
    font = TTFont(io.BytesIO(program), lazy=True)
    cmap = font.getBestCmap()
    advances = font["hmtx"].metrics
    scale = 1000 / font["head"].unitsPerEm
    text = winansi_text()
    widths = []
    drawn = []
    for code in range(FIRST_CODE, LAST_CODE + 1):
        glyph = cmap.get(ord(text[code])) if code in text else None
        if glyph is None:
            widths.append(0.0)
            continue
        widths.append(round(advances[glyph][0] * scale, 3))
        drawn.append((code, text[code]))
    return tuple(widths), tuple(drawn)


def _to_unicode_lines(drawn: tuple[tuple[int, str], ...]) -> list[bytes]:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<00> <ff>", b"endcodespacerange"]
    for start in range(0, len(drawn), 100):
        batch = drawn[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{code:02x}> <{char.encode('utf-16-be').hex()}>".encode() for code, char in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return lines


def form_font(pdf: Any, fallback_program: bytes) -> Any:
    """The AcroForm's ``/DR``: the form font as a simple WinAnsi TrueType font.

    WeasyPrint's composite copy of ``SIP Form Sans`` (the text fields' family) is rewritten in
    place when no content stream draws with it. Otherwise — the family is also used for page
    text, or a pack's stylesheet gave the fields another family — a simple font is added beside
    it, from the same embedded program or, failing that, from ``fallback_program`` (the national
    pack's font file). Returns the ``/DR`` dictionary, already part of ``pdf``.
    """
    found = _composite_form_font(pdf)
    if found is not None:
        type0, cidfont, descriptor, to_unicode, program, resource_name = found
        if not _drawn_with(pdf, resource_name):
            for fonts in _page_font_dictionaries(pdf):
                fonts.pop(resource_name, None)
            return _rewrite_as_simple_font(type0, cidfont, descriptor, to_unicode, program)
        program_ref = descriptor["FontFile2"]
    else:
        program = fallback_program
        stream = pydyf.Stream([program], pydyf.Dictionary({"Length1": len(program)}), compress=True)
        pdf.add_object(stream)
        program_ref = stream.reference
    widths, drawn = _winansi_metrics(program)
    to_unicode = pydyf.Stream(_to_unicode_lines(drawn), compress=True)
    pdf.add_object(to_unicode)
    descriptor = pydyf.Dictionary(_descriptor_entries(program, program_ref))
    pdf.add_object(descriptor)
    font = pydyf.Dictionary(_simple_font_entries(widths, descriptor.reference, to_unicode.reference))
    pdf.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({FORM_FONT_RESOURCE: font.reference})})
    pdf.add_object(resources)
    return resources


def _composite_form_font(pdf: Any) -> tuple[Any, Any, Any, Any, bytes, str] | None:
    """WeasyPrint's Type0 font for ``SIP Form Sans``: (Type0, CIDFont, descriptor, ToUnicode,
    program, resource name), or None."""
    for descriptor in _dictionaries(pdf):
        if descriptor.get("Type") != "/FontDescriptor":
            continue
        family = descriptor.get("FontFamily")
        if str(getattr(family, "string", family)) != FORM_FONT_FAMILY or "FontFile2" not in descriptor:
            continue
        cidfonts = [o for o in _dictionaries(pdf) if o.get("Type") == "/Font"
                    and o.get("FontDescriptor") == descriptor.reference]
        type0s = [o for o in _dictionaries(pdf) if o.get("Subtype") == "/Type0"
                  and len(cidfonts) == 1 and list(o.get("DescendantFonts") or ()) == [cidfonts[0].reference]]
        if len(type0s) != 1:
            continue
        to_unicode = deref(pdf, type0s[0].get("ToUnicode"))
        program = _program(pdf, descriptor)
        names = [name for fonts in _page_font_dictionaries(pdf) for name, ref in fonts.items()
                 if ref == type0s[0].reference]
        if isinstance(to_unicode, pydyf.Stream) and program and len(set(names)) == 1:
            return type0s[0], cidfonts[0], descriptor, to_unicode, program, names[0]
    return None


def _page_font_dictionaries(pdf: Any) -> list[Any]:
    """The ``/Font`` dictionaries of the pages' resources (WeasyPrint shares one)."""
    out: list[Any] = []
    for page in _pages(pdf):
        resources = deref(pdf, page.get("Resources"))
        fonts = deref(pdf, resources.get("Font")) if isinstance(resources, dict) else None
        if isinstance(fonts, dict) and all(fonts is not seen for seen in out):
            out.append(fonts)
    return out


def _pages(pdf: Any) -> list[Any]:
    kids = pdf.pages.get("Kids", [])
    refs = [b"%d 0 R" % number for number in kids[::3]] if kids and isinstance(kids[0], int) else kids
    return [page for page in (deref(pdf, ref) for ref in refs) if isinstance(page, dict)]


def _drawn_with(pdf: Any, resource_name: str) -> bool:
    """Whether a content stream (a page's or a form XObject's) selects the font ``resource_name``."""
    needle = f"/{resource_name} ".encode()
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or "Length1" in obj.extra or obj.extra.get("Subtype") == "/Image":
            continue
        if any(isinstance(part, bytes) and needle in part and part.endswith(b" Tf") for part in obj.stream):
            return True
    return False


def _rewrite_as_simple_font(type0: Any, cidfont: Any, descriptor: Any, to_unicode: Any,
                            program: bytes) -> Any:
    """WeasyPrint's Type0 → the simple font, its CIDFont → the ``/DR``, its descriptor and
    ToUnicode → the simple font's (see the module docstring)."""
    widths, drawn = _winansi_metrics(program)
    to_unicode.stream[:] = _to_unicode_lines(drawn)
    entries = _descriptor_entries(program, descriptor["FontFile2"])
    descriptor.clear()
    descriptor.update(entries)
    font = _simple_font_entries(widths, descriptor.reference, to_unicode.reference)
    type0.clear()
    type0.update(font)
    cidfont.clear()
    cidfont["Font"] = pydyf.Dictionary({FORM_FONT_RESOURCE: type0.reference})
    return cidfont


def _descriptor_entries(program: bytes, program_ref: Any) -> dict[str, Any]:
    metrics = _font_box(program)
    return {
        "Type": "/FontDescriptor", "FontName": f"/{FORM_FONT_NAME}",
        "FontFamily": pydyf.String(FORM_FONT_FAMILY), "Flags": _NONSYMBOLIC,
        "FontBBox": pydyf.Array(metrics["bbox"]), "ItalicAngle": 0,
        "Ascent": metrics["ascent"], "Descent": metrics["descent"], "CapHeight": metrics["cap_height"],
        "StemV": 80, "FontFile2": program_ref,
    }


def _simple_font_entries(widths: tuple[float, ...], descriptor_ref: Any, to_unicode_ref: Any) -> dict[str, Any]:
    return {
        "Type": "/Font", "Subtype": "/TrueType", "BaseFont": f"/{FORM_FONT_NAME}",
        "FirstChar": FIRST_CODE, "LastChar": LAST_CODE, "Widths": pydyf.Array(widths),
        "Encoding": "/WinAnsiEncoding", "FontDescriptor": descriptor_ref, "ToUnicode": to_unicode_ref,
    }


@functools.lru_cache(maxsize=4)
def _font_box(program: bytes) -> dict[str, Any]:
    font = TTFont(io.BytesIO(program), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    head, os2 = font["head"], font["OS/2"]
    return {
        "bbox": tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        "ascent": round(font["hhea"].ascent * scale),
        "descent": round(font["hhea"].descent * scale),
        "cap_height": round(getattr(os2, "sCapHeight", 0) * scale) or round(font["hhea"].ascent * scale),
    }
