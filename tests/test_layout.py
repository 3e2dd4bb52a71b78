"""What the pages say and how they are laid out: tables designed for their content, links,
pagination, and the wording of the fixed texts (issue "Documents fit to send")."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest

import sipdocs
from sipdocs import Renderer

from .conftest import load_sample
from .docs import docx_text, pdf_text, squash

RENDERER = Renderer()


def render(data: dict, fmt: str = "pdf", **kwargs) -> bytes:
    return RENDERER.render(data, (fmt,), **kwargs)[fmt]


def both_texts(data: dict, **kwargs) -> tuple[str, str]:
    """(Word text, PDF text) of one input."""
    result = RENDERER.render(data, ("docx", "pdf"), **kwargs)
    # phone numbers are kept on one line with no-break spaces
    return docx_text(result["docx"]).replace("\u00a0", " "), pdf_text(result["pdf"]).replace("\u00a0", " ")


def stockholm_plan() -> dict:
    from .test_pack_rules import stockholm_plan as plan

    return plan()


# --- tables ------------------------------------------------------------------------------------

def test_invitee_table_puts_each_kind_of_value_under_its_own_heading():
    """No e-mail or postal address under a heading 'Telefon': contact details share one cell
    headed 'Kontaktuppgifter', the contact person has its own column, and the kind of service
    is printed under the organisation instead of in a narrow column of its own."""
    data = load_sample("invitation")
    word, pdf = both_texts(data)
    for text in (word, pdf):
        invitees = text[text.index("Kallade och inbjudna"):text.index("Barnets delaktighet")]
        assert squash("Verksamhet Kontaktperson Kontaktuppgifter") in squash(invitees)
        assert "Telefon" not in invitees and "Typ av verksamhet" not in invitees
        assert "rektor@example.org" in invitees and "Box 1" in invitees


def test_contact_details_are_one_per_line_in_their_cell():
    """Phone, e-mail and address share a cell but not a line (Word breaks, PDF line breaks)."""
    data = load_sample("invitation")
    word, pdf = both_texts(data)
    for text in (word, pdf):
        # (pdftotext joins the cells of a table row on one line; the cell's own lines stay apart)
        assert "070-000 00 01\nrobin@example.org\nTestgatan 1\n123 45 Testby" in text
        assert "mormor\nTrygg person som barnet valt" in text


def test_a_column_empty_in_every_row_is_dropped():
    # the closure's recipients have neither contact person nor contact details: one column
    closure = load_sample("closure")
    word, pdf = both_texts(closure)
    recipients = pdf[pdf.index("Mottagare"):]
    for heading in ("Kontaktperson", "Kontaktuppgifter"):
        assert heading not in recipients
        assert heading not in word
    # the consent's guardians have no contact details: no contact column at all
    word, pdf = both_texts(load_sample("consent"))
    assert "Kontaktuppgifter" not in pdf and "Kontaktuppgifter" not in word
    # with one guardian's phone the column is back, in both formats
    consent = load_sample("consent")
    consent["guardians"][0]["phone"] = "070-000 00 09"
    word, pdf = both_texts(consent)
    assert "Kontaktuppgifter" in pdf and "Kontaktuppgifter" in word
    assert "070-000 00 09" in pdf and "070-000 00 09" in word


def test_contact_details_of_a_protected_person_are_replaced_in_their_cell():
    data = load_sample("invitation")
    data["guardians"][0]["protected_identity"] = "sekretessmarkering"
    word, pdf = both_texts(data)
    for text in (word, pdf):
        assert "Kontakt via sammankallande" in text
        assert "robin@example.org" not in text and "070-000 00 01" not in text


# --- links -------------------------------------------------------------------------------------

def link_annotations(pdf: bytes) -> list[tuple[str, bool]]:
    """(URI, tagged as a Link structure element) of every link annotation."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tagged = set()
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Link":
                kids = obj.get("/K")
                kids = kids if isinstance(kids, pikepdf.Array) else [kids]
                for kid in kids:
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                        tagged.add(kid.Obj.objgen)
        found = []
        for page in doc.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and "/A" in annot:
                    found.append((str(annot.A.URI), annot.objgen in tagged and "/Contents" in annot))
        return found


def test_meeting_link_evaluation_urls_and_email_addresses_are_clickable_tagged_links():
    plan = load_sample("plan")
    links = dict(link_annotations(render(plan)))
    expected = [plan["meeting"]["link"], *(a["evaluation_url"] for a in plan["attendees"] if a.get("evaluation_url")),
                "mailto:kim.kurator@example.org"]
    for uri in expected:
        assert uri in links, uri
        assert links[uri], f"{uri} is not tagged as a Link structure element with /Contents"
    invitation = load_sample("invitation")
    links = dict(link_annotations(render(invitation)))
    assert {"mailto:robin@example.org", "mailto:rektor@example.org", "mailto:kim.kurator@example.org",
            invitation["meeting"]["link"]} <= set(links)


