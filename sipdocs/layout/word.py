"""A layout as a docxtpl Word template (python-docx builds it; imported only to build one).

Every tag is typed into ONE run, ``{%p %}``/``{%tr %}`` carry the structure, headings use
Word's own Heading styles, data tables repeat their header row on every page, label/value
rows and table rows never split, and the document is set up for automatic hyphenation in
the language the Word engines declare per document. Municipalities may open the result in
Word and make it their own design (``sipdocs forms build``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..archive import deterministic_zip
from ..errors import RenderError
from .blocks import (
    FOOTER_LINES,
    H1,
    H2,
    HEADER_TITLE,
    TEXT_WIDTH_MM,
    B,
    Block,
    Bullets,
    Checkboxes,
    Evaluation,
    Fields,
    If,
    P,
    Run,
    Section,
    Signatures,
    Table,
    Text,
    Together,
    branch,
    shares,
)

ACCENT = RGBColor(0x16, 0x5A, 0x6E)
QR_CARD_WIDTHS = (28, 142)  # mm: the code (28 mm, the size sipdocs.qr prints it), name and URL
QR_URL_PT = 8


class DocxWriter:
    """Emits a layout into a python-docx document as a docxtpl template."""

    def __init__(self) -> None:
        self.doc = Document()
        self.tables = 0
        self.bookmarks = 0
        self._setup()

    def _setup(self) -> None:
        doc = self.doc
        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        # the header without the logo needs ~12 mm; the first page's logo header pushes its body down
        section.top_margin, section.bottom_margin = Mm(24), Mm(22)
        section.header_distance, section.footer_distance = Mm(10), Mm(8)
        styles = doc.styles
        styles["Normal"].font.name = "Arial"
        styles["Normal"].font.size = Pt(10)
        styles["Normal"].paragraph_format.space_after = Pt(3)
        for name, size in (("Heading 1", 18), ("Heading 2", 13)):
            st = styles[name]
            st.font.name = "Arial"
            _without_theme_fonts(st)
            st.font.size = Pt(size)
            st.font.color.rgb = ACCENT
            st.paragraph_format.keep_with_next = True
            st.paragraph_format.space_before = Pt(10 if name == "Heading 2" else 0)
        for name in ("Header", "Footer"):
            styles[name].font.size = Pt(8.5)
        props = doc.core_properties
        props.title = "{{ doc.title }}"
        props.language = "{{ lang }}"
        props.author = "sipdocs"
        props.subject = "{{ doc.pack.name }}"
        props.comments = ""
        props.keywords = "SIP"
        props.created = props.modified = datetime(2026, 1, 1)  # regenerated templates are byte-identical
        props.last_modified_by = "sipdocs"
        props.revision = 1
        _auto_hyphenation(doc)
        self._header_footer()

    def _header_footer(self) -> None:
        """The running header (issuer, title, date, page x of y) and footer on every page; the
        logo heads the first page's body, as a letterhead (as in the PDF), not the header, so
        every page keeps its room for text."""
        section = self.doc.sections[0]
        header = section.header
        p = header.paragraphs[0]
        p.style = self.doc.styles["Header"]
        p.add_run("{{ doc.issuer or '' }}").font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        line = header.add_paragraph(style="Header")
        line.add_run(HEADER_TITLE).bold = True
        line.add_run(" · {{ t.common.document_date }} {{ doc.date }} · {{ t.common.page }} ")
        _field(line, "PAGE", "1")
        line.add_run(" {{ t.common.page_of }} ")
        _field(line, "NUMPAGES", "1")
        footer = section.footer
        for n, text in enumerate(FOOTER_LINES):
            fp = footer.paragraphs[0] if n == 0 else footer.add_paragraph(style="Footer")
            fp.add_run(text)
        self.doc.add_paragraph("{%p if doc.logo %}")
        self.doc.add_paragraph("{{ doc.logo }}").paragraph_format.space_after = Pt(8)
        self.doc.add_paragraph("{%p endif %}")

    # blocks
    def emit(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            getattr(self, f"_{type(block).__name__.lower()}")(block)

    def _section(self, b: Section) -> None:
        """The section's blocks, the first of their paragraphs carrying a bookmark named after
        the section (``sipdocs_<id>``): a county's own design made from this template keeps
        them, so ``sipdocs forms check`` can compare its sections with the layout's."""
        start = len(self.doc.element.body)
        self.emit(b.blocks)
        for element in list(self.doc.element.body)[start:]:
            if element.tag == qn("w:p"):
                _bookmark(element, f"sipdocs_{b.id}", self.bookmarks)
                self.bookmarks += 1
                break

    def _h1(self, b: H1) -> None:
        self.doc.add_paragraph(b.text, style="Heading 1")

    def _h2(self, b: H2) -> None:
        self.doc.add_paragraph(b.text, style="Heading 2")

    def _p(self, b: P) -> None:
        p = self.doc.add_paragraph()
        _runs(p, b.runs)
        if b.runs and all(isinstance(r, B) for r in b.runs):
            p.paragraph_format.keep_with_next = True  # a label stays with what it introduces

    def _text(self, b: Text) -> None:
        self.doc.add_paragraph(b.snippet)

    def _together(self, b: Together) -> None:
        start = len(self.doc.paragraphs)
        self.emit(b.blocks)
        for paragraph in self.doc.paragraphs[start:-1]:
            paragraph.paragraph_format.keep_with_next = True

    def _if(self, b: If) -> None:
        self.doc.add_paragraph("{%p if " + b.cond + " %}")
        self.emit(b.blocks)
        self.doc.add_paragraph("{%p endif %}")

    def _fields(self, b: Fields) -> None:
        """Label/value rows: no header row (the labels are in the first column); rows never
        split across pages (a split row leaves an empty bordered strip on the next page), and
        every row keeps with the next, so a block is not split where it fits on one page."""
        rows: list[tuple[str | None, tuple[str, str] | None]] = []
        for row in b.rows:
            if row.cond:
                rows.append(("{%tr if " + row.cond + " %}", None))
            rows.append((None, (row.label, row.value)))
            if row.cond:
                rows.append(("{%tr endif %}", None))
        table = self._new_table(len(rows), 2, widths=(55, 115))
        for tr, (tag, pair) in zip(table.rows, rows):
            if tag:
                tr.cells[0].paragraphs[0].add_run(tag)
            else:
                assert pair is not None
                _cant_split(tr)
                run = tr.cells[0].paragraphs[0].add_run(pair[0])
                run.bold = True
                tr.cells[1].paragraphs[0].add_run(pair[1])
                for cell in tr.cells:  # the block stays on one page where it fits (PDF: dl break-inside)
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        self._spacer()

    def _table(self, b: Table) -> None:
        """One Word table per combination of the optional columns (see :meth:`Table.variants`),
        chosen with ``{%p if %}`` — docxtpl cannot drop a column and re-spread the widths."""
        self.tables += 1
        sets, variants = b.variants(f"cols{self.tables}")
        for statement in sets:
            self.doc.add_paragraph("{%p " + statement + " %}")
        for n, (cond, cols) in enumerate(variants):
            if len(variants) > 1:
                self.doc.add_paragraph("{%p " + branch(n, len(variants), cond) + " %}")
            table = self._new_table(4, len(cols), widths=[share * TEXT_WIDTH_MM for share in shares(cols)])
            header = table.rows[0]
            _repeat_header(header)
            for cell, col in zip(header.cells, cols):
                run = cell.paragraphs[0].add_run(col.header)
                run.bold = True
            table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + b.loop + " %}")
            _cant_split(table.rows[2])
            for cell, col in zip(table.rows[2].cells, cols):
                cell.paragraphs[0].add_run(col.cell)
            table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        if len(variants) > 1:
            self.doc.add_paragraph("{%p endif %}")
        self._spacer()

    def _bullets(self, b: Bullets) -> None:
        """One paragraph per item; the items keep together (no item alone at a page's top)."""
        self.doc.add_paragraph("{%p for " + b.loop + " %}")
        self.doc.add_paragraph(b.item, style="List Bullet").paragraph_format.keep_with_next = True
        self.doc.add_paragraph("{%p endfor %}")

    def _evaluation(self, b: Evaluation) -> None:
        """One QR card per table row: the code in a narrow left cell, the actor's name and
        the URL (a link, small type, so a ~100-character URL fits on one line) beside it.

        Rows may not split, so a card is never divided between pages; the heading (its
        style), the intro and every card keep with the next paragraph, so the block moves
        to a new page whole where it fits on one. No header row and no borders: the cards
        are a list, not a data table.
        """
        self.doc.add_paragraph("{%p if evaluation %}")
        self.doc.add_paragraph("{{ t.common.evaluation_heading }}", style="Heading 2")
        intro = self.doc.add_paragraph("{{ evaluation_intro }}")
        intro.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=3, cols=2)
        _table_widths(table, QR_CARD_WIDTHS)
        _fixed_layout(table)
        table.rows[0].cells[0].paragraphs[0].add_run("{%tr for e in evaluation %}")
        card = table.rows[1]
        _cant_split(card)
        code, text = card.cells
        _cell_side_margins(code, 0)
        code.paragraphs[0].add_run("{{ e.qr }}")
        text.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        name = text.paragraphs[0]
        name.add_run("{{ e.organisation }}").bold = True
        url = text.add_paragraph()
        url.add_run("{{ e.url | link }}").font.size = Pt(QR_URL_PT)
        for paragraph in (code.paragraphs[0], name, url):
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True  # the cards stay together, as in the PDF
        table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self.doc.add_paragraph("{%p endif %}")

    def _checkboxes(self, b: Checkboxes) -> None:
        """A box per choice, ☑ or ☐, in front of its label (no list bullet: the box is the mark);
        a long label wraps under its own first word."""
        self.doc.add_paragraph("{%p for " + b.loop + " %}")
        p = self.doc.add_paragraph("{% if " + b.checked + " %}☑{% else %}☐{% endif %}\t{{ " + b.label + " }}")
        p.paragraph_format.left_indent = Mm(6)
        p.paragraph_format.first_line_indent = Mm(-6)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(6))
        p.paragraph_format.space_after = Pt(1)
        p.paragraph_format.keep_with_next = True
        self.doc.add_paragraph("{%p endfor %}")

    def _signatures(self, b: Signatures) -> None:
        """The signature table: the header row repeats, rows never split, and every row's
        paragraphs keep with the next, so the table stays in one piece with its heading
        (a page never starts with a lone signature row). The PDF's fillable name and date
        fields (``fields``) are the PDF's own: a Word file is signed on paper."""
        self.doc.add_paragraph("{{ t.common.signatures_heading }}", style="Heading 2")
        table = self._new_table(4, 3, widths=(70, 60, 40))
        for cell, text in zip(table.rows[0].cells, ("{{ t.common.signature }}", "{{ t.common.name_clarification }}",
                                                    "{{ t.common.signature_date }}")):
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(table.rows[0])
        table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + b.loop + " %}")
        row = table.rows[2]
        _cant_split(row)
        row.height = Mm(16)
        row.cells[1].paragraphs[0].add_run(b.name)
        row.cells[1].add_paragraph(b.role)
        for cell in (table.rows[0].cells + row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self._spacer()

    def _new_table(self, rows: int, cols: int, widths: Sequence[float] | None = None) -> Any:
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_cell_margins(table)
        if widths:
            _table_widths(table, widths)
        return table

    def _spacer(self) -> None:
        """A small gap after a table (Word needs a paragraph between two tables)."""
        gap = self.doc.add_paragraph("")
        gap.paragraph_format.space_after = Pt(0)
        gap.paragraph_format.line_spacing = Pt(6)

    def to_bytes(self) -> bytes:
        """The template as a .docx with fixed timestamps and order (the same layout, the same bytes)."""
        buf = io.BytesIO()
        self.doc.save(buf)
        with zipfile.ZipFile(buf) as zf:
            entries = [(name, zf.read(name)) for name in zf.namelist()]
        return deterministic_zip(entries)


def _bookmark(paragraph: Any, name: str, number: int) -> None:
    """An empty bookmark ``name`` at the start of a paragraph element."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p_pr = paragraph.find(qn("w:pPr"))
    at = 1 if p_pr is not None else 0
    paragraph.insert(at, end)
    paragraph.insert(at, start)


def build_docx(sections: Sequence[Section]) -> bytes:
    """The Word template of one document kind."""
    writer = DocxWriter()
    writer.emit(sections)
    return writer.to_bytes()


def _runs(p: Any, runs: Sequence[Run]) -> None:
    for run in runs:
        if isinstance(run, B):
            p.add_run(run.text).bold = True
        else:
            p.add_run(run)


# The XML element of a paragraph, cell, row or table, through python-docx's public API only:
# ElementProxy.element is public, and a paragraph's ``paragraph_format`` proxies the ``w:p``
# itself; a cell always holds a paragraph, the first row's first cell is in its table. (The
# ``_p``, ``_tc``, ``_tr`` and ``_tbl`` attributes hold the same elements, but are private.)

def _xml(paragraph: Any) -> Any:
    element = paragraph.paragraph_format.element
    if element.tag != qn("w:p"):  # a python-docx whose ParagraphFormat proxies something else
        raise RenderError.from_code("render.failed#python_docx")
    return element


def _cell_xml(cell: Any) -> Any:
    return _xml(cell.paragraphs[0]).getparent()


def _row_xml(row: Any) -> Any:
    return _cell_xml(row.cells[0]).getparent()


def _table_xml(table: Any) -> Any:
    return _row_xml(table.rows[0]).getparent()


def _field(paragraph: Any, instr: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update when laying out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = placeholder
    r.append(t)
    fld.append(r)
    _xml(paragraph).append(fld)


def _repeat_header(row: Any) -> None:
    """Mark a data table's first row as its header, repeated at the top of every page.

    ``<w:tblHeader/>`` is an on/off property: present means on. The bare element is the
    form Microsoft's Open XML SDK validates (``w:val="true"`` is flagged). The header row
    does not split either.
    """
    _cant_split(row)
    _row_xml(row).get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cant_split(row: Any) -> None:
    """Word and LibreOffice move a ``cantSplit`` row whole to the next page instead of
    splitting it. A split row is what LibreOffice showed as an empty bordered row at the top
    of a page: the text fits on the first page, the cell's last paragraph spacing does not,
    and the rest of the row — empty — opens the next page. (A row with more text than a page
    holds may still split: the Word engines drop its ``cantSplit``, see
    ``sipdocs/backends/docx_rows.py``.)"""
    tr_pr = _row_xml(row).get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _table_widths(table: Any, widths: Sequence[float]) -> None:
    """Column widths in the table grid and in every cell (Word reads the cells,
    LibreOffice the grid when they disagree)."""
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def _fixed_layout(table: Any) -> None:
    """Fixed column widths: Word does not widen a column to fit its content."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _table_xml(table).tblPr.append(layout)


def _cell_side_margins(cell: Any, twips: int) -> None:
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _cell_xml(cell).get_or_add_tcPr().append(margins)


def _table_cell_margins(table: Any, top_bottom: int = 30, left_right: int = 85) -> None:
    """The table's default cell margins in twips (about 0.5 mm above and below the text, as
    the PDF's cell padding; Word's own default has none, so text touches the border)."""
    tbl_pr = _table_xml(table).tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", top_bottom), ("left", left_right), ("bottom", top_bottom), ("right", left_right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _without_theme_fonts(style: Any) -> None:
    """Arial for a style whose font python-docx's template takes from the theme.

    A theme font (``w:asciiTheme="majorHAnsi"``) wins over the named one (``w:ascii``), so
    the headings were laid out in the theme's Calibri — by LibreOffice, which lacks it, in
    DejaVu Sans — however ``font.name`` was set.
    """
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _auto_hyphenation(doc: Any) -> None:
    """Automatic hyphenation (``w:autoHyphenation`` in settings.xml), words in capitals
    (acronyms such as BUMM, BUP) left whole. Word and LibreOffice hyphenate by the text's
    language, which the Word engines set per document (sv-SE / en-GB); LibreOffice needs
    its hyphenation dictionary (Debian: hyphen-sv) to do it."""
    settings = doc.settings.element
    anchor = settings.find(qn("w:defaultTabStop"))
    elements = [OxmlElement("w:autoHyphenation"), OxmlElement("w:doNotHyphenateCaps")]
    for el in reversed(elements):
        if anchor is not None:
            anchor.addnext(el)
        else:
            settings.append(el)


