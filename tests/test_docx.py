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
from sipdocs import RenderOptions, Renderer
from sipdocs.errors import RenderError, TemplateSecurityError

from .conftest import KINDS, REPO, SAMPLES, load_sample
from .docs import docx_images, docx_parts, docx_text, expected_strings, missing_from, protected_secrets

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
    for alt, png in qr:
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
    assert "{{ 7*7 }} {% if true %}x{% endif %}" in text and "49" not in text.split("Syfte och frågeställningar")[1][:80]
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
