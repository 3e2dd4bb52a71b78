"""The fillable consent: check boxes any reader shows and prints, a form font any filler can type
with, read-back of filled, encrypted and packeted consents.

Every check uses a real reader: poppler (pdftoppm, pdftotext), Ghostscript, qpdf, pikepdf/pypdf,
and three independent fillers — pypdf (sipdocs' ``fill_consent_form``), pdftk (pdftk-java, on
iText) and MuPDF (PyMuPDF).
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import sipdocs
from sipdocs import Renderer, RenderOptions
from sipdocs.consent_form import fill_consent_form, form_fields, read_consent, read_consents

from .conftest import load_sample
from .test_pdf import conformance_failures, qpdf_check

RENDERER = Renderer()
VARIANTS = [("national", "sv"), ("national", "en"), ("stockholm", "sv"), ("dalarna", "sv")]
FILLED_NAME = "Åsa Öberg-Lindén"


def consent_pdf(pack: str = "national", lang: str = "sv", data: dict | None = None) -> bytes:
    return RENDERER.render(data or load_sample("consent"), ("pdf",), pack=pack, lang=lang)["pdf"]


def widgets(pdf: bytes) -> list[dict]:
    """Every widget: page index, rectangle, fully qualified name, field type, state, appearances."""
    import pikepdf

    out = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                names, field = [], annot
                while field is not None:
                    if "/T" in field:
                        names.append(str(field.T))
                    field = field.get("/Parent")
                normal = annot.AP.N if "/AP" in annot else None
                states = {str(k): v.read_bytes() for k, v in normal.items()} \
                    if isinstance(normal, pikepdf.Dictionary) and "/Type" not in normal else {}
                out.append({"page": index, "rect": [float(v) for v in annot.Rect],
                            "name": ".".join(reversed(names)), "type": str(annot.get("/FT")),
                            "state": str(annot.get("/AS", "")), "value": str(annot.get("/V", "")),
                            "states": states, "label": str(annot.get("/TU", "")),
                            "page_height": float(page.mediabox[3])})
    return out


def check_boxes(pdf: bytes) -> list[dict]:
    return [w for w in widgets(pdf) if w["type"] == "/Btn"]


def expected_checked(data: dict) -> dict[str, bool]:
    """Field name → whether the box is rendered checked (the input's purposes; every party)."""
    codes = ("establish_sip", "follow_up_sip", "information_exchange", "other")
    out = {f"purpose.{code}": code in data["purposes"] for code in codes}
    out.update({f"party.{i}": True for i in range(len(data["parties"]))})
    return out


# --- check boxes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pack, lang", VARIANTS)
def test_check_boxes_have_on_and_off_appearances(pack, lang):
    """/On draws a stroked tick, /Off nothing; /AS and /V name the state rendered; Ghostscript
    finds an appearance for every state (it warned "AcroForm field 'Btn' with no AP")."""
    data = load_sample("consent")
    pdf = consent_pdf(pack, lang)
    boxes = check_boxes(pdf)
    assert {b["name"]: b["state"] == "/On" for b in boxes} == expected_checked(data)
    for box in boxes:
        assert set(box["states"]) == {"/On", "/Off"}, box["name"]
        assert box["state"] == box["value"]
        tick, empty = box["states"]["/On"], box["states"]["/Off"]
        assert re.search(rb"\bS\b", tick) and not re.search(rb"\b[fFbB]\*?\s", tick), tick  # stroked, not filled
        assert empty.strip() == b""
    gs = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", "-"], input=pdf,
                        capture_output=True)
    assert gs.returncode == 0 and b"no AP" not in gs.stdout + gs.stderr, gs.stdout + gs.stderr


def _box_pixels(pdf: bytes, box: dict, dpi: int, tmp: Path) -> list[int]:
    """The grey values inside a check box's border, rendered by poppler at ``dpi``."""
    from PIL import Image

    prefix = tmp / f"p{box['page']}"
    if not Path(f"{prefix}.pgm").exists():
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(box["page"] + 1), "-l", str(box["page"] + 1),
                        "-singlefile", "-", str(prefix)], input=pdf, check=True)
    image = Image.open(f"{prefix}.pgm")
    scale = dpi / 72
    x1, y1, x2, y2 = box["rect"]
    top = box["page_height"] - max(y1, y2)
    inset = 1.2  # points: inside the 0.5 pt border
    crop = (round((min(x1, x2) + inset) * scale), round((top + inset) * scale),
            round((max(x1, x2) - inset) * scale), round((top + abs(y2 - y1) - inset) * scale))
    return list(image.crop(crop).convert("L").tobytes())


