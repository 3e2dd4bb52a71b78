"""Table rows that may not split across pages — unless they hold more than a page.

The templates mark their rows ``w:cantSplit``: a QR card, a signature row or a label/value
pair is moved whole to the next page instead of being divided (and LibreOffice no longer
opens a page with the empty remainder of a split row). A row taller than the space a page
has for it is another matter. ECMA-376 says that such a ``cantSplit`` row starts on a
new page and flows on, and LibreOffice 7.4 does so, but readers differ: Collabora Online /
LibreOffice 26.04 drops the lines of such a row that do not fit below a repeated header row
(Collabora Online #16066). A row's height is only known after layout, so before a document
is written its rows are estimated from their text, and a row that may need more than
:data:`MAX_LINES` lines gives up ``cantSplit``: its text is then shown in full by every
reader, split over pages as needed. Real rows (a name, a date, an intervention in a few
lines) are far below the limit; only very long values reach it.

The estimate errs towards more lines (narrow characters, a narrow cell when a cell has no
width in twips), so a row near the limit may split rather than risk losing text.
"""

from __future__ import annotations

from lxml import etree

from .docx_xml import NS_W

MAX_LINES = 30            # about 60 % of an A4 page body in 10.5 pt type
TWIPS_PER_CHAR = 105      # 0.5 em of 10.5 pt text, in twentieths of a point
CELL_MARGINS_TWIPS = 216  # Word's default left + right cell margins (0.19 cm each)
UNKNOWN_CELL_TWIPS = 1000  # a cell without a width in twips is taken to be narrow

_W = f"{{{NS_W}}}"
_OFF = ("0", "false", "off")
_NS = {"w": NS_W}
_WIDTHS = etree.XPath("//w:tc/w:tcPr/w:tcW[@w:type='dxa']/@w:w", namespaces=_NS)
_CELLS_WITHOUT_WIDTH = etree.XPath("count(//w:tc[not(w:tcPr/w:tcW[@w:type='dxa'])])", namespaces=_NS)
# A row's estimate is at most (text length) / (characters per line of its narrowest cell)
# + paragraphs + breaks; rows below that bound for the part's narrowest cell are skipped by
# libxml2's XPath, without a look at their cells.
_CANDIDATES = etree.XPath(
    "//w:tr[w:trPr/w:cantSplit]"
    "[string-length(.) > ($limit - count(.//w:p) - count(.//w:br) - count(.//w:cr)) * $per_line]",
    namespaces=_NS)


def relax_tall_rows(root: etree._Element) -> bool:
    """Drop ``cantSplit`` from every row of ``root`` that may be taller than a page.
    Returns whether anything changed."""
    changed = False
    widths = [int(w) for w in _WIDTHS(root) if w.isdigit()]
    if _CELLS_WITHOUT_WIDTH(root):
        widths.append(UNKNOWN_CELL_TWIPS)
    per_line = _per_line(min(widths, default=UNKNOWN_CELL_TWIPS))
    for row in _CANDIDATES(root, limit=MAX_LINES, per_line=per_line):
        cant = row.find(f"{_W}trPr/{_W}cantSplit")
        if cant is not None and cant.get(f"{_W}val") not in _OFF and estimated_lines(row) > MAX_LINES:
            cant.getparent().remove(cant)
            changed = True
    return changed


def estimated_lines(row: etree._Element) -> int:
    """An upper estimate of the number of text lines of a table row (its tallest cell)."""
    tallest = 0
    for cell in row.iterfind(f"{_W}tc"):
        per_line = _per_line(_cell_twips(cell))
        lines = 0
        for paragraph in cell.iter(f"{_W}p"):
            segment = 0
            for el in paragraph.iter(f"{_W}t", f"{_W}br", f"{_W}cr"):
                if el.tag == f"{_W}t":
                    segment += len(el.text or "")
                else:
                    lines += -(-segment // per_line) or 1
                    segment = 0
            lines += -(-segment // per_line) or 1
        tallest = max(tallest, lines)
    return tallest


def _per_line(twips: int) -> int:
    return max(1, (twips - CELL_MARGINS_TWIPS) // TWIPS_PER_CHAR)


def _cell_twips(cell: etree._Element) -> int:
    width = cell.find(f"{_W}tcPr/{_W}tcW")
    if width is not None and width.get(f"{_W}type") == "dxa":
        try:
            return int(width.get(f"{_W}w", ""))
        except ValueError:
            pass
    return UNKNOWN_CELL_TWIPS
