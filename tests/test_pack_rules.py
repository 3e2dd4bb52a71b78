"""County packs change the rules: same input, different verdicts."""

from __future__ import annotations

import pytest

import sipdocs
from sipdocs.context import build_context

from .conftest import load_sample


def codes(result):
    return {(i.code, i.pointer, i.level) for i in result.issues}


def one_sector_invitation():
    data = load_sample("invitation")
    data["invitees"] = [data["invitees"][0]]  # the school only
    data.pop("pack")
    return data


def test_dalarna_requires_two_sectors_national_warns():
    data = one_sector_invitation()
    dalarna = sipdocs.validate(data, "dalarna")
    assert ("sectors.too_few", "/invitees", "error") in codes(dalarna)
    assert not dalarna.ok
    national = sipdocs.validate(data, "national")
    assert ("sectors.too_few", "/invitees", "warning") in codes(national)
    assert national.ok


def test_pack_named_in_the_input_is_used():
    data = one_sector_invitation()
    data["pack"] = "dalarna"
    assert not sipdocs.validate(data).ok


def test_dalarna_meeting_within_three_weeks_of_need():
    data = load_sample("invitation")
    data["need_identified_date"] = "2026-04-08"  # meeting 2026-05-12: 34 days
    assert ("invitation.meeting_too_late", "/meeting/date", "warning") in codes(sipdocs.validate(data, "dalarna"))
    assert "invitation.meeting_too_late" not in {c for c, _, _ in codes(sipdocs.validate(data, "national"))}
    data["need_identified_date"] = "2026-04-25"
    assert "invitation.meeting_too_late" not in {c for c, _, _ in codes(sipdocs.validate(data, "dalarna"))}


def test_dalarna_requires_family_contact_in_the_plan():
    data = load_sample("plan")
    del data["family_contact"]
    assert ("plan.family_contact_missing", "/family_contact", "error") in codes(sipdocs.validate(data, "dalarna"))
    assert sipdocs.validate(data, "national").ok


def test_dalarna_convener_calls_the_followup():
    data = load_sample("plan")
    assert build_context(data, "dalarna")["followup_convener_text"].startswith("Den som kallade")
    assert build_context(data, "national")["followup_convener_text"].startswith("Den som är huvudansvarig")


def test_dalarna_age_scope_is_0_to_17():
    data = load_sample("plan")
    data["child"]["personal_number"] = "20051016-2381"
    data["document_date"] = "2023-10-20"  # 18 years old
    data["meeting"]["date"] = "2023-10-20"
    data["consent"]["date"] = "2023-10-01"
    data["followup"]["date"] = "2024-01-10"
    assert ("age.out_of_scope", "/child/personal_number", "warning") in codes(sipdocs.validate(data, "dalarna"))
    assert "age.out_of_scope" not in {c for c, _, _ in codes(sipdocs.validate(data, "stockholm"))}


def test_stockholm_embeds_consent_in_the_plan():
    data = load_sample("plan")
    result = sipdocs.validate(data, "stockholm")
    assert ("consent.scope_missing", "/consent/purposes", "error") in codes(result)
    consent = load_sample("consent")
    data["consent"].update(purposes=consent["purposes"], parties=consent["parties"],
                           information_covered=consent["information_covered"])
    assert sipdocs.validate(data, "stockholm").ok
    assert build_context(data, "stockholm")["consent_embedded"] is True


def test_stockholm_closure_reasons():
    data = load_sample("closure")
    data["reason"] = "BEGARAN_ENSKILD_ELLER_VH"
    assert ("closure.reason_not_in_pack", "/reason", "error") in codes(sipdocs.validate(data, "stockholm"))
    assert sipdocs.validate(data, "national").ok


STOCKHOLM_ACTORS = ["Utbildningsförvaltningen", "Socialförvaltningen", "BUMM", "PRIMA", "Habiliteringen"]


def stockholm_plan():
    data = load_sample("plan")
    consent = load_sample("consent")
    data["pack"] = "stockholm"
    data["consent"].update(purposes=consent["purposes"], parties=consent["parties"],
                           information_covered=consent["information_covered"])
    kinds = {"Utbildningsförvaltningen": "SKOLA", "Socialförvaltningen": "SOCIALTJANST", "BUMM": "BUMM",
             "PRIMA": "BUP", "Habiliteringen": "HABILITERING"}
    data["attendees"] = [{"organisation": name, "actor_kind": kinds[name], "function": "representant"}
                         for name in STOCKHOLM_ACTORS]
    return data


def test_stockholm_actor_catalogue_gives_five_evaluation_codes():
    ctx = build_context(stockholm_plan())
    assert [e["organisation"] for e in ctx["evaluation"]] == STOCKHOLM_ACTORS
    assert all(e["url"].startswith("https://example.org/stockholm/utvardering/") for e in ctx["evaluation"])


def test_actor_ref_resolves_and_unknown_ref_is_an_error():
    data = stockholm_plan()
    data["attendees"][0] = {"organisation": "Skolan", "actor_kind": "SKOLA", "actor_ref": "utbildningsforvaltningen"}
    ctx = build_context(data)
    assert ctx["evaluation"][0]["url"].endswith("/utbildningsforvaltningen")
    data["attendees"][0]["actor_ref"] = "no_such_actor"
    assert ("participant.actor_unknown", "/attendees/0/actor_ref", "error") in codes(sipdocs.validate(data))


@pytest.mark.parametrize("pack", ["national", "stockholm", "dalarna"])
def test_english_catalogue_used_for_lang_en(pack):
    data = load_sample("invitation")
    ctx = build_context(data, pack, "en")
    assert ctx["t"]["invitation"]["title"].startswith("Invitation")
    assert ctx["meeting"]["when"] == "Tuesday 12 May 2026, 13:00–15:00"


def test_titles_differ_by_pack():
    data = load_sample("invitation")
    assert build_context(data, "stockholm")["doc"]["title"] == "Kallelse till SIP barn och unga"
    assert build_context(data, "national")["doc"]["title"] == "Kallelse till SIP-möte – barn och unga"
    assert build_context(data, "dalarna")["doc"]["issuers"] == ["Borlänge kommun", "Region Dalarna"]
