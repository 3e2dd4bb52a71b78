"""Reading produced documents back in tests: text of .docx and .pdf, images, metadata."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from functools import cache
from typing import Any

from lxml import etree

from sipdocs.domain import PROTECTED_CONTACT_FIELDS, is_protected
from sipdocs.schemas import subschema

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def docx_text(data: bytes) -> str:
    """All visible text of a .docx (body, headers, footers), line breaks as newlines."""
    chunks = []
    for name, blob in sorted(docx_parts(data).items()):
        if not _PARTS.match(name):
            continue
        root = etree.fromstring(blob)
        for p in root.iter(f"{{{W}}}p"):
            line = []
            for el in p.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab", f"{{{W}}}cr"):
                tag = etree.QName(el).localname
                if tag == "t":
                    line.append(el.text or "")
                elif tag in ("br", "cr"):
                    line.append("\n")
                else:
                    line.append("\t")
            chunks.append("".join(line))
    return "\n".join(chunks)


def docx_images(data: bytes) -> list[tuple[str, bytes]]:
    """(alt text, png) for every picture in the document body and headers."""
    parts = docx_parts(data)
    found = []
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    for name, blob in parts.items():
        if not _PARTS.match(name):
            continue
        folder, _, file = name.rpartition("/")
        rels_blob = parts.get(f"{folder}/_rels/{file}.rels")
        rels = {}
        if rels_blob:
            for rel in etree.fromstring(rels_blob):
                rels[rel.get("Id")] = rel.get("Target")
        root = etree.fromstring(blob)
        for inline in root.iter(f"{{{ns['wp']}}}inline"):
            alt = inline.find("wp:docPr", ns).get("descr")
            rid = inline.find(".//a:blip", ns).get(f"{{{ns['r']}}}embed")
            target = rels[rid]
            found.append((alt, parts[f"{folder}/{target}"]))
    return found


def pdf_text(data: bytes) -> str:
    """Text of a PDF via poppler's pdftotext (the reader the issue names)."""
    # -raw: content-stream order, so each table cell stays together (the default reading
    # order interleaves narrow columns line by line)
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                            check=True)
    return dehyphenate(result.stdout.decode("utf-8"))


def dehyphenate(text: str) -> str:
    """Words hyphenated at a line end made whole again: WeasyPrint draws the hyphen it adds
    as U+2010 (a hyphen in the text itself, as in "SIP-mötet", is U+002D and is kept)."""
    return text.replace("\u2010\n", "")


def pdf_body_text(data: bytes) -> str:
    """Text of the page bodies only (the running header and footer cropped away), so a long
    value that continues on the next page reads as one piece."""
    # A4 in points: 595 × 842; the stylesheet's top and bottom margins are 23 and 22 mm (65 and
    # 62 pt), the header ends 2.5 mm above the body and the footer starts 2.5 mm below it
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-x", "0", "-y", "62", "-W", "596",
                             "-H", "721", "-", "-"], input=data, capture_output=True, check=True)
    return dehyphenate(result.stdout.decode("utf-8"))


_INVISIBLE = re.compile("[\u00ad\u200b-\u2010\u202a-\u202e\u2060-\u2069\ufeff-]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def pdf_normalise(text: str) -> str:
    """What a PDF's text can carry: no whitespace layout, no invisible format characters
    (zero-width spaces, direction marks, soft hyphens), no hyphens at line ends, and
    compatibility forms folded (Arabic presentation forms from fully embedded fonts)."""
    import unicodedata

    return _INVISIBLE.sub("", squash(unicodedata.normalize("NFKC", text)))


@cache
def _header_labels() -> tuple[str, ...]:
    """Table header texts, which repeat on every page a long table row continues onto."""
    from sipdocs.packs import load_pack

    labels = set()
    for lang in ("sv", "en"):
        t = load_pack("national").catalogue(lang)
        labels.update(t["label"].values())
        for section in t.values():
            if isinstance(section, dict):
                labels.update(v for k, v in section.items() if k.startswith("col_") and isinstance(v, str))
    return tuple(sorted((pdf_normalise(v) for v in labels if v), key=len, reverse=True))


def _pdf_haystack(text: str) -> str:
    # list bullets are drawn in their own pass and land between the lines of a long value
    return pdf_normalise(text.replace("•", ""))


def _pdf_logical_text(data: bytes) -> str:
    """pypdf's extraction, normalised: right-to-left runs and the numbers beside them come
    out in logical order (visual extraction reorders them by bidi)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return pdf_normalise(" ".join(p.extract_text() for p in reader.pages))


def _strip_labels(text: str) -> str:
    for label in _header_labels():
        text = text.replace(label, "")
    return text


def pdf_missing(data: bytes, values: list[str]) -> list[str]:
    """Values not found in the PDF's text.

    Right-to-left runs are stored in visual order in PDF content, so readers disagree
    about their character order (pdftotext even splits lam-alef ligatures); for values
    with RTL text each word must appear in pypdf's extraction instead.
    """
    body = _pdf_haystack(pdf_body_text(data))
    full = logical = body_unlabelled = None  # further extractions, made once when first needed
    missing = []
    for value in values:
        if _RTL.search(value):
            logical = logical if logical is not None else _pdf_logical_text(data)
            words = [w for w in re.split(r"[\s()]+", value) if w]
            if not all(pdf_normalise(w) in logical for w in words):
                missing.append(value)
        elif pdf_normalise(value) not in body:
            full = full if full is not None else _pdf_haystack(pdf_text(data))  # header and footer fields
            if pdf_normalise(value) not in full:
                # a value in a table cell broken over pages: the repeated header row lands inside it
                body_unlabelled = body_unlabelled if body_unlabelled is not None else _strip_labels(body)
                if _strip_labels(pdf_normalise(value)) in body_unlabelled:
                    continue
                logical = logical if logical is not None else _pdf_logical_text(data)
                if pdf_normalise(value) not in logical:
                    missing.append(value)
    return missing


def evaluation_shown(kind: str, data: dict[str, Any]) -> bool:
    """Whether the input's pack prints evaluation QR codes on this kind."""
    from sipdocs.packs import load_pack

    return load_pack(data.get("pack") or "national").evaluation_on(kind)


def squash(text: str) -> str:
    """Text without any whitespace (line wrapping and table layout differ between readers)."""
    return re.sub(r"\s+", "", text)


def _is_free_text(kind: str, path: tuple) -> bool:
    node = subschema(kind, path)
    if node is None:
        return True
    if "enum" in node or "const" in node or node.get("format") in ("date",):
        return False
    if str(node.get("pattern", "")).startswith("^([01]"):  # time of day
        return False
    return True


def expected_strings(kind: str, data: dict[str, Any], *, evaluation: bool = True) -> list[str]:
    """Every free-text string of an input that must appear in the document.

    Skipped: enum codes and dates (printed as labels / formatted), the fields of a person
    with protected identity that must NOT appear, ``kind``/``pack``/``lang``, and evaluation
    links when the pack prints no evaluation for this kind or the actor was not at the meeting.
    """
    out: list[str] = []

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            protected = is_protected(node)
            for key, value in node.items():
                if not path and key in ("kind", "pack", "lang", "document_date"):
                    continue
                if (protected and key in PROTECTED_CONTACT_FIELDS) or key == "actor_ref":
                    continue
                # interpreters are listed where one is booked: the meeting and the consent
                if key == "interpreter" and kind in ("closure", "intake_note"):
                    continue
                # evaluation QR codes are for the actors who took part in the meeting
                if key == "evaluation_url" and (not evaluation or path[:1] in (("absent",), ("new_actors_to_invite",))):
                    continue
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))
        elif isinstance(node, str):
            if path and path[-1] == "personal_number":
                from sipdocs.idnumbers import parse_id_number

                out.append(parse_id_number(node).normalized)
            elif _is_free_text(kind, path):
                out.append(node)

    walk(data, ())
    return out


