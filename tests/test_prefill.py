"""Case continuity: sipdocs.prefill and `sipdocs new` (issue 18, scope 1).

Each prefilled document must validate after filling in only what cannot be derived from
the earlier documents — the fields listed in UNDERIVABLE, taken from the samples — and
must be missing exactly those (so a lost derivation fails here, not at a convener's desk).
"""

from __future__ import annotations

import copy

import pytest
import yaml

import sipdocs
from sipdocs.prefill import prefill
from sipdocs.skeleton import yaml_skeleton

from .conftest import load_sample

# kind → (source kinds, the fields only a person can give, as pointers)
UNDERIVABLE = {
    "consent": (("invitation",), ["/document_date", "/information_covered"]),
    "plan": (("invitation", "consent"),
             ["/current_situation", "/document_date", "/followup", "/interventions", "/lead_responsible",
              "/long_term_goal", "/needs", "/short_term_goals"]),
    "followup": (("plan", "consent"),
                 ["/decision", "/document_date", "/goals_met", "/meeting/end_time"]
                 + [f"/intervention_reviews/{i}/{f}" for i in range(5) for f in ("carried_out", "working")]),
    "closure": (("plan", "followup", "consent"), ["/closure_date", "/decided_at", "/document_date", "/reason"]),
    "intake_note": (("invitation",), ["/document_date", "/entries/0/consent_verified", "/entries/0/text",
                                      "/signed_by"]),
    "invitation": (("plan", "consent"), ["/document_date", "/meeting/end_time"]),
}


def _get(data, pointer):
    for part in pointer.strip("/").split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _set(data, pointer, value):
    *parents, last = pointer.strip("/").split("/")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def _fill(kind: str, doc: dict, pointers: list[str]) -> dict:
    """Fill the underivable fields with plausible values (from the samples where they exist)."""
    doc = copy.deepcopy(doc)
    sample = load_sample(kind)
    for pointer in pointers:
        try:
            value = _get(sample, pointer)
        except (KeyError, IndexError):
            value = {"carried_out": "yes", "working": "yes"}[pointer.rsplit("/", 1)[1]] \
                if pointer.startswith("/intervention_reviews") else None
        if pointer == "/entries/0/consent_verified":
            value = True
        if pointer == "/meeting/end_time" and kind == "invitation":
            value = "15:00"
        if pointer == "/document_date" and kind == "invitation":
            value = "2026-08-20"
        _set(doc, pointer, value)
    return doc


@pytest.mark.parametrize("kind", list(UNDERIVABLE))
def test_prefilled_document_validates_after_filling_only_underivable_fields(kind):
    sources, pointers = UNDERIVABLE[kind]
    doc = prefill(kind, *(load_sample(k) for k in sources))
    missing = sorted({i.pointer for i in sipdocs.validate(doc).errors})
    assert missing == sorted(pointers)
    # a decision to continue asks for the next booking (only known once the decision is)
    filled = _fill(kind, doc, pointers + (["/next_followup"] if kind == "followup" else []))
    result = sipdocs.validate(filled)
    assert result.ok, [(i.code, i.pointer) for i in result.errors]


def test_invitation_to_consent_carries_child_guardians_parties_purposes():
    inv = load_sample("invitation")
    consent = prefill("consent", inv)
    assert consent["child"] == inv["child"]
    assert consent["guardians"] == inv["guardians"]
    orgs = [p["organisation"] for p in consent["parties"]]
    assert orgs == ["Testskolan", *[i["organisation"] for i in inv["invitees"] if i["organisation"] != "Testskolan"]]
    assert consent["purposes"] == ["establish_sip", "follow_up_sip", "information_exchange"]
    assert [p["name"] for p in consent["consenting_persons"]] == [g["name"] for g in inv["guardians"]]
    assert consent["obtained_by"]["name"] == inv["convener"]["name"]


