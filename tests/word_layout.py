"""Reading Word output as a recipient without Word sees it: converted by LibreOffice.

Positions come from poppler (``pdftotext -bbox-layout``: words and lines with their boxes)
and from the PDF's content streams read with pikepdf (where pictures and table borders are
drawn). Coordinates are PDF points with the origin at the TOP left of the page, as
pdftotext gives them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

_XHTML = "{http://www.w3.org/1999/xhtml}"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is installed by `make test` (libreoffice-writer-nogui)"
    return found


def convert(files: Iterable[Path], outdir: Path, profile: Path) -> dict[Path, Path]:
    """Convert .docx files to PDF in one LibreOffice run; {docx: pdf}."""
    files = list(files)
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, files)], capture_output=True, timeout=600, check=True)
    out = {f: outdir / (f.stem + ".pdf") for f in files}
    missing = [f.name for f, pdf in out.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Line:
    """A line of text as pdftotext found it, with its words."""
    text: str
    words: tuple[str, ...]
    box: Box


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page's text lines in reading order (pdftotext -bbox-layout)."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                           check=True).stdout
    root = etree.fromstring(xhtml, etree.XMLParser(recover=False, resolve_entities=False, no_network=True))
    pages = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = tuple(w.text or "" for w in line.iter(f"{_XHTML}word"))
            lines.append(Line(" ".join(words), words, _box(line)))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), tuple(lines)))
    return pages


def _box(el: etree._Element) -> Box:
    return Box(*(float(el.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))


# --- what the content streams draw --------------------------------------------------------------

def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The PDF matrix product a × b (a applied first)."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


@dataclass(frozen=True)
class Picture:
    page: int
    box: Box
    image: object  # a PIL image


@dataclass(frozen=True)
class Segment:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


_GEOMETRY = frozenset({"q", "Q", "cm", "m", "l", "Do"})


def _walk(pdf_page, height: float, number: int) -> Iterator[Picture | Segment]:
    import pikepdf
    from pikepdf import PdfImage

    stack: list[list[float]] = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    current: tuple[float, float] | None = None
    xobjects = pdf_page.Resources.get("/XObject", {}) if "/Resources" in pdf_page.obj else {}
    for instruction in pikepdf.parse_content_stream(pdf_page):
        op = str(instruction.operator)
        if op not in _GEOMETRY:
            continue
        args = list(instruction.operands)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            ctm = _multiply([float(a) for a in args], ctm)
        elif op == "m":
            current = _apply(ctm, float(args[0]), float(args[1]))
        elif op == "l" and current is not None:
            end = _apply(ctm, float(args[0]), float(args[1]))
            yield Segment(number, current[0], height - current[1], end[0], height - end[1])
            current = end
        elif op == "Do":
            xobject = xobjects.get(str(args[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Image":
                corners = [_apply(ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                yield Picture(number, Box(min(xs), height - max(ys), max(xs), height - min(ys)),
                              PdfImage(xobject).as_pil_image())


def pdf_drawing(pdf: Path) -> tuple[list[Picture], list[Segment]]:
    """The pictures (with their images) and the straight line segments of every page."""
    import pikepdf

    pictures: list[Picture] = []
    segments: list[Segment] = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            height = float(page.mediabox[3]) - float(page.mediabox[1])
            for item in _walk(page, height, number):
                (pictures if isinstance(item, Picture) else segments).append(item)
    return pictures, segments


def qr_pictures(pdf: Path) -> list[tuple[Picture, str]]:
    """Every QR code drawn in the PDF with the text it decodes to."""
    import zxingcpp

    pictures, _ = pdf_drawing(pdf)
    found = []
    for picture in pictures:
        results = zxingcpp.read_barcodes(picture.image)
        if results:
            found.append((picture, results[0].text))
    return found


def link_uris(pdf: Path) -> list[tuple[int, str]]:
    """(page, URI) of every link annotation."""
    import pikepdf

    out = []
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if annot.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                    out.append((number, str(action.URI)))
    return out


def catalog_lang(pdf: Path) -> str | None:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        lang = doc.Root.get("/Lang")
        return str(lang) if lang is not None else None


# --- table rows ----------------------------------------------------------------------------------

def empty_rows(pdf: Path, tolerance: float = 1.5) -> list[tuple[int, Box]]:
    """Bordered table rows (a band between two horizontal borders, closed by vertical
    borders on both sides) with no text in them: (page, box) of each.

    LibreOffice draws cell borders as separate line segments; a row is the band between
    two consecutive horizontal borders of the same width.
    """
    pages = pdf_pages(pdf)
    _, segments = pdf_drawing(pdf)
    found = []
    for page in pages:
        mine = [s for s in segments if s.page == page.number]
        horizontal = [s for s in mine if abs(s.y0 - s.y1) < 0.1 and abs(s.x1 - s.x0) > 20]
        vertical = [s for s in mine if abs(s.x0 - s.x1) < 0.1 and abs(s.y1 - s.y0) > 2]
        groups: list[tuple[float, float, list[float]]] = []  # borders of one width (± tolerance)
        for s in horizontal:
            left, right = min(s.x0, s.x1), max(s.x0, s.x1)
            for gl, gr, ys in groups:
                if abs(gl - left) <= tolerance and abs(gr - right) <= tolerance:
                    ys.append(s.y0)
                    break
            else:
                groups.append((left, right, [s.y0]))
        for left, right, ys in groups:
            ys = sorted(set(round(y, 1) for y in ys))
            for top, bottom in zip(ys, ys[1:]):
                if bottom - top < 3:
                    continue
                closed = all(any(abs(v.x0 - x) <= tolerance and min(v.y0, v.y1) <= top + tolerance
                                 and max(v.y0, v.y1) >= bottom - tolerance for v in vertical)
                             for x in (left, right))
                if not closed:
                    continue
                band = Box(left, top, right, bottom)
                if not any(left <= line.box.cx <= right and top <= line.box.cy <= bottom for line in page.lines):
                    found.append((page.number, band))
    return found


def render_to(path: Path, blob: bytes) -> Path:
    path.write_bytes(blob)
    return path


def docx_headings(blob: bytes) -> list[str]:
    """Texts of the Heading 1/2 paragraphs of a .docx."""
    import docx

    document = docx.Document(io.BytesIO(blob))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading") and p.text.strip()]


# --- the package itself ----------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def docx_hyperlinks(blob: bytes) -> list[tuple[str, str, str, str]]:
    """(part, relationship id, link text, target) of every ``w:hyperlink``, in document order;
    the target read from the part's External relationship."""
    import zipfile

    out = []
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        names = zf.namelist()
        for part in names:
            if not (part.startswith("word/") and part.endswith(".xml") and "/_rels/" not in part):
                continue
            root = etree.fromstring(zf.read(part))
            links = list(root.iter(f"{_W}hyperlink"))
            if not links:
                continue
            folder, _, file = part.rpartition("/")
            rels = etree.fromstring(zf.read(f"{folder}/_rels/{file}.rels"))
            targets = {rel.get("Id"): rel for rel in rels}
            for link in links:
                rel = targets[link.get(_R_ID)]
                assert rel.get("TargetMode") == "External", rel.get("Id")
                assert rel.get("Type").endswith("/relationships/hyperlink"), rel.get("Type")
                text = "".join(t.text or "" for t in link.iter(f"{_W}t"))
                out.append((part, link.get(_R_ID), text, rel.get("Target")))
    return out
