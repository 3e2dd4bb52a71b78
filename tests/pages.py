"""Reading pages back as a reader draws them: where every word lies, the text lines in drawing
order, and page images.

Word positions come from poppler (``pdftotext -raw -bbox``) rather than pdfplumber:

* poppler is what the issue names for text and is already installed for the tests; it reads a
  page in about a millisecond, where pdfplumber (pure Python) needs 0.1–0.3 s — minutes over
  the corpus, whose long-token cases have hundreds of dense pages;
* ``-raw`` keeps the content stream's order, so the lines of one table cell come one after
  another (WeasyPrint and LibreOffice draw a table cell by cell), which the broken-word check
  needs; a geometric line grouping (pdfplumber's) would join the cells of a row into one line.

Poppler drops glyphs that lie wholly outside the page — exactly the ones the clipping check looks
for — so each page's box is first enlarged by ``OUTSET`` on every side (with pikepdf, on a copy),
and positions are then measured from the original box. A word box stands for its glyphs: a
word inside the page has every glyph inside it.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

OUTSET = 1_000_000.0  # points added on every side of a page's box before poppler reads it
_XHTML = "{http://www.w3.org/1999/xhtml}"
# Invisible format characters that pdftotext passes through (bidi isolates around joined
# values, zero-width spaces); they carry no letters.
_LETTERS = re.compile(r"[^\W\d_]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True)
class Word:
    """One word as poppler sees it, in points from the top-left corner of its page's box."""

    text: str
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]  # in the order they are drawn

    def outside(self, tolerance: float = 0.5) -> list[Word]:
        """Words that reach beyond the page's box (by more than ``tolerance`` points)."""
        return [w for w in self.words if w.x0 < -tolerance or w.y0 < -tolerance
                or w.x1 > self.width + tolerance or w.y1 > self.height + tolerance]


@dataclass(frozen=True)
class Line:
    """Consecutive words drawn on one baseline, left to right."""

    page: int
    top: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _enlarged(pdf: bytes) -> tuple[bytes, list[tuple[float, float]]]:
    """A copy of ``pdf`` whose pages' boxes are ``OUTSET`` larger on every side, and each page's
    original (width, height)."""
    import pikepdf

    sizes = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            if int(page.obj.get("/Rotate", 0)) % 360:
                raise ValueError("rotated pages are not supported")
            x0, y0, x1, y1 = (float(v) for v in page.cropbox)
            sizes.append((x1 - x0, y1 - y0))
            page.obj.MediaBox = pikepdf.Array([x0 - OUTSET, y0 - OUTSET, x1 + OUTSET, y1 + OUTSET])
            for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                if box in page.obj:
                    del page.obj[box]
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue(), sizes


@lru_cache(maxsize=512)
def pages(pdf: bytes) -> tuple[Page, ...]:
    """Every page of ``pdf`` with its words and their boxes, in drawing order."""
    enlarged, sizes = _enlarged(pdf)
    result = subprocess.run(["pdftotext", "-raw", "-bbox", "-enc", "UTF-8", "-", "-"], input=enlarged,
                            capture_output=True, check=True)
    root = etree.fromstring(result.stdout, etree.XMLParser(resolve_entities=False, no_network=True,
                                                           huge_tree=True))
    found = []
    for number, (element, (width, height)) in enumerate(zip(root.iter(f"{_XHTML}page"), sizes), start=1):
        words = []
        for w in element.iter(f"{_XHTML}word"):
            text = _INVISIBLE.sub("", w.text or "")
            if text:
                x0, y0, x1, y1 = (round(float(w.get(a)) - OUTSET, 3) for a in ("xMin", "yMin", "xMax", "yMax"))
                words.append(Word(text, number, x0, y0, x1, y1))
        found.append(Page(number, width, height, tuple(words)))
    return tuple(found)


# A gap wider than this share of the word's height (about twice a space) between two words on one
# baseline separates the cells of a table row (their padding alone is wider).
LINE_GAP = 0.5