def test_plan_followup_closure_chain():
    inv, consent = load_sample("invitation"), load_sample("consent")
    plan = prefill("plan", inv, consent)
    assert [a["organisation"] for a in plan["attendees"]] == [i["organisation"] for i in inv["invitees"]]
    assert plan["chair"] == inv["roles"]["chair"] and plan["note_taker"] == inv["roles"]["note_taker"]
    assert plan["consent"] == {"obtained": True, "date": "2026-04-15", "given_by": ["guardians"],
                               "form": "written", "obtained_by": "Testskolan", "valid_until": "2027-04-15"}
    sample_plan = load_sample("plan")
    followup = prefill("followup", sample_plan, consent)
    assert [r["intervention"] for r in followup["intervention_reviews"]] == \
        [i["what"] for i in sample_plan["interventions"]]
    assert followup["meeting"]["date"] == sample_plan["followup"]["date"]
    assert followup["previous_meeting_date"] == sample_plan["meeting"]["date"]
    assert followup["followup_number"] == 1
    second = prefill("followup", sample_plan, load_sample("followup"))
    assert second["followup_number"] == 2
    closure = prefill("closure", sample_plan, consent)
    expected = [p["organisation"] for p in sample_plan["attendees"] + sample_plan.get("absent", [])]
    assert [r["organisation"] for r in closure["recipients"]] == expected
    assert closure["consent_end_date"] == "2027-04-15"  # R5: one year from the consent
    assert closure["plan_established_date"] == sample_plan["meeting"]["date"]


def test_prefill_does_not_change_its_inputs_and_rejects_unknown_kinds():
    inv = load_sample("invitation")
    before = copy.deepcopy(inv)
    doc = prefill("plan", inv)
    doc["child"]["name"] = "changed"
    assert inv == before
    with pytest.raises(sipdocs.InputError) as exc:
        prefill("letter", inv)
    assert exc.value.code == "input.unknown_kind"


def _clean(value):
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [v for v in (_clean(x) for x in value) if v not in (None, [], {})]
    return value


@pytest.mark.parametrize("kind", list(UNDERIVABLE))
def test_yaml_skeleton_reads_back_to_the_prefilled_values(kind):
    sources, _ = UNDERIVABLE[kind]
    doc = prefill(kind, *(load_sample(k) for k in sources))
    text = yaml_skeleton(kind, doc)
    assert _clean(yaml.safe_load(text)) == doc
    # every required top-level field is present and marked
    for line in text.splitlines():
        if line.startswith("document_date:"):
            break
    else:
        pytest.fail("document_date missing")
    assert "# Datum (OBLIGATORISK)" in text


def test_empty_skeleton_marks_required_fields_and_comments_out_optional_ones():
    text = yaml_skeleton("closure")
    data = yaml.safe_load(text)
    assert data["kind"] == "closure"
    assert {"document_date", "reason", "recipients"} <= set(data)
    assert "confidentiality_notice" not in data and "# confidentiality_notice:" in text
    assert "välj: SAMORDNINGSBEHOV_UPPHORT | BEGARAN_ENSKILD_ELLER_VH" in text
    issues = {(i.code, i.pointer) for i in sipdocs.validate(data).errors}
    assert ("schema.type", "/reason") in issues or ("schema.required", "/reason") in issues


def test_cli_new_writes_a_prefilled_skeleton(run_cli, tmp_path):
    from .conftest import SAMPLES

    out = tmp_path / "plan.yaml"
    code, stdout, _ = run_cli("new", "plan", "--from", str(SAMPLES / "invitation.json"),
                              "--from", str(SAMPLES / "consent.json"), "-o", str(out))
    assert code == 0 and out.exists()
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["child"]["name"] == "Alex Testsson" and len(data["attendees"]) == 4
    code, _, err = run_cli("new", "plan", "-o", str(out))
    assert code == 5 and "output.exists" in err  # an existing file: exit 5 (README, exit codes)
    code, stdout, _ = run_cli("new", "consent")
    assert code == 0 and stdout.startswith("# Samtycke")
    code, _, err = run_cli("new", "letter")
    assert code == 2