@pytest.mark.parametrize("pack, lang", VARIANTS)
def test_a_ticked_box_shows_a_tick_and_an_unticked_one_is_empty(pack, lang, tmp_path):
    """Printed as poppler renders it: dark pixels inside a checked box, but far from a filled
    square (before: the page content drew a black block there); nothing inside an empty box."""
    pdf = consent_pdf(pack, lang)
    checked_seen = unchecked_seen = 0
    for box in check_boxes(pdf):
        pixels = _box_pixels(pdf, box, 200, tmp_path)
        dark = sum(1 for p in pixels if p < 128) / len(pixels)
        if box["state"] == "/On":
            assert 0.08 < dark < 0.55, (box["name"], dark)
            checked_seen += 1
        else:
            assert dark < 0.01, (box["name"], dark)
            unchecked_seen += 1
    assert checked_seen >= 6 and unchecked_seen >= 1


def _words(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) from ``pdftotext -bbox`` (top-left origin, points)."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words, page = [], -1
    for line in html.decode("utf-8").splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if match:
            words.append((page, *map(float, match.groups()[:4]), match.group(5)))
    return words


def assert_boxes_beside_their_labels(pdf: bytes) -> int:
    """Each check box's label starts right of the box, on its page and its line."""
    words = _words(pdf)
    found = 0
    for box in check_boxes(pdf):
        x1, y1, x2, y2 = box["rect"]
        top, bottom = box["page_height"] - max(y1, y2), box["page_height"] - min(y1, y2)
        first = re.split(r"[\s,]+", box["label"].strip())[0]
        beside = [w for w in words if w[0] == box["page"] and max(x1, x2) < w[1] < max(x1, x2) + 12
                  and w[2] < bottom and w[4] > top]  # overlaps the box vertically
        assert beside and beside[0][5].rstrip(",") == first, (box["name"], box["page"], beside[:2], first)
        found += 1
    return found


@pytest.mark.parametrize("pack, lang", VARIANTS)
def test_each_box_is_in_the_line_of_its_label(pack, lang):
    assert assert_boxes_beside_their_labels(consent_pdf(pack, lang)) >= 7


def test_a_page_break_never_parts_a_box_from_its_label():
    """A list of parties long enough to run onto the next page, with labels that wrap."""
    data = load_sample("consent")
    data["parties"] += [{"organisation": f"Verksamhet {i} med ett mycket långt namn för att raden ska brytas "
                                         f"i Testkommuns förvaltning för barn och unga", "actor_kind": "SKOLA",
                         "principal": "kommun"} for i in range(25)]
    pdf = consent_pdf(data=data)
    boxes = check_boxes(pdf)
    assert len({b["page"] for b in boxes}) >= 2  # the list does cross a page break
    assert assert_boxes_beside_their_labels(pdf) == len(boxes) == 4 + 29


# --- the form font and three fillers -------------------------------------------------------------

def _form_font(pdf: bytes) -> dict:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        form = doc.Root.AcroForm
        das = {str(w.DA) for w in doc.objects if isinstance(w, pikepdf.Dictionary) and w.get("/FT") == "/Tx"}
        name = re.match(r"/(\S+) [\d.]+ Tf", next(iter(das))).group(1)
        font = form.DR.Font[f"/{name}"]
        descriptor = font.FontDescriptor
        return {"das": das, "subtype": str(font.Subtype), "encoding": str(font.get("/Encoding")),
                "embedded": "/FontFile2" in descriptor, "flags": int(descriptor.Flags),
                "first": int(font.FirstChar), "widths": [float(w) for w in font.Widths],
                "program": descriptor.FontFile2.read_bytes(), "name": str(font.BaseFont)}


def test_text_fields_name_a_simple_winansi_font_in_the_form_resources():
    """A simple TrueType font with WinAnsiEncoding, embedded, non-symbolic, its /Widths those of
    its program; every text field's /DA names it (before: the composite Identity-H body font)."""
    from fontTools.ttLib import TTFont

    font = _form_font(consent_pdf())
    assert all(re.fullmatch(r"/SIPForm [\d.]+ Tf 0 g", da) for da in font["das"]), font["das"]
    assert (font["subtype"], font["encoding"], font["embedded"]) == ("/TrueType", "/WinAnsiEncoding", True)
    assert font["flags"] & 32 and not font["flags"] & 4  # non-symbolic
    program = TTFont(io.BytesIO(font["program"]))
    cmap, upem = program.getBestCmap(), program["head"].unitsPerEm
    assert (3, 1) in {(t.platformID, t.platEncID) for t in program["cmap"].tables}
    for char in "Åsa Öberg-Lindén äüé€":
        code = char.encode("cp1252")[0]
        advance = program["hmtx"][cmap[ord(char)]][0] * 1000 / upem
        assert abs(font["widths"][code - font["first"]] - advance) < 0.01, char


