"""Packs end to end: a user pack overriding logo and one template; Stockholm's QR codes;
English output without Swedish fixed text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import sipdocs
from sipdocs import Renderer
from sipdocs.packs import load_pack

from .conftest import KINDS, load_sample
from .docs import docx_images, docx_text, pdf_alt_texts, pdf_image_sizes, pdf_text, squash
from .generators import string_values
from .test_pack_rules import STOCKHOLM_ACTORS, stockholm_plan

RENDERER = Renderer()


def _red_logo(path: Path) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(img).rectangle((0, 0, 400, 120), fill=(200, 0, 0))
    img.save(path)
    return path.read_bytes()


def test_user_pack_overrides_logo_and_one_template(tmp_path, run_cli):
    code, _, _ = run_cli("forms", "new", "testkommun", "-o", str(tmp_path))
    assert code == 0
    pack_dir = tmp_path / "testkommun"
    logo = _red_logo(pack_dir / "assets" / "logo.png")
    manifest = (pack_dir / "pack.toml").read_text(encoding="utf-8")
    manifest = manifest.replace('# logo = "assets/logo.png"', 'logo = "assets/logo.png"').replace(
        '# logo_alt = "testkommun"', 'logo_alt = "Testkommuns logotyp"')
    (pack_dir / "pack.toml").write_text(manifest, encoding="utf-8")
    # override one template: the closure's HTML as `forms build` writes it, with one extra sentence
    code, _, _ = run_cli("forms", "build", "national", "-o", str(tmp_path / "built"))
    assert code == 0
    html = (tmp_path / "built" / "closure.html").read_text(encoding="utf-8")
    (pack_dir / "templates" / "closure.html").write_text(
        html.replace("{% block body %}", "{% block body %}\n<p>Testkommunens egen avslutsmall.</p>"), encoding="utf-8")
    pack = load_pack(str(pack_dir))
    assert pack.own_template("closure", "html").is_relative_to(pack_dir)
    assert pack.own_template("plan", "html") is None  # built from the national layout

    data = load_sample("plan")
    result = RENDERER.render(data, ("docx", "pdf"), pack=str(pack_dir))
    images = docx_images(result["docx"])
    assert ("Testkommuns logotyp", logo) in images
    text = docx_text(result["docx"])
    ctx = sipdocs.build_context(data, str(pack_dir))
    for key in ("intro", "interventions_heading", "copies_text"):
        assert ctx["t"]["plan"][key] in text  # the national texts
    assert squash(ctx["t"]["plan"]["intro"]) in squash(pdf_text(result["pdf"]))
    assert "Testkommuns logotyp" in pdf_alt_texts(result["pdf"])  # the new logo, tagged with its alt text
    assert (400, 120) in pdf_image_sizes(result["pdf"]) and (720, 200) not in pdf_image_sizes(result["pdf"])
    closure = RENDERER.render(load_sample("closure"), ("pdf",), pack=str(pack_dir))["pdf"]
    assert "Testkommunens egen avslutsmall." in pdf_text(closure)
    code, out, _ = run_cli("forms", "check", str(pack_dir))
    assert code == 0, out


def test_stockholm_plan_prints_five_qr_codes_that_decode():
    import PIL.Image
    import zxingcpp

    data = stockholm_plan()
    result = RENDERER.render(data, ("docx", "pdf"))
    codes = [(alt, png) for alt, png in docx_images(result["docx"]) if alt.startswith("QR-kod")]
    decoded = []
    for _alt, png in codes:
        [hit] = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(png)))
        decoded.append(hit.text)
    expected = [f"https://example.org/stockholm/utvardering/{slug}"
                for slug in ("utbildningsforvaltningen", "socialforvaltningen", "bumm", "prima", "habiliteringen")]
    assert decoded == expected
    assert [alt.rsplit(" ", 1)[-1] for alt, _ in codes] == STOCKHOLM_ACTORS
    text = squash(pdf_text(result["pdf"]))
    for url in expected:
        assert url in text  # printed under each code (wrapped: whitespace ignored)


def test_qr_codes_in_the_pdf_decode_too(tmp_path):
    import subprocess

    import PIL.Image
    import zxingcpp

    pdf = RENDERER.render(stockholm_plan(), ("pdf",))["pdf"]
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "p.pdf"), str(tmp_path / "page")], check=True)
    found = set()
    for page in sorted(tmp_path.glob("page*.png")):
        for hit in zxingcpp.read_barcodes(PIL.Image.open(page)):
            found.add(hit.text)
    assert {u for u in found if "stockholm" in u} == {
        f"https://example.org/stockholm/utvardering/{slug}"
        for slug in ("utbildningsforvaltningen", "socialforvaltningen", "bumm", "prima", "habiliteringen")}


def _swedish_texts(pack: str) -> list[str]:
    """Swedish catalogue values that an English document must not contain."""
    sv = load_pack(pack).catalogue("sv")
    en = load_pack(pack).catalogue("en")
    out = []

    def walk(a, b):
        for key, value in a.items():
            if isinstance(value, dict):
                walk(value, b.get(key, {}))
            elif (isinstance(value, str) and value != b.get(key) and len(value) > 3
                  and (" " in value or re.search(r"[åäöÅÄÖ]", value))):
                # single plain-ASCII words ("Personal", "Region") are also English words
                out.append(value)

    walk({k: v for k, v in sv.items() if k != "meta"}, en)
    return out


@pytest.mark.parametrize("pack", ["national", "stockholm", "dalarna"])
@pytest.mark.parametrize("kind", KINDS)
def test_english_documents_contain_no_swedish_fixed_text(pack, kind):
    data = load_sample(kind)
    data.pop("pack")
    if pack == "stockholm" and kind == "plan":
        data = stockholm_plan()
        data.pop("pack")
    result = RENDERER.render(data, ("docx",), pack=pack, lang="en")
    text = docx_text(result["docx"])
    for value in sorted(string_values(data), key=len, reverse=True):  # the input is Swedish; skip it
        text = text.replace(value, " ")
    leaked = [s for s in _swedish_texts(pack) if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
    assert leaked == []
    assert "Page" in text