def lines(pdf: bytes) -> list[Line]:
    """The text lines of ``pdf`` in drawing order: a word starts a new line when it is not on the
    previous word's baseline, lies to its left, or lies further right than a space (the next cell
    of a table row)."""
    found: list[Line] = []
    for page in pages(pdf):
        current: list[Word] = []
        for word in page.words:
            if current:
                last = current[-1]
                gap = LINE_GAP * (word.y1 - word.y0)
                if abs(word.y1 - last.y1) > 1.0 or not last.x1 - 1.0 <= word.x0 <= last.x1 + gap:
                    found.append(Line(page.number, current[0].y0, tuple(current)))
                    current = []
            current.append(word)
        if current:
            found.append(Line(page.number, current[0].y0, tuple(current)))
    return found


def without_running(found: list[Line]) -> list[Line]:
    """``found`` without the running header and footer: lines whose text (digits aside, so "Sida 2
    av 6" matches "Sida 3 av 6") recurs at the same height on at least four in five pages — all
    of them in a short document. A value that goes on over a page break then reads as one piece,
    in any layout. (Recurring on a few pages only is not enough: a long repetitive value has
    identical lines at the same height on consecutive pages.)"""
    def key(line: Line) -> tuple[int, str]:
        return round(line.top), re.sub(r"\d+", "#", line.text)

    page_count = len({line.page for line in found})
    if page_count < 2:
        return list(found)
    pages_of: dict[tuple[int, str], set[int]] = {}
    for line in found:
        pages_of.setdefault(key(line), set()).add(line.page)
    needed = max(2, math.ceil(0.8 * page_count))
    return [line for line in found if len(pages_of[key(line)]) < needed]


def columns(found: list[Line], heading: Callable[[str], bool] = lambda text: False) -> list[str]:
    """The text of each column: the lines that start at the same left edge, in drawing order,
    across pages. A table cell that goes on over a page break reads as one piece in its column,
    where the row's other cells come between its parts in drawing order. The lines at the top of
    a column on a page for which ``heading`` is true (a table's header row, repeated on the next
    page) are left out."""
    streams: dict[int, list[str]] = {}
    started: set[tuple[int, int]] = set()  # (page, column) with a line other than a heading
    for line in found:
        column = round(line.words[0].x0)
        if (line.page, column) not in started:
            if heading(line.text):
                continue
            started.add((line.page, column))
        streams.setdefault(column, []).append(line.text)
    return [" ".join(texts) for texts in streams.values()]


def describe(word: Word, page: Page) -> str:
    """A word outside its page, for a failure message (long tokens shortened)."""
    text = word.text if len(word.text) <= 40 else f"{word.text[:30]}…({len(word.text)} characters)"
    return (f"page {page.number}: {text!r} at x {word.x0:.0f}–{word.x1:.0f}, y {word.y0:.0f}–{word.y1:.0f} pt "
            f"(page {page.width:.0f} × {page.height:.0f} pt)")


def glyphs_outside(pdf: bytes) -> list[str]:
    """Every word of ``pdf`` drawn (partly) outside its page, described."""
    return [describe(word, page) for page in pages(pdf) for word in page.outside()]


def overlapping(pdf: bytes) -> list[str]:
    """Words drawn over other words (text laid out on top of the running header, or two blocks in
    one place), described: boxes that share more than a third of the lower one's height and more
    than a point of width. Only words with two letters or more count: poppler places punctuation
    beside right-to-left runs, and the parts of an emoji sequence, loosely."""
    found = []
    for page in pages(pdf):
        words = sorted((w for w in page.words if len(_LETTERS.findall(w.text)) >= 2), key=lambda w: w.x0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.x0 >= a.x1 - 1.0:
                    break
                shared = min(a.y1, b.y1) - max(a.y0, b.y0)
                if shared > min(a.y1 - a.y0, b.y1 - b.y0) / 3:
                    found.append(f"page {page.number}: {a.text[:30]!r} and {b.text[:30]!r} drawn over each other "
                                 f"at x {max(a.x0, b.x0):.0f}, y {max(a.y0, b.y0):.0f} pt")
    return found


def page_images(pdf: bytes, dpi: int) -> list[Image.Image]:  # noqa: F821 (PIL imported lazily)
    """Every page of ``pdf`` as an 8-bit grey image at ``dpi`` (poppler's pdftoppm)."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="sipdocs-pages-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(folder) / "p")],
                       capture_output=True, check=True)
        images = []
        for path in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            with Image.open(path) as image:
                images.append(image.convert("L"))
        return images