def _fill_pdftk(pdf: Path, out: Path, values: dict[str, str], flatten: bool) -> None:
    fields = "".join(f'<field name="{name}"><value>{value}</value></field>' for name, value in values.items())
    xfdf = out.with_suffix(".xfdf")
    xfdf.write_text('<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/" '
                    f'xml:space="preserve"><fields>{fields}</fields></xfdf>', encoding="utf-8")
    subprocess.run(["pdftk", str(pdf), "fill_form", str(xfdf), "output", str(out), *(["flatten"] if flatten else [])],
                   check=True, capture_output=True)


def _fill_mupdf(pdf: Path, out: Path, values: dict[str, str], flatten: bool) -> None:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        for page in doc:
            for widget in page.widgets():
                if widget.field_name in values:
                    widget.field_value = values[widget.field_name]
                    widget.update()
        if flatten:
            doc.bake()
        doc.save(out)


def _fill_pypdf(pdf: Path, out: Path, values: dict[str, str], flatten: bool) -> None:
    boxes = {name: value == "On" for name, value in values.items() if value in ("On", "Off")}
    out.write_bytes(fill_consent_form(pdf.read_bytes(), {**values, **boxes}, flatten=flatten))


FILLERS = {"pypdf": _fill_pypdf, "pdftk": _fill_pdftk, "mupdf": _fill_mupdf}


def _fonts(pdf: Path) -> list[list[str]]:
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in lines[2:]]


@pytest.mark.parametrize("filler", FILLERS)
def test_every_filler_types_a_swedish_name_that_survives_flattening(filler, run_cli, tmp_path):
    """Filled with pypdf, pdftk and MuPDF, the name reads back with `consent read`, and after
    each filler's own flattening it is in the page text. pypdf and pdftk type with the embedded
    form font (before: pdftk wrote .notdef boxes); MuPDF always types with its own Helvetica."""
    # both are installed by `make test` (Debian pdftk-java, PyPI pymupdf): a missing one fails
    assert filler != "pdftk" or shutil.which("pdftk"), "pdftk (Debian pdftk-java) is installed by make sysdeps-test"
    base = load_sample("consent")
    blank = tmp_path / "consent.pdf"
    blank.write_bytes(consent_pdf())
    values = {"person.0.name": FILLED_NAME, "person.0.date": "2026-04-16", "purpose.other": "On",
              "party.1": "Off"}
    filled, flat = tmp_path / f"{filler}.pdf", tmp_path / f"{filler}-flat.pdf"
    FILLERS[filler](blank, filled, values, False)
    FILLERS[filler](blank, flat, values, True)

    result = read_consent(filled.read_bytes(), base)
    assert result.data["consenting_persons"][0]["name"] == FILLED_NAME
    assert result.data["consenting_persons"][0]["date"] == "2026-04-16"
    assert "other" in result.data["purposes"]
    assert [p["organisation"] for p in result.data["parties"]] == [
        "Testskolan", "BUP Testregionen", "Habiliteringen Testregionen"]
    src = tmp_path / "base.json"
    src.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run_cli("consent", "read", str(filled), "--input", str(src))
    assert json.loads(out)["consenting_persons"][0]["name"] == FILLED_NAME
    assert code == 3  # 'other' was ticked without describing it: reported, as it should be

    text = subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout
    assert FILLED_NAME in text
    if filler != "mupdf":
        assert all(row[-5] == "yes" for row in _fonts(flat)), _fonts(flat)  # every font embedded


def test_the_pypdf_filled_consent_stays_pdf_ua_and_pdf_a(tmp_path):
    filled = fill_consent_form(consent_pdf(), {"person.0.name": FILLED_NAME, "person.1.date": "2026-04-17",
                                               "purpose.other": True})
    assert conformance_failures(filled, tmp_path / "filled.pdf") == []
    qpdf_check(tmp_path / "filled.pdf")