def test_a_url_is_extracted_whole_and_only_http_becomes_a_link():
    plan = load_sample("plan")
    text = pdf_text(render(plan))
    for attendee in plan["attendees"]:
        if attendee.get("evaluation_url"):
            assert attendee["evaluation_url"] in text.split()  # one piece, not broken at '/'
    data = load_sample("invitation")
    data["meeting"]["link"] = "https://teams.example.org/l/meetup-join/19%3ameeting_" + "N2Q5" * 40 + "%40thread.v2/0"
    pdf = render(data)
    assert data["meeting"]["link"] in dict(link_annotations(pdf))
    assert squash(data["meeting"]["link"]) in squash(pdf_text(pdf))


# --- pagination --------------------------------------------------------------------------------

def page_texts(pdf: bytes) -> list[str]:
    return [p for p in pdf_text(pdf).split("\f") if p.strip()]


def test_the_sample_invitation_fits_on_three_pages():
    for pack in ("national", "stockholm", "dalarna"):
        pdf = render(load_sample("invitation"), pack=pack)
        assert len(pikepdf.open(io.BytesIO(pdf)).pages) <= 3, pack


def test_a_qr_card_is_never_split_and_the_evaluation_heading_keeps_with_it():
    data = stockholm_plan()
    pdf = render(data)
    pages = page_texts(pdf)
    urls = [e["url"] for e in sipdocs.build_context(data)["evaluation"]]
    assert len(urls) == 5
    for url, org in zip(urls, ("Utbildningsförvaltningen", "Socialförvaltningen", "BUMM", "PRIMA",
                               "Habiliteringen")):
        on = [i for i, text in enumerate(pages) if url in text]
        assert len(on) == 1
        # the actor's name is on the same page, just before its URL
        page = pages[on[0]]
        assert org in page[:page.index(url)]
    heading_page = next(i for i, text in enumerate(pages) if "Utvärdering" in text)
    first_card = next(i for i, text in enumerate(pages) if urls[0] in text)
    assert heading_page == first_card


def test_a_signature_row_is_never_alone_and_no_heading_ends_a_page():
    data = stockholm_plan()
    data["signatures"] = data["signatures"] * 3
    for pdf in (render(data), render(load_sample("plan")), render(load_sample("consent"))):
        pages = page_texts(pdf)
        for i, text in enumerate(pages):
            body = [line for line in text.splitlines() if line.strip()]
            # the last body line of a page (before the three footer lines) is never a heading
            last = body[-4]
            assert last not in ("Underskrifter", "Utvärdering", "Signatures"), (i, last)
        with_signatures = [i for i, text in enumerate(pages) if "Namnförtydligande" in text]
        for i in with_signatures:
            # the header row repeats with at least one signature row under it: the name of a signer
            after = pages[i][pages[i].index("Namnförtydligande"):]
            assert any(s["name"] in after for s in data["signatures"] + load_sample("consent")["consenting_persons"])


# --- wording and content -----------------------------------------------------------------------

def test_invited_relatives_and_the_trusted_person_are_on_the_invitation_list():
    data = load_sample("invitation")
    ctx = sipdocs.build_context(data)
    assert "Maj Testsson" in ctx["distribution"]["recipients"]
    plan = sipdocs.build_context(load_sample("plan"))
    assert all(r["name"] not in plan["distribution"]["recipients"] for r in load_sample("plan").get("relatives", []))


def test_the_stockholm_plan_prints_the_consent_once_with_its_end_date():
    data = stockholm_plan()
    word, pdf = both_texts(data)
    for text in (word, pdf):
        assert "sida 1" not in text and "page 1" not in text
        assert squash(text).count(squash("Gäller till och med")) == 1
        assert "15 april 2027" in text
        original = text[text.index("Original och kopior"):]
        assert original.lower().count("originalet") == 1


def test_a_closure_outside_a_meeting_says_nothing_of_the_meeting():
    data = load_sample("closure")
    data["decided_at"] = "outside_meeting"
    data["reason"] = "SAMTYCKE_ATERKALLAT"
    data["consent_withdrawal"] = {"date": "2027-02-20", "by": "guardian"}
    data.pop("consent_end_date", None)
    data.pop("reason_text", None)
    word, pdf = both_texts(data)
    for text in (word, pdf):
        assert "Efter mötet" not in text
        assert "Samtycket upphör" in text
        assert "20 februari 2027" in text[text.index("Samtycket upphör"):]
        assert "Tolk" not in text  # no interpreter is booked for a closure


