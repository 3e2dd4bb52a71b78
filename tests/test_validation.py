"""Validation: samples, invalid samples with their exact issues, and the key rules."""

from __future__ import annotations

import copy
import json

import pytest

import sipdocs
from sipdocs.errors import InvalidInputError

from .conftest import KINDS, SAMPLES, load_sample


@pytest.mark.parametrize("kind", KINDS)
def test_every_valid_sample_validates(kind):
    result = sipdocs.validate(SAMPLES / f"{kind}.json")
    assert result.kind == kind
    assert result.errors == (), [str(i) for i in result.errors]


@pytest.mark.parametrize("kind", KINDS)
def test_invalid_sample_gives_exactly_its_expected_issues(kind):
    expected = json.loads((SAMPLES / "invalid" / f"{kind}.expected.json").read_text())
    result = sipdocs.validate(SAMPLES / "invalid" / f"{kind}.invalid.json")
    got = [{"code": i.code, "pointer": i.pointer, "level": i.level} for i in result.issues]
    assert got == expected
    assert not result.ok


def codes(result):
    return {(i.code, i.pointer, i.level) for i in result.issues}


def test_consent_valid_until_later_than_one_year_is_an_error():
    data = load_sample("consent")
    data["valid_until"] = "2027-04-16"  # start 2026-04-15 + 1 year + 1 day
    result = sipdocs.validate(data)
    assert ("consent.valid_until_too_late", "/valid_until", "error") in codes(result)
    data["valid_until"] = "2027-04-15"
    assert sipdocs.validate(data).ok


def test_consent_valid_until_is_computed_as_the_earlier_of_end_and_one_year():
    data = load_sample("consent")
    assert sipdocs.validate(data).derived["consent_valid_until"].isoformat() == "2027-04-15"
    data["process_end"] = "2026-12-31"
    assert sipdocs.validate(data).derived["consent_valid_until"].isoformat() == "2026-12-31"
    data["valid_until"] = "2027-01-15"  # after the process end
    assert ("consent.valid_until_too_late", "/valid_until", "error") in codes(sipdocs.validate(data))


def test_leap_day_consent_lasts_until_28_february():
    data = load_sample("consent")
    data["valid_from"] = "2028-02-29"
    data["document_date"] = "2028-02-29"
    assert sipdocs.validate(data).derived["consent_valid_until"].isoformat() == "2029-02-28"


def test_wrong_check_digit_is_an_error_and_never_echoed():
    data = load_sample("invitation")
    data["child"]["personal_number"] = "20170101-2394"
    result = sipdocs.validate(data)
    assert ("id.personnummer_invalid", "/child/personal_number", "error") in codes(result)
    dumped = json.dumps([i.to_dict("sv") for i in result.issues] + [i.to_dict("en") for i in result.issues])
    assert "2394" not in dumped and "201701012394" not in dumped
    assert all(i.value is None for i in result.issues)


def test_debug_keeps_the_value():
    data = load_sample("invitation")
    data["child"]["personal_number"] = "20170101-2394"
    result = sipdocs.validate(data, debug=True)
    issue = next(i for i in result.issues if i.code == "id.personnummer_invalid")
    assert issue.value == "20170101-2394"


@pytest.mark.parametrize("number, normalized, kind", [
    ("201701012393", "20170101-2393", "personnummer"),
    ("20170101-2393", "20170101-2393", "personnummer"),
    ("19701063-2391", "19701063-2391", "samordningsnummer"),
])
def test_numbers_are_normalised(number, normalized, kind):
    data = load_sample("consent")
    data["child"]["personal_number"] = number
    result = sipdocs.validate(data)
    assert result.data["child"]["personal_number"] == normalized
    assert not any(i.code.startswith("id.") and i.is_error for i in result.issues)


def test_samordningsnummer_with_bad_check_digit():
    data = load_sample("consent")
    data["child"]["personal_number"] = "19701063-2392"
    assert ("id.samordningsnummer_invalid", "/child/personal_number", "error") in codes(sipdocs.validate(data))


