"""A layout as Jinja HTML templates (for the PDF): ``<kind>.html`` and the page frame ``_base.html``.

Semantic elements throughout, so WeasyPrint's PDF/UA tags are right: headings, data tables
with column headers (``<thead>``, ``scope="col"``), label/value tables with row headers
(``scope="row"``), lists, figures with alt text, real form fields on the consent. The
stylesheet (``style.css``) decides how it looks and how pages break.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .blocks import (
    FOOTER_LINES,
    H1,
    H2,
    HEADER_TITLE,
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

BASE_NAME = "_base.html"


class HtmlWriter:
    """Writes blocks as the body of a Jinja template extending ``_base.html``."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables = 0

    def emit(self, blocks: Iterable[Block], indent: int = 1) -> None:
        for block in blocks:
            getattr(self, f"_{type(block).__name__.lower()}")(block, indent)

    def w(self, indent: int, text: str) -> None:
        self.lines.append("  " * indent + text)

    def _section(self, b: Section, i: int) -> None:
        # the marker lets `sipdocs forms check` compare a county's own template with the layout
        self.w(i, f"<!-- section: {b.id} -->")
        self.emit(b.blocks, i)

    def _h1(self, b: H1, i: int) -> None:
        self.w(i, f"<h1>{b.text}</h1>")

    def _h2(self, b: H2, i: int) -> None:
        self.w(i, f"<h2>{b.text}</h2>")

    def _p(self, b: P, i: int) -> None:
        # a paragraph that is only a bold label introduces what follows and stays with it
        label = ' class="label"' if b.runs and all(isinstance(r, B) for r in b.runs) else ""
        self.w(i, f"<p{label}>{_runs(b.runs)}</p>")

    def _text(self, b: Text, i: int) -> None:
        self.w(i, f'<p class="text">{b.snippet}</p>')

    def _together(self, b: Together, i: int) -> None:
        self.w(i, '<div class="together">')
        self.emit(b.blocks, i + 1)
        self.w(i, "</div>")

    def _if(self, b: If, i: int) -> None:
        self.w(i, "{% if " + b.cond + " %}")
        self.emit(b.blocks, i + 1)
        self.w(i, "{% endif %}")

    def _fields(self, b: Fields, i: int) -> None:
        # the same label/value pairs as Word's table: the labels are row headers (TH, scope Row)
        self.w(i, '<table class="fields">')
        for row in b.rows:
            line = f'<tr><th scope="row">{row.label}</th><td>{row.value}</td></tr>'
            self.w(i + 1, ("{% if " + row.cond + " %}" + line + "{% endif %}") if row.cond else line)
        self.w(i, "</table>")

    def _table(self, b: Table, i: int) -> None:
        self.tables += 1
        sets, variants = b.variants(f"cols{self.tables}")
        for statement in sets:
            self.w(i, "{% " + statement + " %}")
        for n, (cond, cols) in enumerate(variants):
            if len(variants) > 1:
                self.w(i, "{% " + branch(n, len(variants), cond) + " %}")
            # widths on the header cells, which fixed table layout reads (a <colgroup> would do the
            # same, but WeasyPrint's column boxes keep every cell in a reference cycle)
            self.w(i, '<table class="list">')
            self.w(i + 1, "<thead><tr>" + "".join(f'<th scope="col" style="width: {share * 100:.1f}%">{c.header}</th>'
                                                  for c, share in zip(cols, shares(cols))) + "</tr></thead>")
            self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr>" + "".join(f"<td>{c.cell}</td>" for c in cols)
                   + "</tr>{% endfor %}</tbody>")
            self.w(i, "</table>")
        if len(variants) > 1:
            self.w(i, "{% endif %}")

    def _bullets(self, b: Bullets, i: int) -> None:
        css = ' class="columns"' if b.columns > 1 else ""
        self.w(i, f"<ul{css}>{{% for " + b.loop + " %}<li>" + b.item + "</li>{% endfor %}</ul>")

    def _evaluation(self, b: Evaluation, i: int) -> None:
        # a list (tagged L/LI) of QR cards, one per line: the code, and beside it the actor's
        # name and the URL (a link), wide enough that a URL of ~100 characters stays on one line
        self.w(i, '{% if evaluation %}<section class="evaluation">')
        self.w(i + 1, "<h2>{{ t.common.evaluation_heading }}</h2>")
        self.w(i + 1, '<p class="lead-in">{{ evaluation_intro }}</p>')
        self.w(i + 1, '<ul class="evaluation">{% for e in evaluation %}<li>'
                      '<img class="qr" src="{{ e.qr.data_uri }}" alt="{{ e.qr.alt }}" '
                      'style="width: {{ e.qr.width_mm }}mm; height: {{ e.qr.height_mm }}mm">'
                      '<div class="card"><strong>{{ e.organisation }}</strong><br>'
                      '<span class="url">{{ e.url | link }}</span></div>'
                      "</li>{% endfor %}</ul>")
        self.w(i, "</section>{% endif %}")

    def _checkboxes(self, b: Checkboxes, i: int) -> None:
        # appearance: auto (style.css) makes WeasyPrint write a real check box form field, in
        # the line of its label (no space between them: the box's margin is the gap, so a
        # wrapped label lines up under its first line)
        self.w(i, '<ul class="choices">{% for ' + b.loop + ' %}<li><input type="checkbox" name="{{ '
               + b.name + ' }}" title="{{ ' + (b.title or b.label) + ' }}"{% if ' + b.checked
               + ' %} checked{% endif %}>{{ ' + b.label + " }}</li>{% endfor %}</ul>")

    def _signatures(self, b: Signatures, i: int) -> None:
        self.w(i, "<h2>{{ t.common.signatures_heading }}</h2>")
        self.w(i, '<table class="signatures">')
        self.w(i + 1, '<thead><tr><th scope="col">{{ t.common.signature }}</th>'
                      '<th scope="col">{{ t.common.name_clarification }}</th>'
                      '<th scope="col">{{ t.common.signature_date }}</th></tr></thead>')
        if b.fields:  # the consent: a fillable name and date per person
            self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr><td class=\"sign\"></td>"
                          "<td>" + b.name + "<br>" + b.role + "<br>"
                          '<input type="text" name="person.{{ loop.index0 }}.name" '
                          'title="{{ t.common.name_clarification }}: ' + b.name + '"></td>'
                          '<td><input type="text" class="date" name="person.{{ loop.index0 }}.date" '
                          'title="{{ t.common.signature_date }}: ' + b.name + '"></td></tr>{% endfor %}</tbody>')
        else:
            self.w(i + 1, "<tbody>{% for " + b.loop + " %}<tr><td class=\"sign\"></td>"
                          "<td>" + b.name + "<br>" + b.role + "</td><td></td></tr>{% endfor %}</tbody>")
        self.w(i, "</table>")

    def text(self, origin: str) -> str:
        body = "\n".join(self.lines)
        return ('{% extends "_base.html" %}\n'
                "{# Built by sipdocs from " + origin + "; `sipdocs forms build` writes it out. #}\n"
                "{% block body %}\n" + body + "\n{% endblock %}\n")


