"""Derivation is its own pure step; rules only yield issues, in any order; a crashing rule is a bug."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import random
from datetime import date

import pytest

import sipdocs
from sipdocs import rules
from sipdocs.context import build_context
from sipdocs.derive import Derived, derive
from sipdocs.errors import InternalError
from sipdocs.normalize import normalize
from sipdocs.packs import load_pack
from sipdocs.validation import ValidationResult

from .conftest import KINDS, SAMPLES, load_sample

CHILD_NAME, CHILD_NUMBER = "Alex Testsson", "20170101-2393"  # the samples' child


def _sixteen_year_old_consent():
    """A consent whose child is 16 on the document date and does not consent: the issue depends on
    the child's age, which is derived (it was set by an earlier rule before)."""
    data = load_sample("consent")
    data["child"]["personal_number"] = "20051016-2381"
    data["document_date"] = data["valid_from"] = "2021-10-20"
    return data


def _inputs():
    yield from ((f"{k}.json", load_sample(k)) for k in KINDS)
    yield from ((p.name, json.loads(p.read_text())) for p in sorted((SAMPLES / "invalid").glob("*.invalid.json")))
    yield "consent-16", _sixteen_year_old_consent()
    plan = load_sample("plan")
    plan["consent"]["valid_until"] = "2030-01-01"  # later than the limit: derived valid-until is the limit
    plan["attendees"] = plan["attendees"][:1]  # one sector only
    yield "plan-late-consent", plan


INPUTS = list(_inputs())


# --- the derivation step ----------------------------------------------------------------------------

def test_derive_computes_the_values_the_documents_print():
    pack = load_pack("national")
    invitation = derive(normalize(load_sample("invitation")), pack)
    assert invitation.child_age == 9 and invitation.child_birth_date == date(2017, 1, 1)
    assert invitation.child_id_kind == "personnummer"
    assert invitation.confirm_by == date(2026, 5, 5)  # the meeting less osa_days_before (7)
    assert invitation.sectors == ("health_care", "school", "social_services")
    consent = derive(normalize(load_sample("consent")), pack)
    assert (consent.consent_limit, consent.consent_valid_until) == (date(2027, 4, 15), date(2027, 4, 15))
    assert consent.confirm_by is None and consent.sectors is None


def test_derive_is_pure_and_is_what_validation_returns():
    for name, data in INPUTS:
        before = copy.deepcopy(data)
        result = sipdocs.validate(data)
        assert data == before, name
        assert isinstance(result.derived, Derived)
        normalized = copy.deepcopy(result.data)
        pack = load_pack(result.pack)
        assert derive(result.data, pack) == derive(result.data, pack) == result.derived, name
        assert result.data == normalized, name  # derive wrote nothing into its input


def test_derive_reads_only_the_pack_settings_it_is_given():
    data = load_sample("plan")
    del data["child"]["personal_number"]
    data["child"]["date_of_birth"] = "2016-05-31"
    national = load_pack("national")
    assert derive(normalize(data), national).child_age is None  # the national pack wants a number
    allowing = dataclasses.replace(national, rules=dataclasses.replace(national.rules, allow_date_of_birth=True))
    assert derive(normalize(data), allowing).child_age == 9
    longer = dataclasses.replace(national, rules=dataclasses.replace(national.rules, consent_max_months=6))
    assert derive(normalize(data), longer).consent_limit == date(2026, 10, 15)


def test_dates_the_calendar_cannot_hold_are_not_derived():
    consent = load_sample("consent")
    consent["valid_from"], consent["valid_until"] = "9999-06-01", "9999-12-31"
    consent.pop("process_end", None)
    result = sipdocs.validate(consent)  # the limit would be in year 10000: it was a ValueError
    assert result.derived.consent_limit is None and result.derived.consent_valid_until == date(9999, 12, 31)
    invitation = load_sample("invitation")
    invitation["meeting"]["date"] = "0001-01-03"
    invitation.pop("confirm_by", None)
    assert "confirm_by" not in sipdocs.validate(invitation).derived


def test_derived_reads_as_the_mapping_it_was_and_hides_its_values():
    result = sipdocs.validate(SAMPLES / "consent.json")
    assert result.derived["consent_valid_until"] == date(2027, 4, 15)
    assert result.derived.get("confirm_by") is None and "confirm_by" not in result.derived
    with pytest.raises(KeyError):
        result.derived["confirm_by"]
    assert dict(result.derived) == {"child_birth_date": date(2017, 1, 1), "child_id_kind": "personnummer",
                                    "child_age": 9, "consent_limit": date(2027, 4, 15),
                                    "consent_valid_until": date(2027, 4, 15)}
    assert "2017" not in repr(result.derived) and "2027" not in repr(result.derived)
    assert pickle.loads(pickle.dumps(result.derived)) == result.derived
    # a ValidationResult made by hand with a plain dict, as before derivation had its own step
    own = ValidationResult("consent", "national", (), result.data, {"child_age": 9, "sectors": ["school"]})
    assert own.derived.child_age == 9 and own.derived.sectors == ("school",)