def test_short_form_number_warns():
    data = load_sample("consent")
    data["child"]["personal_number"] = "170101-2393"
    result = sipdocs.validate(data)
    assert ("id.short_form", "/child/personal_number", "warning") in codes(result)
    assert result.data["child"]["personal_number"] == "20170101-2393"


def test_child_age_is_derived_at_the_document_date():
    data = load_sample("plan")
    assert sipdocs.validate(data).derived["child_age"] == 9
    data["document_date"] = "2027-01-01"
    assert sipdocs.validate(data).derived["child_age"] == 10


def test_age_out_of_scope_warns():
    data = load_sample("plan")
    data["child"]["personal_number"] = "20051016-2381"  # 20 at the document date
    assert ("age.out_of_scope", "/child/personal_number", "warning") in codes(sipdocs.validate(data))


def test_confirm_by_is_meeting_minus_seven_days_and_short_notice_warns():
    data = load_sample("invitation")
    result = sipdocs.validate(data)
    assert result.derived["confirm_by"].isoformat() == "2026-05-05"
    data["document_date"] = "2026-04-30"  # 12 days ahead
    result = sipdocs.validate(data)
    assert ("invitation.short_notice", "/meeting/date", "warning") in codes(result)
    assert result.ok


def test_consent_not_obtained_blocks_plan():
    data = load_sample("plan")
    data["consent"]["obtained"] = False
    result = sipdocs.validate(data)
    assert ("consent.not_obtained", "/consent/obtained", "error") in codes(result)
    with pytest.raises(InvalidInputError) as exc:
        result.raise_for_errors()
    assert exc.value.best.code == "consent.not_obtained"


def test_oral_consent_must_be_documented():
    data = load_sample("consent")
    data["form"] = "oral"
    assert ("consent.oral_not_documented", "/documented_in", "error") in codes(sipdocs.validate(data))
    data["documented_in"] = {"system": "Testsystem", "date": "2026-04-15", "documented_by": "Kim Kurator"}
    assert sipdocs.validate(data).ok


def test_teenager_should_consent_too():
    data = load_sample("consent")
    data["child"]["personal_number"] = "20051016-2381"
    data["document_date"] = "2021-04-15"  # the child is 15
    data["valid_from"] = "2021-04-15"
    result = sipdocs.validate(data)
    assert ("consent.child_not_consenting", "/consenting_persons", "warning") in codes(result)


def test_plan_without_followup_needs_closing_flag():
    data = load_sample("plan")
    del data["followup"]
    assert ("plan.followup_missing", "/followup", "error") in codes(sipdocs.validate(data))
    data["closes_process"] = True
    assert sipdocs.validate(data).ok


def test_followup_after_consent_expiry_warns():
    data = load_sample("plan")
    data["followup"]["date"] = "2027-05-01"
    assert ("consent.expires_before_followup", "/followup/date", "warning") in codes(sipdocs.validate(data))


def test_protected_identity_warns_for_contact_details_and_blocks_recipients():
    data = load_sample("invitation")
    data["guardians"][0]["protected_identity"] = "sekretessmarkering"
    data["guardians"][1]["must_not_receive"] = True
    data["distribution"]["extra_recipients"] = [{"name": "samira  exempel", "channel": "post"}]
    result = sipdocs.validate(data)
    got = codes(result)
    assert ("protected.contact_given", "/guardians/0/phone", "warning") in got
    assert ("protected.contact_given", "/guardians/0/address", "warning") in got
    assert ("protected.recipient_blocked", "/distribution/extra_recipients/0/name", "error") in got


def test_interpreter_by_relative_warns():
    data = load_sample("invitation")
    data["guardians"][1]["interpreter"]["by_relative"] = True
    assert ("interpreter.relative", "/guardians/1/interpreter/by_relative", "warning") in codes(sipdocs.validate(data))


