"""Generated inputs: hypothesis-jsonschema over the real schemas, made rule-consistent.

``valid_inputs(kind)`` draws an instance from a *tightened* copy of the kind's schema
(strings from a realistic alphabet that still contains XML/HTML metacharacters and
Swedish letters, fixed pack/lang choices, only Skatteverket test personnummer, safe
URLs and e-mails) and then repairs what only the domain rules can see (date order,
consent obtained, interpreter language …) with :func:`make_consistent`. Every drawn
input must validate without errors; if one does not, the generator or sipdocs is wrong.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from sipdocs.schemas import inlined_schema

TEST_NUMBERS = ["20170101-2393", "201701012393"]
# Letters, digits, Swedish letters, punctuation including & < > " ' and a few symbols.
_CHARS = "\\-A-Za-z0-9åäöÅÄÖéü&<>\"'(),.;:!?+/#%=–"  # hyphen escaped: classes get extended below
# a simple character class keeps hypothesis' regex strategy fast
SAFE_TEXT = rf"^[{_CHARS}][{_CHARS} ]{{0,40}}$"
SAFE_LONGTEXT = rf"^[{_CHARS}][{_CHARS} \n]{{0,80}}$"


def _tighten(node: Any, path: tuple[str, ...] = ()) -> Any:
    if isinstance(node, list):
        return [_tighten(v, path) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _tighten(v, (*path, k)) for k, v in node.items()}
    if out.get("type") == "string":
        name = path[-1] if path else ""
        if out.get("format") == "uri":
            out = {"type": "string", "enum": ["https://example.org/utvardering/a",
                                              "https://example.org/utvardering/b?x=1&y=2",
                                              "http://example.org/mote/c"]}
        elif out.get("format") == "email":
            out = {"type": "string", "enum": ["kim@example.org", "a.b+c@example.org"]}
        elif out.get("pattern") == "\\S":
            long = out.get("maxLength", 0) > 10000
            out = {"type": "string", "pattern": SAFE_LONGTEXT if long else SAFE_TEXT}
        elif name == "personal_number":
            out = {"type": "string", "enum": TEST_NUMBERS}
        elif name in ("pack",):
            out = {"type": "string", "enum": ["national"]}
        elif name in ("lang",):
            out = {"type": "string", "enum": ["sv", "en"]}
        elif name == "actor_ref":
            out = {"type": "string", "enum": ["x"]}  # removed by make_consistent
    if out.get("type") == "array" and "maxItems" not in out:
        out["maxItems"] = 3
    return out


def tightened_schema(kind: str) -> dict[str, Any]:
    return _tighten(inlined_schema(kind))


def _d(day: date) -> str:
    return day.isoformat()


def make_consistent(kind: str, data: dict[str, Any], base: date) -> dict[str, Any]:
    """Repair what the rules check but a schema generator cannot know."""
    d = copy.deepcopy(data)
    d["document_date"] = _d(base)
    meeting_day = base + timedelta(days=28) if kind == "invitation" else base
    for person in [d.get("child"), *(d.get("guardians") or []), *(d.get("relatives") or [])]:
        if not isinstance(person, dict):
            continue
        person.pop("must_not_receive", None)
        person.pop("date_of_birth", None)
        interp = person.get("interpreter")
        if isinstance(interp, dict):
            interp["by_relative"] = False
            if interp.get("needed"):
                interp.setdefault("language", "arabiska")
            else:  # no interpreter: the documents list no language or mode for it
                interp.pop("language", None)
                interp.pop("mode", None)
    if isinstance(d.get("child"), dict):
        d["child"]["personal_number"] = TEST_NUMBERS[0]
    for key in ("invitees", "attendees", "absent", "new_actors_to_invite", "recipients"):
        for actor in d.get(key) or []:
            actor.pop("actor_ref", None)
    if isinstance(d.get("meeting"), dict):
        m = d["meeting"]
        m.update(date=_d(meeting_day), start_time="13:00", end_time="15:00")
        if m.get("form") != "digital":
            m.setdefault("location", "Testskolan")
    if isinstance(d.get("consent"), dict):
        c = d["consent"]
        c["obtained"] = True
        c["date"] = _d(base - timedelta(days=5))
        c.pop("valid_until", None)
    part = d.get("child_participation")
    if isinstance(part, dict) and part.get("mode") == "not_attending":
        part.setdefault("views_how", "Samtal före mötet.")
        if kind in ("plan", "followup"):
            d.setdefault("child_views", "Barnets egna ord.")
    dist = d.get("distribution")
    if isinstance(dist, dict):
        dist["copy_to_participants"] = True
    if kind == "invitation":
        d.pop("confirm_by", None)
        d["need_identified_date"] = _d(base - timedelta(days=2))
    elif kind == "consent":
        d["valid_from"] = _d(base)
        d.pop("valid_until", None)
        if "process_end" in d:
            d["process_end"] = _d(base + timedelta(days=200))
        d.pop("withdrawal", None)
        if d.get("form") == "oral":
            d["documented_in"] = {"system": "System", "date": _d(base), "documented_by": "Kim"}
        for i, party in enumerate(d.get("parties") or []):
            party["organisation"] = f"{party['organisation']} {i + 1}"
        if "other" in (d.get("purposes") or []):
            d.setdefault("purpose_other", "Annat")
        persons = d.get("consenting_persons") or [{"name": "Robin"}]
        persons[0]["relation"] = "guardian"
        for person in persons:
            if person.get("form") == "oral":
                person.setdefault("documented_by", "Kim")
            if "date" in person:
                person["date"] = _d(base)
        d["consenting_persons"] = persons
    elif kind == "plan":
        d["closes_process"] = False
        d["followup"] = dict(d.get("followup") or {}, date=_d(base + timedelta(days=90)))
    elif kind == "followup":
        d["previous_meeting_date"] = _d(base - timedelta(days=90))
        if d.get("decision") in ("continue", "revise"):
            d["next_followup"] = dict(d.get("next_followup") or {}, date=_d(base + timedelta(days=90)))
        elif "next_followup" in d:
            d["next_followup"]["date"] = _d(base + timedelta(days=90))
        if d.get("decision") == "revise" and not d.get("revised_interventions"):
            d["revised_interventions"] = [{"what": "Ny insats", "responsible": "Skolan",
                                           "principal_category": "kommun", "start": "v. 3",
                                           "frequency": "varje vecka"}]
    elif kind == "closure":
        d["plan_established_date"] = _d(base - timedelta(days=120))
        d["closure_date"] = _d(base)
        if d.get("reason") == "SAMTYCKE_ATERKALLAT":
            d["consent_withdrawal"] = {"date": _d(base - timedelta(days=3)), "by": "guardian"}
        else:
            d.pop("consent_withdrawal", None)
        if d.get("reason") == "ANNAT":
            d.setdefault("reason_text", "Annan orsak")
        if "consent_end_date" in d:
            d["consent_end_date"] = _d(base)
    elif kind == "intake_note":
        for entry in d.get("entries") or []:
            entry["date"] = _d(base)
            entry["contacted_family"] = False
            if entry.get("kind") == "KALLELSE_INKOM":
                entry["consent_verified"] = True
        if "meeting_date" in d:
            d["meeting_date"] = _d(base)
    for key in ("followup", "next_followup"):
        if isinstance(d.get(key), dict) and "time" in d[key]:
            d[key]["time"] = "10:00"
    for review in d.get("intervention_reviews") or []:
        review.setdefault("intervention", "Insats")
    return d


@cache
def _strategy(kind: str) -> Any:
    return from_schema(tightened_schema(kind))


@st.composite
def valid_inputs(draw: Any, kind: str) -> dict[str, Any]:
    raw = draw(_strategy(kind))
    base = draw(st.dates(min_value=date(2025, 7, 1), max_value=date(2030, 12, 31)))
    return make_consistent(kind, raw, base)


def string_values(node: Any) -> list[str]:
    """Every string value in an input (not keys), for "does it appear in the output" checks."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in string_values(v)]
    if isinstance(node, list):
        return [s for v in node for s in string_values(v)]
    return []