def test_forms_made_before_the_on_state_still_read_as_checked():
    """sipdocs 0.1 named the checked state /on; any state but /Off is checked."""
    import pikepdf

    with pikepdf.open(io.BytesIO(consent_pdf())) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/AS") == "/On":
                obj.AS = obj.V = pikepdf.Name("/on")
        buf = io.BytesIO()
        doc.save(buf)
    result = read_consent(buf.getvalue(), load_sample("consent"))
    assert result.data["purposes"] == ["establish_sip", "follow_up_sip", "information_exchange"]
    assert len(result.data["parties"]) == 4


def test_field_names_are_nested_not_dotted():
    """A partial field name holds no period (ISO 32000-1 §12.7.3.2): purpose → establish_sip."""
    import pikepdf

    with pikepdf.open(io.BytesIO(consent_pdf())) as doc:
        names = [str(o.T) for o in doc.objects if isinstance(o, pikepdf.Dictionary) and "/T" in o]
        roots = [str(f.T) for f in doc.Root.AcroForm.Fields]
    assert names and not [n for n in names if "." in n]
    assert roots == ["purpose", "party", "person"]
    assert {"purpose.establish_sip", "party.0", "person.1.date"} <= set(form_fields(consent_pdf()))


# --- packets -------------------------------------------------------------------------------------

def two_consents() -> tuple[dict, dict]:
    first = load_sample("consent")
    second = copy.deepcopy(first)  # the same child; another guardian consents, to two parties
    second["document_date"] = second["valid_from"] = "2026-05-04"
    second["consenting_persons"] = [{"name": "Dana Exempelsson", "relation": "guardian", "date": "2026-05-04",
                                     "form": "signed"}]
    second["guardians"] = [{"name": "Dana Exempelsson", "relation": "vardnadshavare"}]
    second["parties"] = first["parties"][:2]
    return first, second


def test_a_packet_keeps_each_consent_apart(run_cli, tmp_path):
    """Two consents for different people (and the other kinds) in one packet: field names are
    unique and say their document (no qpdf '…+1'), both consents read back with their own
    signatories, and the packet still passes the checks."""
    first, second = two_consents()
    assert sipdocs.validate(second).ok
    packet, results = sipdocs.render_packet([first, load_sample("invitation"), second, load_sample("closure")])
    names = set(form_fields(packet))
    assert not [n for n in names if "+" in n]
    assert {"doc1.person.1.name", "doc3.person.0.name", "doc3.party.1"} <= names
    assert not [n for n in names if n.startswith(("doc2.", "doc4.", "purpose", "person"))]
    assert "doc3.party.2" not in names  # the second consent names two parties
    # every widget's fields are its own document's, on that document's pages
    starts = [0]
    import pypdf

    for result in results:
        starts.append(starts[-1] + len(pypdf.PdfReader(io.BytesIO(result["pdf"])).pages))
    for widget in widgets(packet):
        document = int(widget["name"].split(".")[0][3:])
        assert starts[document - 1] <= widget["page"] < starts[document], widget["name"]

    filled = fill_consent_form(packet, {"doc3.person.0.name": FILLED_NAME, "doc1.person.1.name": "Samira E."})
    consents = read_consents(filled, [first, second])
    assert [c.document for c in consents] == [1, 3]
    assert [p["name"] for p in consents[0].data["consenting_persons"]] == ["Robin Testsson", "Samira E."]
    assert [p["name"] for p in consents[1].data["consenting_persons"]] == [FILLED_NAME]
    assert [len(c.data["parties"]) for c in consents] == [4, 2]
    with pytest.raises(sipdocs.InputError) as exc:
        read_consent(filled, first)
    assert exc.value.code == "consent_form.several_forms" and "1, 3" in exc.value.message
    assert read_consent(filled, second, document=3).data["consenting_persons"][0]["name"] == FILLED_NAME
    with pytest.raises(sipdocs.InputError) as exc:
        read_consent(filled, document=2)
    assert exc.value.code == "consent_form.no_such_document"

    path, inputs = tmp_path / "packet.pdf", []
    path.write_bytes(filled)
    for name, data in (("first.json", first), ("second.json", second)):
        inputs += ["--input", str(tmp_path / name)]
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("consent", "read", str(path), *inputs)
    assert code == 0, err
    read = json.loads(out)
    assert [[p["name"] for p in c["consenting_persons"]] for c in read] == [
        ["Robin Testsson", "Samira E."], [FILLED_NAME]]
    assert "dokument 1" in err and "dokument 3" in err  # which consent each report is about
    code, out, _ = run_cli("consent", "read", str(path), "--document", "3", "--input", str(tmp_path / "second.json"))
    assert code == 0 and json.loads(out)["consenting_persons"][0]["name"] == FILLED_NAME
    code, _, err = run_cli("consent", "read", str(path), "--input", str(tmp_path / "first.json"))
    assert code == 3 and "consent_form.several_forms" in err

    assert conformance_failures(packet, tmp_path / "packet-check.pdf") == []
    qpdf_check(tmp_path / "packet-check.pdf")


