"""Documents fit to send (issue 14, "How to know"): nothing clipped, no broken words — in the
PDF and in the Word file as LibreOffice lays it out.

* **Nothing clipped**: for every document of the sample matrix (samples and long real names × six
  kinds × national sv/en, stockholm, dalarna) and every corpus case (the hostile corpus, and the
  ``fit`` cases: 3,000-character unbroken tokens in every free-text field, 10,000 in every
  long-text field, a Teams link, long e-mail addresses and URLs), every word drawn lies inside
  its page's box and over no other word (the running header and footer included), and every
  value is found in ``pdftotext``'s text.
* **No broken words**: in the sample matrix, every alphabetic word of the input is found whole or
  split at a line end with a hyphen, and no word of the input or of the pack's fixed texts is
  split without one.

The checkers are tried on crafted WeasyPrint pages first, so a check that could not fail shows.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

import pytest

from .conftest import KINDS
from .docs import evaluation_shown, expected_strings, pdf_missing, pdf_normalise, pdf_text, squash
from .matrix import CELLS, CORPUS_CASES, Cell
from .pages import Line, Word, columns, glyphs_outside, lines, overlapping, without_running
from .wordbreak import check, words_of

FORMATS = ("pdf", "docx")  # docx: the Word file as LibreOffice lays it out


# Drawn beside the text, not text: list bullets (WeasyPrint's •, Word's Symbol-font bullet) and
# the consent's check boxes in the Word file (LibreOffice draws a box after its label's first line).
_DECORATIONS = re.compile("[•\uf0b7\u2610-\u2612]")
# Emoji: sipdocs' PDF embeds its own emoji font, but a Word file names fonts the reader must have;
# LibreOffice on this machine has none for 🙂 or ⚽ and leaves them out (the hardening tests find
# them in the Word file's XML).
_EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f]")


def clipping_problems(pdf: bytes, kind: str, data: dict, *, libreoffice: bool = False) -> list[str]:
    """Words drawn outside the page or over other words, and values missing from pdftotext's
    text (of a Word file laid out by LibreOffice: emoji aside)."""
    problems = [f"outside the page: {where}" for where in glyphs_outside(pdf)]
    problems += [f"overlap: {where}" for where in overlapping(pdf)]
    values = expected_strings(kind, data, evaluation=evaluation_shown(kind, data))
    if libreoffice:
        values = [_EMOJI.sub("", v) for v in values]
    missing = pdf_missing(pdf, values)
    if missing:
        # pdf_missing crops WeasyPrint's page margins away; LibreOffice's running header and
        # footer lie elsewhere, so read again without the lines that recur on every page, and
        # read a table cell broken over a page in its own column, without the lines of the header
        # row repeated on the next page (lines that are (part of) one of the pack's fixed texts)
        fixed = fixed_blob(data.get("pack") or "national", data.get("lang") or "sv")
        body_lines = without_running(lines(pdf))
        readings = [" ".join(line.text for line in body_lines),
                    *columns(body_lines, heading=lambda text: squash(pdf_normalise(text)) in fixed)]
        haystacks = [pdf_normalise(_DECORATIONS.sub("", text)) for text in readings]
        missing = [v for v in missing if not any(pdf_normalise(v) in hay for hay in haystacks)]
    for value in missing:
        shown = value if len(value) <= 60 else f"{value[:50]}…({len(value)} characters)"
        problems.append(f"not in the text: {shown!r}")
    return problems


@cache
def fixed_texts(pack: str, lang: str) -> tuple[str, ...]:
    """Every fixed text of a pack's catalogue in one language."""
    from sipdocs.packs import load_pack

    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.append(node)

    walk(load_pack(pack).catalogue(lang))
    return tuple(found)


@cache
def fixed_blob(pack: str, lang: str) -> str:
    """The pack's fixed texts, normalised as pdf_normalise does, one per line (table headings
    among them)."""
    return "\n".join(squash(pdf_normalise(t)) for t in fixed_texts(pack, lang))


def broken_words(pdf: bytes, kind: str, data: dict, pack: str, lang: str) -> list[str]:
    values = expected_strings(kind, data, evaluation=evaluation_shown(kind, data))
    fixed = fixed_texts(pack, lang)
    return check(lines(pdf), words_of(values), words_of(fixed), [*values, *fixed]).problems()


# --- the checkers on crafted pages ----------------------------------------------------------------

WORDS = ["Socialförvaltningen", "socialsekreterare", "arbetsterapeut", "ungdomspsykiatriska",
         "Habiliteringen", "skolsköterska"]


def _narrow_column(css: str, lang: str = "sv") -> bytes:
    """A WeasyPrint page with the words in a 30 mm table column."""
    from weasyprint import HTML

    html = (f'<html lang="{lang}"><style>@page {{ size: A5; margin: 15mm }}'
            f' table {{ table-layout: fixed; width: 90mm; border-collapse: collapse }}'
            f' td {{ width: 30mm; border: 0.5pt solid; font: 10pt sans-serif; {css} }}</style>'
            f'<table><tr><td>{" ".join(WORDS)}</td><td>Kommun</td><td>Region</td></tr></table></html>')
    return HTML(string=html).write_pdf()


