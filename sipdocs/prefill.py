"""Case continuity: a new document prefilled from the case's earlier documents.

A SIP case runs invitation → consent → plan → follow-up(s) → closure, and every
document repeats the child, the guardians, the services taking part and the consent.
:func:`prefill` carries what the earlier documents already say into a new input, so
that the convener types each of these once::

    consent = sipdocs.prefill("consent", invitation)
    plan = sipdocs.prefill("plan", invitation, consent)
    followup = sipdocs.prefill("followup", plan, consent)
    closure = sipdocs.prefill("closure", plan, followup, consent)

Only values that follow from the earlier documents are filled in; what must be decided
anew (the document date, the needs and goals, the status of each intervention, the
closure reason …) is left out, so validation names exactly what is still missing.
The result is a plain ``dict`` (a new object; the inputs are never changed) with only
fields the target kind's schema allows.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from typing import Any, cast

from .errors import InputError
from .inputs import load_input
from .kinds import KIND_IDS
from .validation import validate

__all__ = ["prefill", "PREFILL_SOURCES"]

Document = Mapping[str, Any] | str | os.PathLike[str] | bytes

#: The kinds each kind is usually prefilled from (documentation; any earlier kind is used).
PREFILL_SOURCES: dict[str, tuple[str, ...]] = {
    "invitation": ("plan", "followup", "consent"),
    "consent": ("invitation",),
    "plan": ("invitation", "consent"),
    "followup": ("plan", "followup", "consent", "invitation"),
    "closure": ("plan", "followup", "consent", "invitation"),
    "intake_note": ("invitation",),
}

# The participant fields that describe the service, not this meeting's business.
_PARTICIPANT_KEYS = ("organisation", "actor_kind", "principal", "actor_ref", "function", "name",
                     "invitation_type", "phone", "email", "address", "evaluation_url")
_STAFF_KEYS = ("name", "title", "organisation", "unit", "principal", "phone", "email", "address")
_DEFAULT_PURPOSES = ["establish_sip", "follow_up_sip", "information_exchange"]


def prefill(kind: str, *documents: Document) -> dict[str, Any]:
    """A new input of ``kind`` prefilled from earlier documents of the same case.

    :param kind: the kind to make (``invitation``, ``consent``, ``plan``, ``followup``,
        ``closure``, ``intake_note``).
    :param documents: earlier inputs of the case (mappings, JSON/YAML paths or bytes), in
        any order; of two documents of the same kind the later one wins.
    :returns: a new input dict with ``kind`` set and every derivable field filled.
    :raises InputError: ``kind`` is unknown (``input.unknown_kind``) or a document cannot be read.
    """
    if kind not in KIND_IDS:
        raise InputError.from_code("input.unknown_kind", allowed=", ".join(KIND_IDS))

    by_kind: dict[str, dict[str, Any]] = {}
    for document in documents:
        data = copy.deepcopy(load_input(document))
        if data.get("kind") in KIND_IDS:
            by_kind[data["kind"]] = data
    return _Case(by_kind).make(kind)


def _clean(value: Any) -> Any:
    """Drop ``None``, empty strings, lists and objects (recursively)."""
    if isinstance(value, dict):
        out = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_clean(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def _pick(source: Mapping[str, Any] | None, keys: Iterable[str]) -> dict[str, Any]:
    if not isinstance(source, Mapping):
        return {}
    return {k: copy.deepcopy(source[k]) for k in keys if k in source}


def _unique_by_organisation(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for item in items:
        org = str(item.get("organisation") or "").strip().casefold()
        if org and org in seen:
            continue
        seen.add(org)
        out.append(dict(item))
    return out


class _Case:
    """What the case knows, with one method per target kind."""

    def __init__(self, docs: dict[str, dict[str, Any]]) -> None:
        self.docs = docs
        self.invitation = docs.get("invitation", {})
        self.consent = docs.get("consent", {})
        self.plan = docs.get("plan", {})
        self.followup = docs.get("followup", {})
        self.closure = docs.get("closure", {})

    def first(self, key: str, *order: str) -> Any:
        """``key`` from the first document (in ``order``) that has it."""
        for kind in order or ("followup", "plan", "consent", "invitation", "closure", "intake_note"):
            doc = self.docs.get(kind)
            if doc and doc.get(key) not in (None, "", [], {}):
                return copy.deepcopy(doc[key])
        return None

    def make(self, kind: str) -> dict[str, Any]:
        base: dict[str, Any] = {"kind": kind}
        for key in ("pack", "lang", "case_id"):
            base[key] = self.first(key)
        body = getattr(self, f"_{kind}")()
        return cast(dict[str, Any], _clean({**base, **body}))

    # -- shared pieces ----------------------------------------------------------------------------
    def child(self) -> Any:
        return self.first("child", "followup", "plan", "invitation", "consent", "closure")

    def guardians(self) -> Any:
        return self.first("guardians", "followup", "plan", "invitation", "consent", "closure")

    def participants(self) -> list[dict[str, Any]]:
        """The services of the case: the latest meeting's attendees, else the invitees."""
        people = self.first("attendees", "followup", "plan") or self.invitation.get("invitees") or []
        return [_pick(p, _PARTICIPANT_KEYS) for p in people if isinstance(p, Mapping)]

    def consent_ref(self) -> dict[str, Any] | None:
        """The reference to the consent, from the consent document or an earlier reference."""
        earlier = self.first("consent", "followup", "plan", "invitation")
        ref: dict[str, Any] = dict(earlier) if isinstance(earlier, Mapping) else {}
        c = self.consent
        if c:
            given_by = []
            relations = [p.get("relation") for p in c.get("consenting_persons") or [] if isinstance(p, Mapping)]
            if "guardian" in relations:
                given_by.append("guardians")
            if "child" in relations:
                given_by.append("child")
            ref.update(_clean({
                "obtained": not c.get("withdrawal"),
                "date": c.get("valid_from") or c.get("document_date"),
                "given_by": given_by or ref.get("given_by"),
                "form": c.get("form"),
                "obtained_by": (c.get("obtained_by") or {}).get("organisation") or ref.get("obtained_by"),
                "valid_until": self.consent_valid_until() or ref.get("valid_until"),
            }))
        return ref or None

    def convener(self) -> Any:
        return self.invitation.get("convener") or self.first("chair", "followup", "plan")

    def consent_valid_until(self) -> str | None:
        """The consent's last valid day: given, or computed by rule R5 (start + 1 year, process end)."""
        if not self.consent:
            return None
        if self.consent.get("valid_until"):
            return str(self.consent["valid_until"])

        try:
            derived = validate(self.consent).derived.get("consent_valid_until")
        except Exception:
            return None
        return derived.isoformat() if derived else None

    # -- one method per kind ----------------------------------------------------------------------
    def _invitation(self) -> dict[str, Any]:
        earlier = self.followup or self.plan
        roles = {"chair": earlier.get("chair"), "note_taker": earlier.get("note_taker")} if earlier else None
        next_meeting = (self.followup.get("next_followup") or self.plan.get("followup") or {}) if earlier else {}
        return {
            "convener": self.convener(), "child": self.child(), "guardians": self.guardians(),
            "relatives": self.first("relatives"),
            "meeting": _clean({"date": next_meeting.get("date"), "start_time": next_meeting.get("time"),
                               "location": next_meeting.get("location"), "form": next_meeting.get("form")}),
            "meeting_type": "followup" if earlier else None,
            "followup_number": (self.followup.get("followup_number", 0) + 1) if self.followup
            else (1 if earlier else None),
            "purpose": self.first("purpose", "plan", "invitation"),
            "invitees": self.participants() or None,
            "child_participation": self.first("child_participation"),
            "consent": self.consent_ref(),
            "roles": roles,
            "distribution": self.first("distribution"),
        }

    def _consent(self) -> dict[str, Any]:
        inv_consent = self.invitation.get("consent") or {}
        parties = []
        convener = self.convener() or {}
        if convener.get("organisation"):
            parties.append(_pick(convener, ("organisation", "principal")))
        parties += [_pick(p, ("organisation", "actor_kind", "principal")) for p in self.participants()]
        guardians = self.guardians() or []
        consenting = [{"name": g["name"], "relation": "guardian"} for g in guardians
                      if isinstance(g, Mapping) and g.get("name")
                      and g.get("relation", "vardnadshavare") == "vardnadshavare"]
        return {
            "child": self.child(), "guardians": guardians,
            "purposes": inv_consent.get("purposes") or list(_DEFAULT_PURPOSES),
            "parties": _unique_by_organisation(parties) or None,
            "information_covered": inv_consent.get("information_covered"),
            "exclusions": inv_consent.get("exclusions"),
            "valid_from": inv_consent.get("date"),
            "form": inv_consent.get("form"),
            "consenting_persons": consenting or None,
            "obtained_by": _pick(convener, _STAFF_KEYS) or None,
        }

    def _plan(self) -> dict[str, Any]:
        roles = self.invitation.get("roles") or {}
        return {
            "child": self.child(), "guardians": self.guardians(), "relatives": self.first("relatives"),
            "meeting": self.invitation.get("meeting"),
            "meeting_type": self.invitation.get("meeting_type"),
            "followup_number": self.invitation.get("followup_number"),
            "attendees": self.participants() or None,
            "chair": roles.get("chair") or _pick(self.convener(), _STAFF_KEYS) or None,
            "note_taker": roles.get("note_taker"),
            "child_participation": self.invitation.get("child_participation"),
            "consent": self.consent_ref(),
            "purpose": self.invitation.get("purpose"),
            "distribution": self.invitation.get("distribution"),
        }

    def _followup(self) -> dict[str, Any]:
        last = self.followup or self.plan
        booking = (self.followup.get("next_followup") if self.followup else self.plan.get("followup")) or {}
        interventions = (self.followup.get("revised_interventions") if self.followup else None) \
            or self.plan.get("interventions") or []
        reviews = [_clean({"intervention": i.get("what"), "responsible": i.get("responsible")})
                   for i in interventions if isinstance(i, Mapping)]
        previous = (last.get("meeting") or {}).get("date") if last else None
        return {
            "child": self.child(), "guardians": self.guardians(), "relatives": self.first("relatives"),
            "meeting": _clean({"date": booking.get("date"), "start_time": booking.get("time"),
                               "location": booking.get("location"), "form": booking.get("form")}),
            "meeting_type": "followup",
            "followup_number": self.followup.get("followup_number", 0) + 1 if self.followup else 1,
            "attendees": self.participants() or None,
            "chair": self.first("chair", "followup", "plan"),
            "note_taker": self.first("note_taker", "followup", "plan"),
            "lead_responsible": self.first("lead_responsible", "followup", "plan"),
            "family_contact": self.first("family_contact", "followup", "plan"),
            "distribution": self.first("distribution", "followup", "plan"),
            "consent": self.consent_ref(),
            "previous_meeting_date": previous,
            "intervention_reviews": reviews or None,
        }

    def _closure(self) -> dict[str, Any]:
        people = list(self.plan.get("attendees") or []) + list(self.plan.get("absent") or [])
        if not people:
            people = self.participants()
        recipients = _unique_by_organisation(_pick(p, _PARTICIPANT_KEYS) for p in people
                                             if isinstance(p, Mapping))
        lead = self.first("lead_responsible", "followup", "plan") or {}
        notified = _pick(lead, ("name", "title", "organisation", "phone", "email")) if lead.get("name") \
            else self.first("chair", "followup", "plan")
        ref = self.consent_ref() or {}
        return {
            "child": self.child(), "guardians": self.guardians(),
            "plan_established_date": (self.plan.get("meeting") or {}).get("date") or self.plan.get("document_date"),
            "notified_by": notified,
            "recipients": recipients or None,
            # the consent's last valid day; the convener moves it to the closure date when the
            # consent ends with the SIP
            "consent_end_date": self.consent_valid_until() or ref.get("valid_until"),
        }

    def _intake_note(self) -> dict[str, Any]:
        meeting = self.invitation.get("meeting") or {}
        return {
            "child": _pick(self.child(), ("name", "personal_number", "date_of_birth", "address", "phone",
                                          "protected_identity")) or None,
            "sender": self.convener(),
            "meeting_date": meeting.get("date"),
            "entries": [{"date": self.invitation.get("document_date"), "kind": "KALLELSE_INKOM"}]
            if self.invitation else None,
        }