def test_packet_bookmarks_do_not_repeat_the_document_title():
    """One bookmark per document, its sections under it — not its title heading again."""
    import pypdf

    first, second = two_consents()
    packet, results = sipdocs.render_packet([first, load_sample("closure"), second])
    reader = pypdf.PdfReader(io.BytesIO(packet))
    tops = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert tops == [r.fields["title"] for r in results]
    assert len(nested) == 3
    for title, children in zip(tops, nested):
        titles = [c.title for c in children if not isinstance(c, list)]
        assert title not in titles and len(titles) >= 5, (title, titles)
        assert not any(isinstance(c, list) for c in children)  # the sections are right under the document


# --- encrypted consents --------------------------------------------------------------------------

def test_an_encrypted_consent_is_read_with_its_password(run_cli, tmp_path, monkeypatch):
    """Without a password: pdf.password_missing (it said "not a readable PDF form"); a wrong one:
    pdf.password_wrong; the password itself appears in no message."""
    password = "Rätt-lösen-4711"
    pdf = Renderer(RenderOptions(pdf_password=password)).render(load_sample("consent"), ("pdf",))["pdf"]
    with pytest.raises(sipdocs.InputError) as exc:
        read_consent(pdf)
    assert exc.value.code == "pdf.password_missing"
    with pytest.raises(sipdocs.InputError) as exc:
        read_consent(pdf, password="fel")
    assert exc.value.code == "pdf.password_wrong"
    assert read_consent(pdf, load_sample("consent"), password=password).ok

    path = tmp_path / "encrypted.pdf"
    path.write_bytes(pdf)
    monkeypatch.delenv("SIPDOCS_PDF_PASSWORD", raising=False)
    code, out, err = run_cli("consent", "read", str(path))
    assert code == 3 and "pdf.password_missing" in err and "SIPDOCS_PDF_PASSWORD" in err and out == ""
    monkeypatch.setenv("SIPDOCS_PDF_PASSWORD", "fel-lösen")
    code, _, err = run_cli("consent", "read", str(path))
    assert code == 3 and "pdf.password_wrong" in err and "fel-lösen" not in err
    monkeypatch.setenv("SIPDOCS_PDF_PASSWORD", password)
    src = tmp_path / "base.json"
    src.write_text(json.dumps(load_sample("consent"), ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("consent", "read", str(path), "--input", str(src))
    assert code == 0 and json.loads(out)["purposes"] and password not in out + err


def test_a_pack_stylesheet_without_the_form_font_still_gets_one(tmp_path):
    """A county pack with a stylesheet of its own, whose text fields use the body font: the
    fields still name SIP Form Sans in /DR (embedded from the national pack's file), and the
    document stays PDF/UA-1 + PDF/A-2a."""
    from sipdocs.resources import forms_dir

    national = forms_dir() / "national"
    pack = tmp_path / "egen"
    (pack / "assets").mkdir(parents=True)
    (pack / "pack.toml").write_text('id = "egen"\nname = "Egen"\nversion = "1.0"\nextends = "national"\n',
                                    encoding="utf-8")
    css = (national / "style.css").read_text(encoding="utf-8")
    css = re.sub(r'@font-face \{\s*font-family: "SIP Form Sans";[^}]*\}', "", css)
    css = css.replace('font-family: "SIP Form Sans"; ', "")
    assert "SIP Form Sans" not in css
    (pack / "style.css").write_text(css, encoding="utf-8")
    shutil.copytree(national / "assets" / "fonts", pack / "assets" / "fonts")  # the stylesheet's own fonts
    pdf = RENDERER.render(load_sample("consent"), ("pdf",), pack=str(pack))["pdf"]
    font = _form_font(pdf)
    assert font["name"] == "/SIPFormSans"
    assert font["program"] == (national / "assets/fonts/SIPFormSans.ttf").read_bytes()
    assert conformance_failures(pdf, tmp_path / "egen.pdf") == []
