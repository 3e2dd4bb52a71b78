"""Embedded fonts: subsets everywhere (the consent too), subset tags derived from the subset."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

import sipdocs
from sipdocs import Renderer

from .conftest import KINDS, load_sample

RENDERER = Renderer()


def fonts(pdf: bytes) -> list[dict]:
    """Every embedded font program: its /FontName, the sha256 of the program, its size."""
    import pikepdf

    out = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                stream = obj.get("/FontFile2") or obj.get("/FontFile3")
                if stream is not None:
                    program = stream.read_bytes()
                    out.append({"name": str(obj.FontName), "sha256": hashlib.sha256(program).hexdigest(),
                                "size": len(program), "program": program})
        names = {str(f.BaseFont) for page in doc.pages for f in page.Resources.get("/Font", {}).values()}
    for font in out:
        font["in_pages"] = font["name"] in names
    return out


def test_the_consent_is_as_small_as_the_other_documents():
    """The consent embedded the whole DejaVu Sans (6,253 glyphs, 460 KB) for its text fields;
    now its text font is a subset like the others', and the form font is 27 KB."""
    consent = RENDERER.render(load_sample("consent"), ("pdf",))["pdf"]
    plan = RENDERER.render(load_sample("plan"), ("pdf",))["pdf"]
    assert len(consent) < 100_000, len(consent)
    body = [f for f in fonts(consent) if f["in_pages"]]
    assert body and all(f["size"] < 60_000 for f in body), [(f["name"], f["size"]) for f in body]
    form = [f for f in fonts(consent) if not f["in_pages"]]
    assert [f["name"] for f in form] == ["/SIPFormSans"] and form[0]["size"] < 30_000
    assert len(consent) < 2 * len(plan)


@pytest.mark.parametrize("kind", KINDS)
def test_subset_tags_come_from_the_subset(kind):
    """ISO 32000-1 §9.6.4: the tag is six capital letters, the same for the same program and
    different for different ones (WeasyPrint tagged every subset OEGEOJ+SIP-Sans)."""
    from sipdocs.backends.pdf_fonts import subset_tag

    pdf = RENDERER.render(load_sample(kind), ("pdf",))["pdf"]
    for font in fonts(pdf):
        if "+" in font["name"]:
            tag, _, _ = font["name"][1:].partition("+")
            assert re.fullmatch("[A-Z]{6}", tag) and tag == subset_tag(font["program"]), font["name"]


def test_different_text_gives_different_tags_and_the_same_text_the_same():
    def tags(data: dict) -> dict[str, str]:
        pdf = RENDERER.render(data, ("pdf",))["pdf"]
        return {f["name"].split("+", 1)[1]: f["name"].split("+", 1)[0] for f in fonts(pdf) if "+" in f["name"]}

    plan, closure = tags(load_sample("plan")), tags(load_sample("closure"))
    assert plan["SIP-Sans"] != closure["SIP-Sans"] and plan["SIP-Sans-Bold"] != closure["SIP-Sans-Bold"]
    assert tags(load_sample("plan")) == plan


def test_a_packet_has_no_two_font_programs_under_one_name():
    packet, _ = sipdocs.render_packet([load_sample(kind) for kind in KINDS])
    programs: dict[str, set[str]] = {}
    for font in fonts(packet):
        programs.setdefault(font["name"], set()).add(font["sha256"])
    assert len(programs) > 6
    assert {name: len(shas) for name, shas in programs.items() if len(shas) > 1} == {}