def test_the_interpreter_booking_is_said_only_in_the_invitation():
    notice = sipdocs.build_context(load_sample("invitation"))["t"]["common"]["interpreter_notice"]
    assert squash(notice) in squash(pdf_text(render(load_sample("invitation"))))
    for kind in ("consent", "plan", "followup"):
        text = pdf_text(render(load_sample(kind)))
        assert squash(notice) not in squash(text)
    assert "arabiska" in pdf_text(render(load_sample("consent")))  # who needs an interpreter still shows


def test_a_staff_signature_carries_the_title_not_the_word_staff():
    data = load_sample("plan")
    word, pdf = both_texts(data)
    for text in (word, pdf):
        signatures = text[text.rindex("Underskrifter"):]
        assert "skolkurator, Testskolan" in signatures
        assert "Personal" not in signatures
    # without a title in the signature, the title given elsewhere for that person is used
    data["signatures"][2].pop("title")
    ctx = sipdocs.build_context(data)
    assert ctx["signatures"][2]["role_label"] == "skolkurator"


def test_consent_given_in_different_forms_is_said_per_person():
    data = load_sample("consent")
    word, pdf = both_texts(data)
    for text in (word, pdf):
        assert squash("Hur samtycket lämnades: Skriftligt") not in squash(text)
        assert squash("Muntligt, dokumenterat av Kim Kurator") in squash(text)
    data["consenting_persons"] = [{k: v for k, v in p.items() if k not in ("form", "documented_by")}
                                  for p in data["consenting_persons"]]
    assert squash("Hur samtycket lämnades: Skriftligt") in squash(pdf_text(render(data)))


def test_a_list_in_running_text_continues_in_lower_case():
    data = load_sample("invitation")
    data["consent"]["given_by"] = ["guardians", "child"]
    ctx = sipdocs.build_context(data)
    assert ctx["consent"]["given_by_text"] == "Vårdnadshavarna och barnet"
    data["lang"] = "en"
    assert sipdocs.build_context(data)["consent"]["given_by_text"] == "The guardians and the child"
    from sipdocs.context import list_text

    assert list_text(["Vårdnadshavare 1", "BUP", "Barnet"], "och") == "Vårdnadshavare 1, BUP och barnet"
    assert list_text(["Barnet"], "och") == "Barnet"


@pytest.mark.parametrize("time_value", ["25.00", "24:00", "13.75"])
def test_an_impossible_time_gives_only_its_own_error(time_value):
    data = load_sample("invitation")
    data["meeting"]["start_time"] = time_value
    codes = [(i.code, i.pointer) for i in sipdocs.validate(data).errors]
    assert codes == [("schema.pattern", "/meeting/start_time")]


def test_list_length_messages_have_real_plurals():
    data = load_sample("plan")
    data["interventions"] = []
    issue = next(i for i in sipdocs.validate(data).issues if i.code == "schema.min_items")
    assert issue.message("sv").endswith("minst 1 rad.")
    assert issue.message("en").endswith("at least 1 item.")
    assert "(er)" not in issue.message("sv") and "(s)" not in issue.message("en")


def test_the_invitation_opens_with_a_plain_sentence():
    text = pdf_text(render(load_sample("invitation")))
    assert "kallas eller bjuds in" not in text
    assert "Detta är en kallelse till ett möte om en samordnad individuell plan" in text.replace("\n", " ")


def word_boxes(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, xMin, xMax, word) of every word, from poppler's bounding boxes."""
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    found, page = [], 0
    for line in out.decode("utf-8").splitlines():
        if line.lstrip().startswith("<page "):
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if m:
            found.append((page, float(m.group(1)), float(m.group(2)), m.group(3)))
    return found


@pytest.mark.parametrize("kind", ["invitation", "consent", "plan", "followup", "closure", "intake_note"])
def test_every_word_stays_in_the_text_column(kind):
    """Tables as wide as the text, not wider: the header cells' percentage widths include their
    padding (without it the tables ran 14 pt into the right margin, near where printers clip)."""
    left, right = 20 / 25.4 * 72, 595.28 - 20 / 25.4 * 72  # A4, 20 mm side margins
    for pack in ("national", "stockholm"):
        data = stockholm_plan() if (pack, kind) == ("stockholm", "plan") else load_sample(kind)
        outside = [(p, round(x0), round(x1), w) for p, x0, x1, w in word_boxes(render(data, pack=pack))
                   if x0 < left - 1 or x1 > right + 1]
        assert outside == [], (pack, outside[:5])


def test_a_phone_number_stays_on_one_line():
    """"08-123 456 70" was broken after "456" at a line end: its spaces are no-break spaces."""
    data = load_sample("plan")
    ctx = sipdocs.build_context(data, lang="en")
    assert ctx["lead_responsible"]["phone"] == "08-123\u00a0456\u00a070"
    for lang in ("sv", "en"):
        text = pdf_text(render(data, lang=lang))
        lines = [line.replace("\u00a0", " ") for line in text.splitlines()]
        assert any("08-123 456 70" in line for line in lines), lang