def test_interpreter_details_without_a_need_warn_that_they_are_not_printed():
    data = load_sample("invitation")
    data["guardians"][1]["interpreter"] = {"needed": False, "language": "arabiska", "mode": "phone"}
    got = codes(sipdocs.validate(data))
    assert ("interpreter.not_needed", "/guardians/1/interpreter/language", "warning") in got
    assert ("interpreter.not_needed", "/guardians/1/interpreter/mode", "warning") in got
    data["guardians"][1]["interpreter"]["needed"] = True
    assert not [c for c in codes(sipdocs.validate(data)) if c[0] == "interpreter.not_needed"]


def test_withdrawn_consent_closes_with_that_reason():
    data = load_sample("closure")
    data["consent_withdrawal"] = {"date": "2027-03-01", "by": "guardian"}
    assert ("consent.withdrawn_reason", "/reason", "error") in codes(sipdocs.validate(data))
    data["reason"] = "SAMTYCKE_ATERKALLAT"
    assert sipdocs.validate(data).ok
    del data["consent_withdrawal"]
    assert ("consent.withdrawal_missing", "/consent_withdrawal", "error") in codes(sipdocs.validate(data))


def test_one_sector_is_a_warning_in_the_national_pack():
    data = load_sample("invitation")
    data["invitees"] = [data["invitees"][0]]
    result = sipdocs.validate(data)
    assert ("sectors.too_few", "/invitees", "warning") in codes(result)
    assert result.ok


def test_unknown_kind_and_not_an_object():
    assert sipdocs.validate({"kind": "letter"}).issues[0].code == "input.unknown_kind"
    assert sipdocs.validate({}).issues[0].pointer == "/kind"
    from sipdocs.validation import validate as validate_data

    assert validate_data([1, 2]).issues[0].code == "input.not_an_object"


def test_every_problem_is_reported_at_once():
    data = load_sample("plan")
    for key in ("purpose", "needs", "long_term_goal"):
        del data[key]
    data["child"]["personal_number"] = "20170101-2394"
    data["consent"]["obtained"] = False
    got = {(c, p) for c, p, _ in codes(sipdocs.validate(data))}
    assert {("schema.required", "/purpose"), ("schema.required", "/needs"),
            ("schema.required", "/long_term_goal"), ("id.personnummer_invalid", "/child/personal_number"),
            ("consent.not_obtained", "/consent/obtained")} <= got


def test_messages_never_contain_input_values():
    data = load_sample("plan")
    secret = "Hemliga Gatan 99"
    data["child"]["name"] = 12345  # wrong type: jsonschema would echo it
    data["chair"]["email"] = "not-an-email " + secret
    data["unknown_" + "field"] = secret
    result = sipdocs.validate(data)
    text = json.dumps([i.to_dict(lang) for i in result.issues for lang in ("sv", "en")], ensure_ascii=False)
    assert secret not in text and "12345" not in text
    assert {"schema.type", "schema.format", "schema.additional_property"} <= {i.code for i in result.issues}


def test_pointer_escaping_for_odd_keys():
    data = load_sample("closure")
    data["a/b~c"] = 1
    assert "/a~1b~0c" in {i.pointer for i in sipdocs.validate(data).issues}


def test_validation_does_not_mutate_the_input():
    data = load_sample("invitation")
    data["child"]["personal_number"] = "201701012393"
    before = copy.deepcopy(data)
    sipdocs.validate(data)
    assert data == before


def test_yaml_input(tmp_path):
    import yaml

    path = tmp_path / "consent.yaml"
    path.write_text(yaml.safe_dump(load_sample("consent"), allow_unicode=True), encoding="utf-8")
    result = sipdocs.validate(path)
    assert result.ok and result.kind == "consent"


def test_issue_catalogue_codes_have_both_languages():
    from sipdocs.messages import CATALOGUE

    for code, msg in CATALOGUE.items():
        assert msg.sv and msg.en and msg.sv != msg.en, code
