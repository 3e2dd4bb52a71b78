"""Normalisation of a (schema-checked) input: canonical forms and defaults.

Runs on a deep copy; never invents personal data. Identity numbers become
``YYYYMMDD-NNNN`` when valid (invalid ones are left for the rules to report), times
become ``HH:MM``, enum defaults are filled, a consenting person with ``documented_by`` and
no ``form`` consented orally, and each participant gets its principal and whether it is
summoned or invited.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .domain import PRINCIPAL_OF_KIND, SUMMONED_PRINCIPALS
from .idnumbers import parse_id_number

PARTICIPANT_LISTS = ("invitees", "attendees", "absent", "new_actors_to_invite", "recipients")
PERSON_LISTS = ("guardians", "relatives")


def iter_family(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """The child, guardians and relatives with their paths."""
    if isinstance(data.get("child"), dict):
        yield ("child",), data["child"]
    for key in PERSON_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            for i, person in enumerate(items):
                if isinstance(person, dict):
                    yield (key, i), person


def iter_participants(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    for key in PARTICIPANT_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            for i, actor in enumerate(items):
                if isinstance(actor, dict):
                    yield (key, i), actor


def iter_id_numbers(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for path, person in iter_family(data):
        value = person.get("personal_number")
        if isinstance(value, str):
            yield (*path, "personal_number"), value


def _normal_time(value: Any) -> Any:
    return value.replace(".", ":") if isinstance(value, str) else value


def normalize(data: dict[str, Any]) -> dict[str, Any]:
    """A normalised deep copy of ``data``."""
    out = copy.deepcopy(data)
    for path, person in iter_family(out):
        person.setdefault("protected_identity", "none")
        if path[0] == "guardians":
            person.setdefault("relation", "vardnadshavare")
        if path[0] == "relatives":
            person.setdefault("role", "narstaende")
        value = person.get("personal_number")
        if isinstance(value, str):
            try:
                person["personal_number"] = parse_id_number(value).normalized
            except ValueError:
                pass
    for key in ("consenting_persons", "signatures"):
        persons = out.get(key)
        for person in persons if isinstance(persons, list) else []:
            # who documented a consent only makes sense for an oral one: say so, so it is printed
            if isinstance(person, dict) and person.get("documented_by") and "form" not in person:
                person["form"] = "oral"
    for _, actor in iter_participants(out):
        kind = actor.get("actor_kind")
        if "principal" not in actor and isinstance(kind, str) and kind in PRINCIPAL_OF_KIND:
            actor["principal"] = PRINCIPAL_OF_KIND[kind]
        if "invitation_type" not in actor and isinstance(actor.get("principal"), str):
            actor["invitation_type"] = ("summoned" if actor["principal"] in SUMMONED_PRINCIPALS
                                        else "invited")
    for key in ("meeting",):
        meeting = out.get(key)
        if isinstance(meeting, dict):
            for tkey in ("start_time", "end_time"):
                if tkey in meeting:
                    meeting[tkey] = _normal_time(meeting[tkey])
    for key in ("followup", "next_followup"):
        booking = out.get(key)
        if isinstance(booking, dict) and "time" in booking:
            booking["time"] = _normal_time(booking["time"])
    if out.get("kind") in ("plan", "followup", "invitation"):
        out.setdefault("meeting_type", "followup" if out.get("kind") == "followup" else "first")
    dist = out.get("distribution")
    if out.get("kind") in ("invitation", "plan", "followup"):
        if not isinstance(dist, dict):
            dist = out["distribution"] = {} if dist is None else dist
        if isinstance(dist, dict):
            dist.setdefault("copy_to_participants", True)
            dist.setdefault("copy_to_family", True)
    if out.get("kind") == "closure":
        out.setdefault("family_informed", True)
    return out