def test_the_context_reads_the_derived_values_not_the_rules(monkeypatch):
    monkeypatch.setattr(rules, "_RULES", [])  # no rule runs: whatever the documents print is derived
    invitation = build_context(load_sample("invitation"))
    assert invitation["child"]["age"] == 9
    assert invitation["confirm_by"] == "tisdag 5 maj 2026"
    consent = build_context(load_sample("consent"))
    assert consent["valid_until_iso"] == "2027-04-15"
    plan = build_context(load_sample("plan"))
    assert plan["consent"]["valid_until"] is not None


# --- rules only yield issues, in any order -----------------------------------------------------------

def _issues(data):
    return [(i.code, i.pointer, i.level, i.message_en, i.message_sv) for i in sipdocs.validate(data).issues]


@pytest.mark.parametrize("name, data", INPUTS, ids=[n for n, _ in INPUTS])
def test_the_order_of_the_rules_does_not_matter(monkeypatch, name, data):
    expected = _issues(data)
    registered = list(rules._RULES)
    orders = [registered[::-1]] + [random.Random(seed).sample(registered, len(registered)) for seed in range(3)]
    for order in orders:
        monkeypatch.setattr(rules, "_RULES", order)
        assert _issues(data) == expected


def test_an_issue_that_rests_on_a_derived_value_is_found():
    codes = {i.code for i in sipdocs.validate(_sixteen_year_old_consent()).issues}
    assert "consent.child_not_consenting" in codes


def test_rules_write_nothing():
    for name, data in INPUTS:
        result = sipdocs.validate(data)
        if result.kind is None:
            continue
        pack = load_pack(result.pack)
        check = rules.Check(kind=result.kind, data=copy.deepcopy(result.data), pack=pack,
                            derived=result.derived, original=copy.deepcopy(result.data))
        rules.run_rules(check)
        assert check.data == result.data and check.original == result.data, name
        assert check.derived == derive(result.data, pack), name
        with pytest.raises(dataclasses.FrozenInstanceError):
            check.derived.child_age = 1  # type: ignore[misc]
        _no_personal_value(repr(check))  # a rule's traceback shows it


# --- a crashing rule is a bug, never skipped -----------------------------------------------------------

@pytest.fixture
def crashing_rule(monkeypatch):
    """A rule that raises with personal values in its message, registered for this test only."""
    monkeypatch.setattr(rules, "_RULES", list(rules._RULES))

    @rules.rule()
    def broken_rule(check):
        raise TypeError(f"{CHILD_NAME} {CHILD_NUMBER}")
        yield  # a generator, like every rule

    return "broken_rule"


def _no_personal_value(text: str) -> None:
    for value in (CHILD_NAME, "Testsson", CHILD_NUMBER, "2393"):
        assert value not in text


def test_a_crashing_rule_is_an_internal_error_even_when_the_schema_found_errors(crashing_rule):
    data = json.loads((SAMPLES / "invalid" / "plan.invalid.json").read_text())  # has schema errors
    for case in (data, load_sample("plan")):
        with pytest.raises(InternalError) as caught:
            sipdocs.validate(case)
        err = caught.value
        assert err.code == "internal.rule_failed" and err.exit_code == 1
        assert crashing_rule in err.message and crashing_rule in err.message_sv
        assert err.details["rule"] == crashing_rule and err.details["exception"] == "TypeError"
        assert err.details["at"].startswith("test_derive.py:")
        _no_personal_value(str(err) + err.message_sv + json.dumps(err.to_dict("sv")) + json.dumps(err.to_dict("en")))
        assert err.__cause__ is None  # the exception quotes the input: chained in debug mode only
        _no_personal_value(str(pickle.loads(pickle.dumps(err))))
    with pytest.raises(InternalError) as caught:
        sipdocs.validate(data, debug=True)
    assert isinstance(caught.value.__cause__, TypeError)


def test_the_cli_exits_1_with_the_code_when_a_rule_crashes(crashing_rule, run_cli):
    for path in (SAMPLES / "plan.json", SAMPLES / "invalid" / "plan.invalid.json"):
        code, out, err = run_cli("validate", "--lang", "en", str(path))
        assert code == 1
        assert "internal.rule_failed" in err and crashing_rule in err
        _no_personal_value(out + err)


def test_rules_and_derivation_survive_values_of_the_wrong_shape():
    """Rules skip what they cannot read: a value of another type anywhere gives issues, never a crash
    (which is now an internal error instead of being swallowed)."""
    def paths(node, path=()):
        yield path
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in children:
            yield from paths(value, (*path, key))

    for kind in KINDS:
        sample = load_sample(kind)
        for path in list(paths(sample))[1:]:
            if path in (("kind",), ("pack",)):
                continue
            for wrong in ([{}], "9999-12-31"):  # unhashable where a code is expected; a year-9999 date
                data = copy.deepcopy(sample)
                node = data
                for token in path[:-1]:
                    node = node[token]
                node[path[-1]] = wrong
                sipdocs.validate(data)
