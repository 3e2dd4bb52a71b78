"""The layout vocabulary: what a document is made of, before it is a Word or HTML template.

A layout (``forms/<pack>/layouts/<kind>.yaml``, read by :mod:`sipdocs.layout.load`) is a
list of :class:`Section` s; a section holds blocks. Every text in a block is already a Jinja
snippet over the template context (:func:`sipdocs.build_context`) — ``{{ t.invitation.intro }}``,
``{{ meeting.when }}`` — so the two writers (:mod:`.html`, :mod:`.word`) only decide how each
block looks in their format, and both formats carry the same sections in the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class B:
    """A bold run (a label)."""

    text: str


Run = str | B


@dataclass(frozen=True)
class H1:
    """The document's title."""

    text: str


@dataclass(frozen=True)
class H2:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class P:
    """A paragraph of runs; a paragraph of bold runs only is a label that keeps with what follows."""

    runs: Sequence[Run]


@dataclass(frozen=True)
class Text:
    """A paragraph holding a long value, its own line breaks kept."""

    snippet: str


@dataclass(frozen=True)
class If:
    """Blocks printed only when ``cond`` (a Jinja expression) holds."""

    cond: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class Row:
    """One label/value row; ``cond`` (a Jinja expression) decides whether it is printed."""

    label: str
    value: str
    cond: str | None = None


@dataclass(frozen=True)
class Fields:
    """Label/value rows: the labels in the first column (a Word table, an HTML table with row headers)."""

    rows: Sequence[Row]


@dataclass(frozen=True)
class Col:
    """A table column: its header, its cell (a snippet over the loop variable), its width
    relative to the other columns, and ``when``: the row fields that fill it. A column with
    ``when`` is printed only if some row has one of those fields, so no table has a column
    that is empty in every row."""

    header: str
    cell: str
    weight: float = 1.0
    when: Sequence[str] = ()


@dataclass(frozen=True)
class Table:
    """A data table: one row per item of ``items``, called ``var`` in the cells; a header row."""

    items: str
    var: str
    cols: Sequence[Col]

    @property
    def loop(self) -> str:
        return f"{self.var} in {self.items}"

    def variants(self, tag: str) -> tuple[list[str], list[tuple[str, list[Col]]]]:
        """The ``set`` statements naming which optional columns have content, and
        (condition, columns) for every combination, the one with most columns first.
        ``tag`` makes the variable names unique within a template."""
        optional = [c for c in self.cols if c.when]
        names = [f"{tag}_{i}" for i in range(len(optional))]
        sets = [f"set {name} = " + " or ".join(f"{self.items} | selectattr('{field}') | list" for field in col.when)
                for name, col in zip(names, optional)]
        out = []
        for shown in itertools.product((True, False), repeat=len(optional)):
            on = {id(col) for col, flag in zip(optional, shown) if flag}
            cond = " and ".join(name if flag else f"not {name}" for name, flag in zip(names, shown)) or "true"
            out.append((cond, [c for c in self.cols if not c.when or id(c) in on]))
        return sets, out


@dataclass(frozen=True)
class Bullets:
    """A bulleted list: one item per element of ``items`` (``var`` in ``item``)."""

    items: str
    var: str
    item: str
    columns: int = 1  # the PDF sets a long list of short items in two columns

    @property
    def loop(self) -> str:
        return f"{self.var} in {self.items}"


@dataclass(frozen=True)
class Evaluation:
    """The evaluation QR codes, one card per actor (code, name, URL)."""


@dataclass(frozen=True)
class Together:
    """Blocks kept on one page where they fit (a closing statement and its signature)."""

    blocks: Sequence[Block]


@dataclass(frozen=True)
class Checkboxes:
    """A list of choices: ☑/☐ in Word, real check boxes (form fields) in the PDF."""

    items: str
    var: str
    name: str     # the field name (a Jinja expression)
    checked: str  # the condition (a Jinja expression)
    label: str    # the label (a Jinja expression)
    title: str = ""  # the field's accessible name (default: the label); read back by sipdocs

    @property
    def loop(self) -> str:
        return f"{self.var} in {self.items}"


@dataclass(frozen=True)
class Signatures:
    """A signature table, one row per signer; ``fields``: fillable name and date (the consent)."""

    items: str
    var: str
    name: str  # snippets ({{ s.name }})
    role: str
    fields: bool = False

    @property
    def loop(self) -> str:
        return f"{self.var} in {self.items}"


@dataclass(frozen=True)
class Section:
    """A part of the document with a stable id (patches and ``forms check`` name it)."""

    id: str
    blocks: Sequence[Block] = field(default_factory=tuple)


Block = H1 | H2 | P | Text | If | Fields | Table | Bullets | Evaluation | Together | Checkboxes | Signatures | Section

TEXT_WIDTH_MM = 170  # A4 less 20 mm margins


def branch(n: int, count: int, cond: str) -> str:
    """The Jinja statement opening variant ``n`` of ``count``."""
    return f"if {cond}" if n == 0 else "else" if n == count - 1 else f"elif {cond}"


def shares(cols: Sequence[Col]) -> list[float]:
    """Each column's share of the table width (the weights, normalised)."""
    total = sum(c.weight for c in cols)
    return [c.weight / total for c in cols]


# The running header and footer of every page (both formats).
HEADER_TITLE = "{{ doc.title }}"
FOOTER_LINES = (
    "{{ t.common.legal_basis }}: {{ doc.legal_reference }}",
    "{{ doc.confidentiality }}",
    "{% if doc.case_id %}{{ t.common.case_id }}: {{ doc.case_id }} · {% endif %}"
    "{{ t.common.pack }}: {{ doc.pack.name }} {{ doc.pack.version }}",
)