def test_checker_flags_words_split_without_a_hyphen():
    pdf = _narrow_column("hyphens: none; overflow-wrap: anywhere")
    report = check(lines(pdf), set(WORDS))
    assert {s.word for s in report.broken} >= {"Socialförvaltningen", "socialsekreterare", "ungdomspsykiatriska"}
    assert report.missing == []
    first = str(report.broken[0])
    assert "|" in first and "page 1" in first  # the fragments and the page are named


def test_checker_passes_swedish_hyphenation():
    pdf = _narrow_column("hyphens: auto; overflow-wrap: anywhere")
    report = check(lines(pdf), set(WORDS))
    assert report.problems() == []
    assert report.hyphenated, "the column is narrow enough to hyphenate"
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    assert "\u2010\n" in raw.decode("utf-8")  # WeasyPrint's hyphen at a line end


def _line(text: str, top: float) -> Line:
    return Line(1, top, tuple(Word(w, 1, 0, top, 10, top + 10) for w in text.split()))


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u00ad"])
def test_checker_accepts_libreoffice_hyphens_and_hyphenated_words(hyphen):
    doc = [_line(f"Barn- och ungdomspsy{hyphen}", 0), _line("kiatriska mottagningen, Öberg-", 10),
           _line("Lindén", 20)]
    words = words_of(["Barn- och ungdomspsykiatriska mottagningen", "Öberg-Lindén"])
    report = check(doc, words)
    assert report.problems() == [] and [s.word for s in report.hyphenated] == ["ungdomspsykiatriska"]


def test_checker_flags_a_split_over_three_lines_and_a_missing_word():
    doc = [_line("Social", 0), _line("förvalt", 10), _line("ningen och", 20)]
    report = check(doc, words_of(["Socialförvaltningen och Barn"]))
    assert [str(s) for s in report.broken] == ["'Socialförvaltningen' split as 'Social|förvalt|ningen' on page 1"]
    assert report.missing == ["Barn"]


def test_checker_takes_a_wrap_at_a_space_between_two_source_words():
    doc = [_line("SIP-möte in", 0), _line("satser", 10)]
    assert check(doc, {"in", "satser"}, {"insatser"}, sources=["in satser", "insatser"]).problems() == []
    assert [s.word for s in check(doc, {"insatser"}, sources=["insatser"]).broken] == ["insatser"]


def test_clipping_check_sees_glyphs_beyond_the_page_edge():
    from weasyprint import HTML

    token = "Fält01x" + "abcdefghijklmnopqrstuvwxyzåäö0123456789" * 20
    page = '<html lang="sv"><style>@page {{ size: A5; margin: 15mm }} p {{ {css} }}</style><p>{t}</p></html>'
    clipped = HTML(string=page.format(css="white-space: nowrap", t=token)).write_pdf()
    assert token not in pdf_text(clipped).replace("\n", "")  # poppler drops what is off the page
    [where] = glyphs_outside(clipped)
    assert where.startswith("page 1: 'Fält01x") and "(787 characters)" in where
    assert clipping_problems(clipped, "closure", {"reason_text": token}) != []
    wrapped = HTML(string=page.format(css="overflow-wrap: anywhere", t=token)).write_pdf()
    assert glyphs_outside(wrapped) == []
    assert clipping_problems(wrapped, "closure", {"reason_text": token}) == []


def test_overlap_check_sees_text_drawn_over_text():
    from weasyprint import HTML

    page = ('<html lang="sv"><style>@page {{ size: A5; margin: 15mm }} p {{ margin: 0 }} .over {{ {css} }}'
            '</style><p>Socialförvaltningen kallar till möte.</p><p class="over">Habiliteringen deltar.</p></html>')
    over = HTML(string=page.format(css="position: absolute; top: 0; left: 0")).write_pdf()
    found = overlapping(over)
    assert any("'Habiliteringen' and 'Socialförvaltningen'" in w and w.startswith("page 1:") for w in found), found
    assert overlapping(HTML(string=page.format(css="")).write_pdf()) == []


# --- nothing clipped ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_matrix_nothing_clipped(documents, cell: Cell, fmt):
    doc = documents.matrix(cell)
    problems = clipping_problems(doc.pdf_of(fmt), cell.kind, doc.data, libreoffice=fmt == "docx")
    assert not problems, f"{cell.id} ({fmt}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("entry", CORPUS_CASES, ids=lambda e: e["file"].removesuffix(".json"))
def test_corpus_nothing_clipped(documents, entry, fmt):
    doc = documents.corpus(entry)
    problems = clipping_problems(doc.pdf_of(fmt), entry["kind"], doc.data, libreoffice=fmt == "docx")
    assert not problems, f"{entry['file']} ({fmt}):\n  " + "\n  ".join(problems)


def test_corpus_has_unbroken_tokens_in_every_kind():
    cases = {(e["case"], e["kind"]) for e in CORPUS_CASES if e["expect"] == "fit"}
    for case in ("unbroken_3000", "unbroken_10000", "long_names"):
        assert {kind for c, kind in cases if c == case} == set(KINDS), case


# --- no broken words ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_matrix_no_broken_words(documents, cell: Cell, fmt):
    doc = documents.matrix(cell)
    problems = broken_words(doc.pdf_of(fmt), cell.kind, doc.data, cell.pack, cell.lang)
    assert not problems, f"{cell.id} ({fmt}):\n  " + "\n  ".join(problems)
