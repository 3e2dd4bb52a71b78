"""Word output: content, images, protected identity, determinism, safety, both engines."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import sipdocs
from sipdocs import Renderer, RenderOptions
from sipdocs.errors import RenderError, TemplateSecurityError
from sipdocs.layout.build import template_for

from .conftest import KINDS, REPO, SAMPLES, load_sample
from .docs import docx_images, docx_parts, docx_text, expected_strings, missing_from, protected_secrets
from .word_layout import docx_hyperlinks

ENGINES = ("compiled", "docxtpl")
_RENDERERS = {e: Renderer(RenderOptions(docx_engine=e)) for e in ENGINES}


def render_docx(data, engine="compiled", pack=None, lang=None) -> bytes:
    return _RENDERERS[engine].render(data, ("docx",), pack=pack, lang=lang)["docx"]


def shows_evaluation(kind: str, pack: str = "national") -> bool:
    return sipdocs.load_pack(pack).evaluation_on(kind)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", KINDS)
def test_sample_renders_with_every_value(kind, engine):
    import docx

    data = load_sample(kind)
    blob = render_docx(data, engine)
    document = docx.Document(io.BytesIO(blob))  # opens with python-docx
    assert document.core_properties.title == sipdocs.build_context(data)["doc"]["title"]
    assert document.core_properties.author == "sipdocs"
    text = docx_text(blob)
    assert missing_from(text, expected_strings(kind, data, evaluation=shows_evaluation(kind))) == []
    for name, part in docx_parts(blob).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(part, etree.XMLParser(recover=False))


def special_characters(kind: str) -> dict:
    data = load_sample(kind)
    data["child"]["name"] = "Åsa \"Öberg\" & <Söner> 'AB' 🙂 سمیرا"
    if kind in ("invitation", "plan"):
        data["purpose"] = "Rad ett & två\nRad <tre>\n\nسطر عربي ⚽ \"citat\""
    return data


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", KINDS)
def test_special_characters_survive_verbatim(kind, engine):
    data = special_characters(kind)
    blob = render_docx(data, engine)
    text = docx_text(blob)
    assert "Åsa \"Öberg\" & <Söner> 'AB' 🙂 سمیرا" in text
    if kind in ("invitation", "plan"):
        assert "Rad ett & två\nRad <tre>\n\nسطر عربي ⚽ \"citat\"" in text
        body = docx_parts(blob)["word/document.xml"].decode()
        assert "Rad ett &amp; två</w:t><w:br/>" in body


@pytest.mark.parametrize("kind", KINDS)
def test_protected_identity_appears_nowhere(kind):
    data = json.loads((REPO / "tests" / "corpus" / f"protected_identity.{kind}.json").read_text())
    secrets = protected_secrets(data)
    assert secrets
    blob = render_docx(data)
    everything = b"".join(docx_parts(blob).values()).decode("utf-8", "replace")
    for secret in secrets:
        assert secret not in everything
        assert secret.replace(" ", "") not in everything.replace(" ", "")
    assert "Kontakt via sammankallande" in docx_text(blob)
    assert "skyddad_folkbokforing" not in everything and "sekretessmarkering" not in everything


@pytest.mark.parametrize("engine", ENGINES)
def test_qr_codes_decode_to_their_urls_and_have_alt_text(engine):
    import PIL.Image
    import zxingcpp

    data = load_sample("plan")
    blob = render_docx(data, engine)
    images = docx_images(blob)
    urls = [a["evaluation_url"] for a in data["attendees"]]
    qr = [(alt, png) for alt, png in images if alt and alt.startswith("QR-kod")]
    assert len(qr) == len(urls)
    decoded = []
    for _alt, png in qr:
        results = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))
        assert len(results) == 1 and results[0].format == zxingcpp.BarcodeFormat.QRCode
        assert results[0].ec_level == "M"
        decoded.append(results[0].text)
    assert decoded == urls
    assert all(alt for alt, _ in images), "every picture needs alt text"
    assert any(alt == "SIP – samordnad individuell plan" for alt, _ in images)  # the logo
    for url in urls:
        assert url in docx_text(blob)  # printed under the code for those who can't scan


def _undo_docxtpl_rewrite(text: str) -> str:
    # the one intended difference: docxtpl rewrites "{_{" in DATA to "{{"; sipdocs does not
    for escaped, literal in (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}")):
        text = text.replace(escaped, literal)
    return text


def _structure(blob: bytes) -> dict:
    import docx

    d = docx.Document(io.BytesIO(blob))
    t = _undo_docxtpl_rewrite
    return {
        "paragraphs": [(p.style.name, t(p.text)) for p in d.paragraphs],
        "tables": [[[t(c.text) for c in r.cells] for r in tb.rows] for tb in d.tables],
        "header": [t(p.text) for s in d.sections for p in s.header.paragraphs],
        "footer": [t(p.text) for s in d.sections for p in s.footer.paragraphs],
        "images": sorted(alt or "" for alt, _ in docx_images(blob)),
        "repeat_header_rows": docx_parts(blob)["word/document.xml"].count(b"<w:tblHeader"),
        "rows_kept_whole": docx_parts(blob)["word/document.xml"].count(b"<w:cantSplit"),
        "links": [(part, rid, t(text), target) for part, rid, text, target in docx_hyperlinks(blob)],
        "language": [docx_parts(blob)[name] for name in ("word/styles.xml", "word/settings.xml")],
    }


@pytest.mark.parametrize("kind", KINDS)
def test_compiled_engine_matches_docxtpl_on_samples_and_corpus(kind):
    cases = [load_sample(kind), special_characters(kind)]
    for case in ("xml_metacharacters", "jinja_in_data", "arabic_rtl", "protected_identity"):
        cases.append(json.loads((REPO / "tests" / "corpus" / f"{case}.{kind}.json").read_text()))
    for data in cases:
        for lang in ("sv", "en"):
            assert _structure(render_docx(data, "compiled", lang=lang)) == \
                _structure(render_docx(data, "docxtpl", lang=lang))


def test_compiled_engine_matches_docxtpl_on_generated_inputs():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .generators import valid_inputs

    @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(KINDS).flatmap(valid_inputs))
    def check(data):
        assert _structure(render_docx(data, "compiled")) == _structure(render_docx(data, "docxtpl"))

    check()


@pytest.mark.parametrize("engine", ENGINES)
def test_same_input_gives_identical_bytes(engine):
    data = load_sample("plan")
    first = render_docx(data, engine)
    fresh = Renderer(RenderOptions(docx_engine=engine)).render(data, ("docx",))["docx"]
    assert first == fresh == render_docx(data, engine)
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_identical_bytes_across_processes(tmp_path):
    code = ("import sys, sipdocs; sys.stdout.buffer.write("
            f"sipdocs.render({str(SAMPLES / 'invitation.json')!r})['docx'])")
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED="random")
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
            for _ in range(2)]
    assert outs[0] == outs[1] == render_docx(load_sample("invitation"))


# --- language, hyphenation, tables, links (issue 14) -----------------------------------------------

W_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _template(kind: str) -> bytes:
    """The national Word template of ``kind``, as built from its layout."""
    from sipdocs.packs import load_pack

    return template_for(load_pack("national"), kind, "docx").content


def _xml(blob: bytes, part: str):
    return etree.fromstring(docx_parts(blob)[part])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang, tag", [("sv", "sv-SE"), ("en", "en-GB")])
def test_document_declares_its_language(engine, lang, tag):
    blob = render_docx(load_sample("invitation"), engine, lang=lang)
    for part in ("word/styles.xml", "word/stylesWithEffects.xml"):
        [default] = _xml(blob, part).findall("w:docDefaults/w:rPrDefault/w:rPr/w:lang", W_NS)
        w = "{%s}" % W_NS["w"]
        assert (default.get(w + "val"), default.get(w + "eastAsia"), default.get(w + "bidi")) == (tag, tag, "ar-SA")
    [theme] = _xml(blob, "word/settings.xml").findall("w:themeFontLang", W_NS)
    assert theme.get("{%s}val" % W_NS["w"]) == tag
    assert f"<dc:language>{tag}</dc:language>" in docx_parts(blob)["docProps/core.xml"].decode()
    assert b"en-US" not in docx_parts(blob)["word/styles.xml"]


def test_language_parts_are_made_once_per_template_and_language():
    backend = _RENDERERS["compiled"].backend("docx")
    render_docx(load_sample("plan"), "compiled")
    [template] = [t for _, t in backend._cache.values() if t.name.endswith("/plan.docx")]
    assert template.variants("sv") is template.variants("sv")
    styles = {lang: template.variants(lang)["word/styles.xml"].compressed for lang in ("sv", "en")}
    assert styles["sv"] != styles["en"]


@pytest.mark.parametrize("kind", KINDS)
def test_templates_hyphenate_automatically(kind):
    settings = _xml(_template(kind), "word/settings.xml")
    assert settings.find("w:autoHyphenation", W_NS) is not None
    assert settings.find("w:autoHyphenation", W_NS).attrib == {}  # on/off: present = on
    assert settings.find("w:doNotHyphenateCaps", W_NS) is not None
    rendered = _xml(render_docx(load_sample(kind)), "word/settings.xml")
    assert rendered.find("w:autoHyphenation", W_NS) is not None


def _tables(blob: bytes):
    return _xml(blob, "word/document.xml").iter("{%s}tbl" % W_NS["w"])


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter("{%s}t" % W_NS["w"]))


@pytest.mark.parametrize("kind", KINDS)
def test_header_rows_only_on_data_tables(kind):
    """``<w:tblHeader/>`` (no w:val: the on/off form the Open XML SDK accepts) on the first
    row of every table that lists data ({%tr for %}), never on label/value grids or the QR cards."""
    seen = 0
    for table in _tables(_template(kind)):
        rows = table.findall("w:tr", W_NS)
        headers = [row.find("w:trPr/w:tblHeader", W_NS) for row in rows]
        is_data = any("{%tr for" in _text(row) for row in rows) and "e.qr" not in _text(table)
        assert headers[0] is not None if is_data else headers[0] is None, _text(rows[0])[:60]
        assert all(h is None for h in headers[1:])
        if headers[0] is not None:
            assert headers[0].attrib == {}
            seen += 1
    assert seen >= 1
    assert b'tblHeader w:val' not in docx_parts(render_docx(load_sample(kind)))["word/document.xml"]


@pytest.mark.parametrize("kind", KINDS)
def test_template_rows_do_not_split(kind):
    """Every row that stays in the document (not a {%tr %} tag row) is ``cantSplit``: a QR
    card, a signature, a label/value pair is never divided between pages."""
    for table in _tables(_template(kind)):
        for row in table.findall("w:tr", W_NS):
            if "{%tr" not in _text(row):
                assert row.find("w:trPr/w:cantSplit", W_NS) is not None, _text(row)[:60]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_row_with_more_text_than_a_page_may_split(engine):
    data = load_sample("plan")
    long_text = ("Skolan anpassar skoldagen och följer upp närvaron varje vecka. " * 160)[:10000]
    many_lines = "\n".join(f"Steg {n}" for n in range(1, 41))  # short, but 40 lines
    data["interventions"][0]["what"] = long_text
    data["interventions"][1]["what"] = many_lines
    rows = [row for table in _tables(render_docx(data, engine)) for row in table.findall("w:tr", W_NS)]
    tall = [row for row in rows if long_text[:200] in _text(row) or "Steg 40" in _text(row)]
    assert len(tall) == 2 and all(row.find("w:trPr/w:cantSplit", W_NS) is None for row in tall)
    assert all(row.find("w:trPr/w:cantSplit", W_NS) is not None for row in rows if row not in tall)


def test_qr_cards_one_per_row_beside_their_url():
    blob = render_docx(load_sample("plan"))
    [cards] = [t for t in _tables(blob) if "utvardering" in _text(t)]
    rows = cards.findall("w:tr", W_NS)
    urls = [a["evaluation_url"] for a in load_sample("plan")["attendees"]]
    assert len(rows) == len(urls)
    for row, url in zip(rows, urls):
        code, text = row.findall("w:tc", W_NS)
        assert code.find(".//w:drawing", W_NS) is not None and _text(code) == ""
        assert _text(text).endswith(url)
        assert row.find("w:trPr/w:cantSplit", W_NS) is not None and row.find("w:trPr/w:tblHeader", W_NS) is None
    assert cards.find("w:tblPr/w:tblBorders", W_NS) is None  # a list of cards, not a grid


@pytest.mark.parametrize("engine", ENGINES)
def test_links_are_word_hyperlinks(engine):
    data = load_sample("invitation")
    links = docx_hyperlinks(render_docx(data, engine))
    expected = [(data["meeting"]["link"], data["meeting"]["link"])] + [
        (address, "mailto:" + address) for address in
        (data["convener"]["email"], data["guardians"][0]["email"], data["invitees"][0]["email"])]
    assert {(text, target) for _, _, text, target in links} >= set(expected)
    assert all(part == "word/document.xml" for part, *_ in links)
    # numbered in order of appearance, one relationship per distinct target
    ids = list(dict.fromkeys(rid for _, rid, _, _ in links))
    assert ids == [f"rIdSipLink{n}" for n in range(1, len(ids) + 1)]
    plan = docx_hyperlinks(render_docx(load_sample("plan"), engine))
    assert [a["evaluation_url"] for a in load_sample("plan")["attendees"]] == \
        [target for _, _, _, target in plan if "/utvardering/" in target]


@pytest.mark.parametrize("engine", ENGINES)
def test_link_runs_are_styled_and_not_hyphenated(engine):
    blob = render_docx(load_sample("plan"), engine)
    styles = _xml(blob, "word/styles.xml")
    [style] = styles.findall("w:style[@w:styleId='Hyperlink']", W_NS)
    assert style.find("w:rPr/w:u", W_NS) is not None and style.find("w:rPr/w:color", W_NS) is not None
    w = "{%s}" % W_NS["w"]
    document = _xml(blob, "word/document.xml")
    qr_links = [link for link in document.iter(w + "hyperlink") if "/utvardering/" in _text(link)]
    assert qr_links
    for link in document.iter(w + "hyperlink"):
        rpr = link.find("w:r/w:rPr", W_NS)
        names = [etree.QName(el).localname for el in rpr]
        assert names[0] == "rStyle" and rpr[0].get(w + "val") == "Hyperlink"
        assert "noProof" in names and rpr.find("w:lang", W_NS).get(w + "val") == "zxx"
        assert names.index("noProof") < names.index("lang")  # schema order
    for link in qr_links:  # the small type of the template run the URL was typed in
        assert link.find("w:r/w:rPr/w:sz", W_NS).get(w + "val") == "16"


@pytest.mark.parametrize("engine", ENGINES)
def test_link_values_are_escaped_and_encoded(engine):
    data = load_sample("invitation")
    data["meeting"]["link"] = "https://example.org/möte?id=1&namn=Åsa%20Ö"
    data["convener"]["email"] = "kim.o'kurator+sip@example.org"
    links = docx_hyperlinks(render_docx(data, engine))
    assert ("https://example.org/möte?id=1&namn=Åsa%20Ö",
            "https://example.org/m%C3%B6te?id=1&namn=%C3%85sa%20%C3%96") in [(t, target) for _, _, t, target in links]
    assert ("kim.o'kurator+sip@example.org", "mailto:kim.o'kurator+sip@example.org") in \
        [(t, target) for _, _, t, target in links]


def test_only_web_and_mail_targets_become_links():
    from sipdocs.backends.docx_links import word_link, word_mailto

    for value in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x", "https://", "http://a b.se",
                  "data:text/html,<b>x</b>", "Testskolan"):
        assert word_link(value) == value and not hasattr(word_link(value), "__html__")
    for value in ("not an address", "a@b", "<a@b.se>", "x@y.se?subject=hi there"):
        assert word_mailto(value) == value and not hasattr(word_mailto(value), "__html__")
    assert word_link(None) == "" and word_mailto(None) == ""
    assert "<w:hyperlink" in word_link("https://example.org/a?b=<c>")
    assert "&lt;c&gt;" in word_link("https://example.org/a?b=<c>")  # escaped in the text


def test_a_link_placeholder_with_another_scheme_is_unwrapped():
    from sipdocs.backends.docx_links import resolve_links

    w, r = "http://schemas.openxmlformats.org/wordprocessingml/2006/main", \
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root = etree.fromstring(
        f'<w:document xmlns:w="{w}" xmlns:r="{r}"><w:body><w:p>'
        '<w:hyperlink r:id="sipdocs-link:javascript:alert(1)"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        '<w:t>klicka</w:t></w:r></w:hyperlink>'
        '<w:hyperlink r:id="sipdocs-link:https://example.org/"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        '<w:t>ok</w:t></w:r></w:hyperlink></w:p></w:body></w:document>')
    assert resolve_links(root) == [("rIdSipLink1", "https://example.org/")]
    [link] = root.iter(f"{{{w}}}hyperlink")
    assert _text(link) == "ok" and _text(root) == "klickaok"


def test_join_isolated_keeps_links_as_markup():
    from sipdocs.backends.ooxml import word_environment
    from sipdocs.templating import make_environment

    source = "{{ [name, phone, email | mailto] | select | join_isolated(', ') }}"
    out = word_environment().from_string(source).render(name="<Rut & Co>", phone=None, email="rut@example.org")
    assert out.startswith("&lt;Rut &amp; Co&gt;, </w:t></w:r><w:hyperlink")
    assert "rut@example.org</w:t></w:r></w:hyperlink>" in out
    arabic = word_environment().from_string(source).render(name="سمیرا", phone="070", email="rut@example.org")
    assert arabic.startswith("\u2068سمیرا\u2069, \u2068070\u2069, \u2068</w:t></w:r><w:hyperlink")
    # the plain defaults: the value as it is (escaped), '' for None
    plain = make_environment().from_string(source + "{{ link | link }}{{ none | link }}")
    assert plain.render(name="<Rut>", phone=None, email="rut@example.org", link="https://a.se/?x=1&y=2",
                        none=None) == "&lt;Rut&gt;, rut@example.orghttps://a.se/?x=1&amp;y=2"


# --- safety ---------------------------------------------------------------------------------------

def user_pack(tmp_path: Path, template_text: str, kind: str = "plan") -> Path:
    import docx

    folder = tmp_path / "evilpack"
    (folder / "templates").mkdir(parents=True)
    (folder / "pack.toml").write_text('id = "evilpack"\nname = "Evil"\nversion = "1.0"\nextends = "national"\n',
                                      encoding="utf-8")
    document = docx.Document()
    document.add_paragraph(template_text)
    document.save(str(folder / "templates" / f"{kind}.docx"))
    return folder


SSTI = [
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.logo.png.__class__ }}",
    "{{ 'a' * 1000000000 }}",
    "{{ range(1000000000) | list | length }}",
    "{{ ('{0.__class__}' | attr('format'))(1) }}",
    "{{ t.__class__.__base__.__subclasses__() }}",
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("payload", SSTI)
def test_template_attacks_are_refused(tmp_path, engine, payload):
    pack = user_pack(tmp_path, payload)
    with pytest.raises(TemplateSecurityError) as exc:
        render_docx(load_sample("plan"), engine, pack=str(pack))
    assert exc.value.code == "render.security"
    assert "evilpack" in exc.value.message


@pytest.mark.parametrize("engine", ENGINES)
def test_image_objects_do_not_leak_the_renderer(tmp_path, engine):
    # docxtpl's InlineImage carries the DocxTemplate in .tpl (the document-merge-service
    # escape); sipdocs' sandbox refuses attribute access on anything but plain data.
    pack = user_pack(tmp_path, "{% for e in evaluation %}{{ e.qr.tpl }}{% endfor %}")
    with pytest.raises((TemplateSecurityError, RenderError)) as exc:
        render_docx(load_sample("plan"), engine, pack=str(pack))
    assert exc.value.code in ("render.security", "render.undefined_variable")


@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_variable_names_template_and_variable(tmp_path, engine):
    pack = user_pack(tmp_path, "Hej {{ child.nickname }}")
    with pytest.raises(RenderError) as exc:
        render_docx(load_sample("plan"), engine, pack=str(pack))
    assert exc.value.code == "render.undefined_variable"
    assert exc.value.details["variable"] == "nickname"
    assert "evilpack/templates/plan.docx" in exc.value.message


@pytest.mark.parametrize("engine", ENGINES)
def test_jinja_in_data_stays_literal(engine):
    data = load_sample("plan")
    data["purpose"] = "{{ 7*7 }} {% if true %}x{% endif %} {_{ y }_} {#c#}"
    text = docx_text(render_docx(data, engine))
    assert "{{ 7*7 }} {% if true %}x{% endif %}" in text
    assert "49" not in text.split("Syfte och frågeställningar")[1][:80]
    if engine == "compiled":
        assert "{_{ y }_}" in text  # data is never rewritten (docxtpl turns it into "{{ y }}")


def test_damaged_output_is_refused(tmp_path):
    # a template that writes raw markup through |safe produces broken XML: refused, not shipped
    pack = user_pack(tmp_path, "{{ '<w:t>' | safe }}")
    with pytest.raises(RenderError) as exc:
        render_docx(load_sample("plan"), "compiled", pack=str(pack))
    assert exc.value.code == "render.corrupt_output"


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_render_names_and_refuses_overwrite(run_cli, tmp_path):
    code, out, _ = run_cli("render", str(SAMPLES / "invitation.json"), "-o", str(tmp_path), "--to", "docx")
    assert code == 0
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].name.startswith("invitation-2026-04-20-") and files[0].suffix == ".docx"
    before = files[0].read_bytes()
    code, _, err = run_cli("render", str(SAMPLES / "invitation.json"), "-o", str(tmp_path), "--to", "docx")
    assert code == 5 and "output.exists" in err
    assert files[0].read_bytes() == before
    code, _, _ = run_cli("render", str(SAMPLES / "invitation.json"), "-o", str(tmp_path), "--force")
    assert code == 0


def test_cli_render_name_pattern_is_sanitised(run_cli, tmp_path):
    data = load_sample("plan")
    data["case_id"] = "../../etc/x"
    src = tmp_path / "in.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = run_cli("render", str(src), "-o", str(out), "--name", "{kind}-{case_id}", "--to", "docx")
    assert code == 0
    [written] = list(out.iterdir())
    assert written.parent == out and ".." not in written.name and "/" not in written.name


def test_cli_invalid_input_is_reported_and_others_written(run_cli, tmp_path):
    code, out, _ = run_cli("render", str(SAMPLES / "invalid" / "plan.invalid.json"), str(SAMPLES / "plan.json"),
                           "-o", str(tmp_path))
    assert code == 3
    assert "plan.followup_missing" in out
    assert len(list(tmp_path.glob("plan-*.docx"))) == 1


@pytest.mark.slow
def test_libreoffice_converts_every_sample(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by `make test` (libreoffice-writer-nogui)"
    files = []
    for kind in KINDS:
        for engine in ENGINES:
            path = tmp_path / f"{kind}-{engine}.docx"
            path.write_bytes(render_docx(load_sample(kind), engine))
            files.append(str(path))
    profile = tmp_path / "profile"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *files], capture_output=True, timeout=300, check=True)
    for f in files:
        pdf = Path(f).with_suffix(".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, pdf.name