def iter_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in an input, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from iter_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_objects(value)


def protected_secrets(data: dict[str, Any]) -> list[str]:
    """Address/phone/e-mail values of protected persons (must appear nowhere)."""
    return [str(obj[k]) for obj in iter_objects(data) if is_protected(obj)
            for k in PROTECTED_CONTACT_FIELDS if k in obj]


def missing_from(text: str, values: list[str]) -> list[str]:
    haystack = squash(text)
    return [v for v in values if squash(v) and squash(v) not in haystack]


def iter_xml_parts(data: bytes) -> Iterator[tuple[str, bytes]]:
    for name, blob in docx_parts(data).items():
        if name.endswith((".xml", ".rels")):
            yield name, blob


def pdf_alt_texts(data: bytes) -> list[str]:
    """/Alt texts of the PDF's structure elements (figures: logo, QR codes)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(obj.Alt) for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj]


def pdf_image_sizes(data: bytes) -> list[tuple[int, int]]:
    """(width, height) in pixels of every image XObject."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [(int(obj.Width), int(obj.Height)) for obj in pdf.objects
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]


def _tree_signature(element: Any) -> tuple:
    """An element as (tag, attributes, text, children, tail), comments dropped and the text
    around them joined (what WeasyPrint sees either way)."""
    text = element.text or ""
    children: list[tuple] = []
    for child in element:
        if isinstance(child.tag, str):
            children.append(_tree_signature(child))
        elif children:  # a comment: its tail belongs to the previous element's tail
            tag, attrib, ctext, grand, tail = children[-1]
            children[-1] = (tag, attrib, ctext, grand, tail + (child.tail or ""))
        else:
            text += child.tail or ""
    return (element.tag, tuple(sorted(element.attrib.items())), text, tuple(children), element.tail or "")


def parsers_disagree(source: str) -> str | None:
    """Where sipdocs' Lexbor tree differs from WeasyPrint's own (tinyhtml5) tree, or None."""
    import tinyhtml5

    from sipdocs.backends.html_tree import _lexbor_tree

    reference = tinyhtml5.parse(source, namespace_html_elements=False)
    reference = reference if hasattr(reference, "tag") else reference.getroot()
    fast = _lexbor_tree(source)
    if fast is None:
        return "Lexbor could not parse the source"

    def walk(a: tuple, b: tuple, path: str) -> str | None:
        if a[:3] != b[:3] or a[4] != b[4] or len(a[3]) != len(b[3]):
            return f"{path}: tinyhtml5 {a[:3]!r}… vs Lexbor {b[:3]!r}…"
        for i, (x, y) in enumerate(zip(a[3], b[3])):
            found = walk(x, y, f"{path}/{x[0]}[{i}]")
            if found:
                return found
        return None

    return walk(_tree_signature(reference), _tree_signature(fast), "/html")


def recording_html(renderer: Any) -> list[str]:
    """Make ``renderer``'s PDF backend keep the HTML source of each document it renders."""
    backend = renderer.backend("pdf")
    sources: list[str] = []
    original = backend.html

    def html(job: Any) -> str:
        sources.append(original(job))
        return sources[-1]

    backend.html = html
    return sources


def unshared_renderer() -> Any:
    """A renderer with every fast path off: plain WeasyPrint through its public API — its own
    HTML parser, every style computed for every document, each image encoded for each PDF. The
    oracle for the fast paths (``sipdocs/backends/_weasyprint_compat.py``): same input, same bytes."""
    from sipdocs import Renderer, RenderOptions

    return Renderer(RenderOptions(fast_paths=False))
