"""The template context: formatting, computed values, protected identity, QR codes."""

from __future__ import annotations

import io

import pytest

import sipdocs
from sipdocs.context import build_context
from sipdocs.errors import InvalidInputError
from sipdocs.images import Image

from .conftest import KINDS, load_sample


def _walk(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")
    else:
        yield path, node


@pytest.mark.parametrize("kind", KINDS)
def test_context_is_plain_data(kind):
    ctx = build_context(load_sample(kind))
    for path, value in _walk({k: v for k, v in ctx.items() if k != "t"}):
        assert value is None or isinstance(value, (str, int, bool, Image)), (path, type(value))


def test_swedish_meeting_time():
    ctx = build_context(load_sample("invitation"))
    assert ctx["meeting"]["when"] == "tisdag 12 maj 2026 kl. 13.00–15.00"
    assert ctx["confirm_by"] == "tisdag 5 maj 2026"
    assert ctx["doc"]["date"] == "20 april 2026"
    assert ctx["child"]["age"] == 9


def test_legal_reference_by_document_date():
    data = load_sample("invitation")
    assert "2025:400" in build_context(data)["doc"]["legal_reference"]
    data.update(document_date="2025-04-20")
    data["meeting"]["date"] = "2025-05-12"
    data["consent"]["date"] = "2025-04-15"
    assert "2001:453" in build_context(data)["doc"]["legal_reference"]


@pytest.mark.parametrize("kind", KINDS)
def test_protected_identity_removes_contact_details(kind):
    data = load_sample(kind)
    data["child"]["protected_identity"] = "skyddad_folkbokforing"
    data["child"]["address"] = "Hemliga vägen 7"
    data["child"]["phone"] = "070-999 99 99"
    for g in data.get("guardians", []):
        g["protected_identity"] = "sekretessmarkering"
        g["address"] = "Dolda gatan 3"
        g["phone"] = "070-888 88 88"
    ctx = build_context(data)
    text = repr({k: v for k, v in ctx.items() if k != "t"})
    for secret in ("Hemliga vägen 7", "070-999 99 99", "Dolda gatan 3", "070-888 88 88",
                   "skyddad_folkbokforing", "sekretessmarkering"):
        assert secret not in text
    assert ctx["child"]["contact_note"] == "Kontakt via sammankallande"


def test_evaluation_codes_one_per_distinct_url():
    data = load_sample("plan")
    data["attendees"].append(dict(data["attendees"][0], name="Annan person"))
    ctx = build_context(data)
    urls = [e["url"] for e in ctx["evaluation"]]
    assert urls == sorted(set(urls), key=urls.index) and len(urls) == 4
    import PIL.Image
    import zxingcpp

    for entry in ctx["evaluation"]:
        decoded = zxingcpp.read_barcodes(PIL.Image.open(io.BytesIO(entry["qr"].png)))
        assert [d.text for d in decoded] == [entry["url"]]
        assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode
        assert entry["organisation"] in entry["qr"].alt


def test_invitation_has_no_evaluation_by_default():
    assert build_context(load_sample("invitation"))["evaluation"] == []


def test_build_context_refuses_invalid_input():
    data = load_sample("plan")
    data["consent"]["obtained"] = False
    with pytest.raises(InvalidInputError):
        build_context(data)


def test_public_api_exports():
    for name in ("validate", "render", "build_context", "Renderer", "RenderResult"):
        assert hasattr(sipdocs, name)