def _runs(runs: Sequence[Run]) -> str:
    return "".join(f"<strong>{r.text}</strong>" if isinstance(r, B) else r for r in runs)


def body_template(sections: Sequence[Section], origin: str) -> str:
    """The HTML template of one document kind."""
    writer = HtmlWriter()
    writer.emit(sections)
    return writer.text(origin)


BASE_HTML = """<!DOCTYPE html>
{# The page frame of every document: running header and footer, page numbers. #}
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ doc.title }}</title>
<meta name="generator" content="sipdocs pack {{ doc.pack.id }} {{ doc.pack.version }}">
<meta name="dcterms.created" content="{{ doc.date_iso }}">
<meta name="dcterms.modified" content="{{ doc.date_iso }}">
</head>
<body class="kind-{{ kind }}">
<header class="page-header">
  <div class="issuer">{{ doc.issuer or '' }}</div>
  <div class="doc-line"><strong>""" + HEADER_TITLE + """</strong> · {{ t.common.document_date }} {{ doc.date }} · {{ t.common.page }} <span class="page-no"></span> {{ t.common.page_of }} <span class="page-count"></span></div>
</header>
<footer class="page-footer">
""" + "\n".join(f"  <div>{line}</div>" for line in FOOTER_LINES) + """
</footer>
<main>
{# the logo as a letterhead on the first page (a running logo is laid out again on every page) #}
{% if doc.logo %}<img class="logo" src="{{ doc.logo.data_uri }}" alt="{{ doc.logo.alt }}" style="width: {{ doc.logo.width_mm }}mm; height: {{ doc.logo.height_mm }}mm">{% endif %}
{% block body %}{% endblock %}
</main>
</body>
</html>
"""
