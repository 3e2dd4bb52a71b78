"""Word output as a recipient without Word sees it: each .docx converted by LibreOffice.

One LibreOffice run converts every sample (national sv/en, stockholm, dalarna) and
*sweeps*: the same document with 0, 3, 6 … extra lines early on, so that page breaks fall
at every place of the blocks after them (QR cards, signature rows, label/value grids). On
the PDFs, positions of text (poppler) and pictures (pikepdf) show whether a QR card, a
signature table or a table row was divided, and whether a page ends with a heading.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from sipdocs import Renderer, RenderOptions, build_context

from .conftest import KINDS, load_sample
from .test_pack_rules import STOCKHOLM_ACTORS, stockholm_plan
from .word_layout import Page, catalog_lang, convert, docx_headings, empty_rows, link_uris, pdf_pages, qr_pictures

pytestmark = pytest.mark.slow

RENDERER = Renderer(RenderOptions())
CARD_TEXT_BELOW_PT = 30             # a QR card's name and URL may stand beside the code or under it
HEADING_MIN_PT = 15                 # a heading's line box (13 and 18 pt type); body text: 13.7 pt
_KINDS_OF = {"Utbildningsförvaltningen": "SKOLA", "Socialförvaltningen": "SOCIALTJANST", "BUMM": "BUMM",
             "PRIMA": "BUP", "Habiliteringen": "HABILITERING"}


def stockholm_actors() -> list[dict]:
    return [{"organisation": name, "actor_kind": _KINDS_OF[name], "function": "representant"}
            for name in STOCKHOLM_ACTORS]


def padded(data: dict, field: str, lines: int) -> dict:
    """``data`` with ``lines`` more lines in a free-text field (moves what follows down)."""
    out = copy.deepcopy(data)
    if lines:
        out[field] = out[field] + "\n" + "\n".join(f"Rad {i} av {lines}." for i in range(1, lines + 1))
    return out


def stockholm(kind: str) -> dict:
    if kind == "plan":
        return stockholm_plan()
    data = load_sample(kind)
    data["pack"] = "stockholm"
    if kind == "closure":
        data["recipients"] = stockholm_actors()
    if kind == "followup":
        data["attendees"] = stockholm_actors()
    return data


LONG_NAMES = [
    ("Barn- och ungdomspsykiatriska mottagningen Södertälje", "BUP", "socialsekreterare"),
    ("Socialförvaltningen", "SOCIALTJANST", "arbetsterapeut"),
    ("Habiliteringscentrum Västerort", "HABILITERING", "specialpedagog"),
    ("Utbildningsförvaltningen", "SKOLA", "skolsköterska"),
]


def long_names_invitation() -> dict:
    """The invitation with long real organisation names and titles in its narrow columns."""
    data = load_sample("invitation")
    data["invitees"] = [{"organisation": org, "actor_kind": kind, "function": function,
                         "email": "robin.samordnare@example.org"}
                        for org, kind, function in LONG_NAMES]
    return data


def long_names_plan() -> dict:
    """The plan with the long names as where and by whom interventions are given: the narrow
    'Var' column (about 27 mm) cannot hold them unhyphenated."""
    data = load_sample("plan")
    for intervention, (org, _, _) in zip(data["interventions"], LONG_NAMES):
        intervention["where"] = org
        intervention["responsible"] = org
    return data


def tall_rows_plan() -> dict:
    """A plan whose first intervention and meeting place hold 10,000 characters each, in
    numbered sentences ("[0001] …"), so lost lines show as missing numbers."""
    sentences = [f"[{n:04d}] Skolan anpassar skoldagen och följer upp närvaron varje vecka." for n in range(1, 200)]
    text = " ".join(sentences)[:10000]
    data = load_sample("plan")
    data["interventions"][0]["what"] = text
    data["meeting"]["location"] = text
    return data


def long_urls_plan() -> dict:
    """The plan with evaluation URLs of 100 characters (a typical municipal survey link)."""
    data = load_sample("plan")
    for n, attendee in enumerate(data["attendees"]):
        url = f"https://utvardering.example.org/stockholms-lan/barn-och-unga/sip/enkat-{n}?kalla=plan&aktor="
        attendee["evaluation_url"] = (url + "x" * 100)[:100]
    return data


@dataclass
class Case:
    name: str
    data: dict
    lang: str | None = None


def cases() -> list[Case]:
    out = []
    for kind in KINDS:
        out.append(Case(f"national-sv-{kind}", load_sample(kind)))
        out.append(Case(f"national-en-{kind}", load_sample(kind), "en"))
        out.append(Case(f"stockholm-{kind}", stockholm(kind)))
        dalarna = load_sample(kind)
        dalarna["pack"] = "dalarna"
        out.append(Case(f"dalarna-{kind}", dalarna))
    out += [Case(f"sweep-plan-{n:02d}", padded(stockholm_plan(), "summary", n)) for n in range(0, 54, 3)]
    out += [Case(f"sweep-consent-{n:02d}", padded(load_sample("consent"), "information_covered", n))
            for n in range(0, 42, 3)]
    out += [Case(f"sweep-closure-{n:02d}", padded(stockholm("closure"), "where_to_turn", n)) for n in range(0, 48, 6)]
    out += [Case(f"sweep-followup-{n:02d}", padded(stockholm("followup"), "summary", n)) for n in range(0, 48, 6)]
    out.append(Case("long-names", long_names_invitation()))
    out.append(Case("long-names-plan", long_names_plan()))
    out.append(Case("tall-rows", tall_rows_plan()))
    out.append(Case("long-urls", long_urls_plan()))
    return out


@dataclass
class Converted:
    case: Case
    docx: bytes
    pdf: Path

    @property
    def pages(self) -> list[Page]:
        if not hasattr(self, "_pages"):
            self._pages = pdf_pages(self.pdf)
        return self._pages


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Converted]:
    folder = tmp_path_factory.mktemp("word-layout")
    blobs = {}
    for case in cases():
        blobs[case.name] = (case, RENDERER.render(case.data, ("docx",), lang=case.lang)["docx"])
        (folder / f"{case.name}.docx").write_bytes(blobs[case.name][1])
    pdfs = convert(sorted(folder.glob("*.docx")), folder, folder / "profile")
    return {name: Converted(case, blob, pdfs[folder / f"{name}.docx"]) for name, (case, blob) in blobs.items()}


_PAGE_LINE = re.compile(r"(Sida|Page) \d+ (av|of) \d+")
_FOOTER_START = re.compile(r"^(Lagrum|Legal basis)\b")


def body_lines(page: Page):
    """The page's lines between the running header (which ends with the "Sida x av y" line,
    lower on the first page, whose header has the logo) and the footer ("Lagrum: …")."""
    top = max((line.box.y1 for line in page.lines if _PAGE_LINE.search(line.text)), default=0.0)
    bottom = min((line.box.y0 for line in page.lines if _FOOTER_START.search(line.text)), default=page.height)
    return [line for line in page.lines if line.box.y0 >= top - 0.5 and line.box.y1 <= bottom + 0.5
            and not _PAGE_LINE.search(line.text)]


# --- empty rows ---------------------------------------------------------------------------------

def test_no_table_row_is_empty(converted):
    # LibreOffice showed an empty bordered row at the top of the consent's page 2: the rest of
    # a split label/value row (its text fitted on page 1, its paragraph spacing did not).
    found = {name: rows for name, c in converted.items() if (rows := empty_rows(c.pdf))}
    assert found == {}


# --- QR cards ---------------------------------------------------------------------------------------

def test_qr_cards_are_whole_on_one_page(converted):
    crossing = []
    heading_pages: dict[str, int] = {}
    checked = 0
    for name, c in converted.items():
        evaluation = build_context(c.case.data, lang=c.case.lang).get("evaluation")
        if not evaluation:
            continue
        codes = qr_pictures(c.pdf)
        assert sorted(url for _, url in codes) == sorted(e["url"] for e in evaluation), name
        by_url = {e["url"]: e["organisation"] for e in evaluation}
        pages = {picture.page for picture, _ in codes}
        if len(pages) > 1:
            crossing.append(name)
        # the heading and its intro stay with the first card
        heading = build_context(c.case.data, lang=c.case.lang)["t"]["common"]["evaluation_heading"]
        [heading_page] = [p.number for p in c.pages for line in body_lines(p) if line.text == heading]
        assert heading_page == min(codes, key=lambda code: (code[0].page, code[0].box.y0))[0].page, name
        heading_pages[name] = heading_page
        for picture, url in codes:
            page = c.pages[picture.page - 1]
            # the card's text: beside the code or just under it, on the code's page
            card = [line.text for line in page.lines
                    if picture.box.y0 - 2 <= line.box.cy <= picture.box.y1 + CARD_TEXT_BELOW_PT]
            # the URL whole on one line (not broken at "/"), and the actor's name
            assert url in card, (name, picture.page, url, card)
            assert by_url[url] in card, (name, picture.page, by_url[url], card)
            checked += 1
    # five cards fit on a page, so the block moves whole (heading, intro and cards keep together)
    assert crossing == []
    # the sweeps must have pushed the block onto the next page, or this test proves nothing
    sweeps = {page for name, page in heading_pages.items() if name.startswith("sweep-plan")}
    assert len(sweeps) >= 2, heading_pages
    assert checked > 100


# --- headings and signatures ----------------------------------------------------------------------

def test_no_page_ends_with_a_heading(converted):
    ends = []
    for name, c in converted.items():
        headings = set(docx_headings(c.docx))
        for page in c.pages[:-1]:
            lines = body_lines(page)
            last = lines[-1] if lines else None
            if last is not None and last.box.y1 - last.box.y0 >= HEADING_MIN_PT and any(
                    h == last.text or (h.startswith(last.text) and len(last.text) > 12) for h in headings):
                ends.append((name, page.number, last.text))
    assert ends == []


def test_signature_table_is_never_split(converted):
    heading_pages = {}
    for name, c in converted.items():
        context = build_context(c.case.data, lang=c.case.lang)
        signatories = [s["name"] for s in (context.get("signatures") if context.get("show_signatures")
                                           else context.get("consenting_persons") if c.case.data["kind"] == "consent"
                                           else None) or []]
        if not signatories:
            continue
        heading = context["t"]["common"]["signatures_heading"]
        [(page_no, y)] = [(p.number, line.box.y0) for p in c.pages for line in body_lines(p) if line.text == heading]
        heading_pages.setdefault(c.case.data["kind"], set()).add(page_no)
        page = c.pages[page_no - 1]
        for person in signatories:
            assert any(person in line.text and line.box.y0 > y for line in page.lines), (name, person)
    # the sweeps moved the signatures across a page end (each kind's heading on two pages)
    assert len(heading_pages.get("plan", ())) >= 2 and len(heading_pages.get("consent", ())) >= 2, heading_pages


# --- links and language ----------------------------------------------------------------------------

def test_links_are_clickable_in_libreoffice(converted):
    invitation = {uri for _, uri in link_uris(converted["national-sv-invitation"].pdf)}
    data = load_sample("invitation")
    assert data["meeting"]["link"] in invitation
    assert {"mailto:" + data["convener"]["email"], "mailto:" + data["guardians"][0]["email"]} <= invitation
    assert {"mailto:" + i["email"] for i in data["invitees"] if "email" in i} <= invitation
    plan = [uri for _, uri in link_uris(converted["stockholm-plan"].pdf)]
    urls = [e["url"] for e in build_context(stockholm_plan())["evaluation"]]
    assert len(urls) == 5 and set(urls) <= set(plan)


@pytest.mark.parametrize("lang, tag", [("sv", "sv-SE"), ("en", "en-GB")])
def test_libreoffice_reads_the_document_language(converted, lang, tag):
    for kind in KINDS:
        assert catalog_lang(converted[f"national-{lang}-{kind}"].pdf) == tag, kind


# --- hyphenation ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+")


def _columns(page: Page) -> list[list]:
    """Runs of lines that continue each other: same left edge, one line below the other."""
    runs: list[list] = []
    for line in sorted(page.lines, key=lambda ln: (round(ln.box.x0), ln.box.y0)):
        last = runs[-1][-1] if runs else None
        if last is not None and abs(last.box.x0 - line.box.x0) < 2 and -4 <= line.box.y0 - last.box.y1 < 6:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def test_swedish_words_are_hyphenated_never_broken(converted):
    c = converted["long-names"]
    vocabulary = {w.lower() for org, _, function in LONG_NAMES for w in _WORD.findall(f"{org} {function}")}
    hyphenated, broken = [], []
    for page in c.pages + converted["long-names-plan"].pages:
        for run in _columns(page):
            for upper, lower in zip(run, run[1:]):
                end, start = upper.words[-1], lower.words[0]
                head, tail = "".join(_WORD.findall(end)), "".join(_WORD.findall(start.split("-")[0]))
                if end.endswith("-") and (head + tail).lower() in vocabulary:
                    hyphenated.append(f"{end}|{start}")
                elif head.lower() not in vocabulary and (head + tail).lower() in vocabulary:
                    broken.append(f"{end}|{start}")
    assert broken == []
    assert len(hyphenated) >= 3, hyphenated
    # an e-mail address is a link in no language: never given a hyphen
    # (it may wrap in its 48 mm column, preferably after a dot; pdftotext then reads the
    # row's last cell into the same line, so the address is matched up to its first break)
    runs = ["".join(line.text for line in run) for page in c.pages for run in _columns(page)]
    assert any("robin.samordnare@" in text for text in runs)
    assert not any(re.search(r"robin\.samordnare@\S*-", text) for text in runs)


def test_a_row_taller_than_a_page_is_shown_whole(converted):
    # a row that may not split but is taller than a page loses lines in some readers: such
    # rows are allowed to split, and every sentence is there, in both places
    c = converted["tall-rows"]
    text = "".join(page.text for page in c.pages)
    numbers = re.findall(r"\[(\d{4})\]", c.case.data["meeting"]["location"])
    assert len(numbers) > 100
    missing = [n for n in numbers if text.count(f"[{n}]") != 2]
    assert missing == []


def test_word_files_are_laid_out_with_arial_metrics(converted):
    """Arial everywhere, headings included (not the theme's Calibri), which LibreOffice lays
    out with the metric-compatible Liberation Sans (fonts-liberation); bullets in OpenSymbol,
    and DejaVu Sans only as the fallback for glyphs Arial lacks (the consent's ☒ and ☐)."""
    import subprocess

    for kind in KINDS:
        listing = subprocess.run(["pdffonts", str(converted[f"national-sv-{kind}"].pdf)], capture_output=True,
                                 text=True, check=True).stdout.splitlines()[2:]
        fonts = {line.split()[0].split("+", 1)[-1] for line in listing}
        assert fonts <= {"LiberationSans", "LiberationSans-Bold", "OpenSymbol", "DejaVuSans"}, (kind, fonts)
        assert "LiberationSans-Bold" in fonts


def test_the_sample_invitation_fits_on_three_pages_in_libreoffice(converted):
    for name in ("national-sv-invitation", "national-en-invitation", "stockholm-invitation", "dalarna-invitation"):
        assert len(converted[name].pages) <= 3, name
