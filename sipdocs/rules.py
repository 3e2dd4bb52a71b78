"""Domain rules beyond the schema (DOMAIN.md §3), each with a stable code and a pointer.

A rule is a generator ``rule(check)`` that only yields issues: it reads the normalised
input, the pack and the values :func:`sipdocs.derive.derive` computed from the input
(``check.derived``), and writes nothing, so the rules can run in any order. Rules read their
parameters from the pack (:class:`sipdocs.packs.RuleSettings`), so the same input can be an
error under one county's routine and a warning under another's. Rules run on the normalised
input and tolerate data the schema already rejected (they skip what they cannot read); a rule
that raises all the same is a bug in sipdocs, reported as ``internal.rule_failed``.

To add a rule, write a generator here and register it with ``@rule(kind, …)``; give each
issue code a message in :mod:`sipdocs.messages`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .catalogue import phrase
from .derive import Derived, date_at
from .domain import PROTECTED_CONTACT_FIELDS, is_protected
from .errors import InternalError, Issue, Level, SipdocsError, join_pointer
from .idnumbers import age_on, parse_id_number
from .messages import make_issue
from .normalize import iter_family, iter_id_numbers, iter_participants
from .packs import Pack, RuleSettings
from .schemas import field_title


@dataclass(frozen=True)
class Check:
    """What a rule sees: the normalised input, the pack and the derived values (all read-only)."""

    kind: str
    data: dict[str, Any] = field(repr=False)  # describes a child: kept out of repr() and tracebacks
    pack: Pack
    derived: Derived = field(default_factory=Derived)
    debug: bool = False
    original: dict[str, Any] | None = field(default=None, repr=False)  # the input before normalisation

    @property
    def settings(self) -> RuleSettings:
        return self.pack.rules

    def issue(self, code: str, path: Iterable[str | int] | str, level: Level = "error", *,
              value: Any = None, **params: Any) -> Issue:
        pointer = path if isinstance(path, str) else join_pointer(*path)
        tokens = tuple(path) if not isinstance(path, str) else ()

        title = field_title(self.kind, tokens) if tokens else None
        return make_issue(code, pointer, level, value=value, debug=self.debug,
                          **({"field": title} if title else {}), **params)

    def date(self, *path: str | int) -> date | None:
        return date_at(self.data, *path)


Rule = Callable[[Check], Iterator[Issue]]


@dataclass(frozen=True)
class RegisteredRule:
    """A rule as registered: its id (the function's name), its kinds (``None`` = every kind)."""

    id: str
    kinds: tuple[str, ...] | None
    fn: Rule

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


_RULES: list[RegisteredRule] = []


def rule(*kinds: str) -> Callable[[Rule], Rule]:
    """Register a rule for the given kinds (none given = every kind)."""

    def register(fn: Rule) -> Rule:
        _RULES.append(RegisteredRule(fn.__name__, kinds or None, fn))
        return fn

    return register


def run_rules(check: Check) -> list[Issue]:
    """The issues of every registered rule that applies to ``check.kind``, in any order.

    :raises InternalError: ``internal.rule_failed`` — a rule raised, which is a bug in sipdocs
        and never the input's fault. The message names the rule, never a value: the
        exception (which may quote the input) is chained only when ``check.debug`` is set.
    """
    issues: list[Issue] = []
    for entry in _RULES:
        if not entry.applies_to(check.kind):
            continue
        try:
            issues.extend(entry.fn(check))
        except SipdocsError:
            raise
        except Exception as exc:
            raise InternalError.bug_in(phrase("part.rule", rule=entry.id), exc,
                                       code="internal.rule_failed", rule=entry.id) from (exc if check.debug else None)
    return issues


def _level(setting: str) -> Level | None:
    return None if setting == "off" else ("error" if setting == "error" else "warning")


# --- every kind ---------------------------------------------------------------------------------

@rule()
def identity_numbers(check: Check) -> Iterator[Issue]:
    """Personnummer/samordningsnummer: check digit and date (library), 12 digits wanted."""
    for path, value in iter_id_numbers(check.original if check.original is not None else check.data):
        try:
            number = parse_id_number(value)
        except ValueError as exc:
            code = "id.samordningsnummer_invalid" if exc.args[1] == "samordningsnummer" else "id.personnummer_invalid"
            yield check.issue(code, path, value=value)
            continue
        if number.short_form:
            yield check.issue("id.short_form", path, "warning")


@rule()
def child_identity_and_age(check: Check) -> Iterator[Issue]:
    """The child needs a number (or a date of birth where the pack allows it); R35 age scope."""
    child = check.data.get("child")
    if not isinstance(child, dict):
        return
    if "personal_number" not in child and not (
            check.settings.allow_date_of_birth and check.date("child", "date_of_birth")):
        yield check.issue("id.missing", ("child", "personal_number"))
    birth, age = check.derived.child_birth_date, check.derived.child_age
    if birth is None or age is None:
        return
    s = check.settings
    if not s.age_min <= age <= s.age_max:
        yield check.issue("age.out_of_scope", ("child", "personal_number"), "warning",
                          age=age, age_min=s.age_min, age_max=s.age_max)
        return
    horizon = check.date("followup", "date") or check.date("next_followup", "date")
    if horizon and age_on(birth, horizon) > s.age_max:
        yield check.issue("age.ageing_out", ("child", "personal_number"), "warning",
                          limit=s.age_max + 1, until_what="uppföljningen / the follow-up")


@rule()
def interpreters(check: Check) -> Iterator[Issue]:
    """R29: an interpreter need names the language; relatives and children do not interpret."""
    for path, person in iter_family(check.data):
        interp = person.get("interpreter")
        if not isinstance(interp, dict):
            continue
        if interp.get("needed") is True and not interp.get("language"):
            yield check.issue("interpreter.language_missing", (*path, "interpreter", "language"))
        if interp.get("by_relative") is True:
            yield check.issue("interpreter.relative", (*path, "interpreter", "by_relative"), "warning")
        if interp.get("needed") is not True:
            for key in ("language", "mode"):  # the documents print them only for a needed interpreter
                if interp.get(key):
                    yield check.issue("interpreter.not_needed", (*path, "interpreter", key), "warning")


@rule()
def protected_identity(check: Check) -> Iterator[Issue]:
    """R30: contact details of a protected person are never printed; blocked persons get no copy."""
    blocked: set[str] = set()
    for path, person in iter_family(check.data):
        if person.get("must_not_receive") is True and isinstance(person.get("name"), str):
            blocked.add(_key(person["name"]))
        if not is_protected(person):
            continue
        for key in PROTECTED_CONTACT_FIELDS:
            if key in person:
                yield check.issue("protected.contact_given", (*path, key), "warning")
    if not blocked:
        return
    dist = check.data.get("distribution")
    extra = dist.get("extra_recipients") if isinstance(dist, dict) else None
    for i, rec in enumerate(extra if isinstance(extra, list) else []):
        if isinstance(rec, dict) and isinstance(rec.get("name"), str) and _key(rec["name"]) in blocked:
            yield check.issue("protected.recipient_blocked", ("distribution", "extra_recipients", i, "name"))
    for path, actor in iter_participants(check.data):
        if isinstance(actor.get("name"), str) and _key(actor["name"]) in blocked:
            yield check.issue("protected.recipient_blocked", (*path, "name"))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@rule()
def pack_actors(check: Check) -> Iterator[Issue]:
    for path, actor in iter_participants(check.data):
        ref = actor.get("actor_ref")
        if isinstance(ref, str) and check.pack.actor(ref=ref) is None:
            yield check.issue("participant.actor_unknown", (*path, "actor_ref"))


# --- meetings -------------------------------------------------------------------------------------

_TIME_OF_DAY = re.compile(r"([01][0-9]|2[0-3])[:.]([0-5][0-9])")


def _minutes(value: Any) -> int | None:
    """Minutes since midnight of a time of day ("13:00", "13.00"), or None if it is not one."""
    m = _TIME_OF_DAY.fullmatch(value) if isinstance(value, str) else None
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


@rule("invitation", "plan", "followup")
def meeting_shape(check: Check) -> Iterator[Issue]:
    meeting = check.data.get("meeting")
    if not isinstance(meeting, dict):
        return
    # compared only when both are real times of day: an impossible time (25.00) has its own
    # error and says nothing about the order
    start, end = _minutes(meeting.get("start_time")), _minutes(meeting.get("end_time"))
    if start is not None and end is not None and end <= start:
        yield check.issue("meeting.time_order", ("meeting", "end_time"))
    form = meeting.get("form")
    if form in ("in_person", "hybrid") and not meeting.get("location"):
        yield check.issue("meeting.location_missing", ("meeting", "location"))
    if form in ("digital", "hybrid") and not meeting.get("link") and check.kind == "invitation":
        yield check.issue("meeting.link_missing", ("meeting", "link"), "warning")


@rule("invitation", "plan", "followup")
def sectors(check: Check) -> Iterator[Issue]:
    """R12: at least ``min_sectors`` of school, social services and health care take part."""
    level = _level(check.settings.min_sectors_level)
    present = check.derived.sectors
    if level is None or present is None:
        return
    if len(present) < check.settings.min_sectors:
        yield check.issue("sectors.too_few", ("invitees" if check.kind == "invitation" else "attendees",),
                          level, limit=check.settings.min_sectors, count=len(present))


@rule("plan", "followup", "invitation")
def child_views(check: Check) -> Iterator[Issue]:
    """R20: a child who does not attend is still heard."""
    part = check.data.get("child_participation")
    if not isinstance(part, dict) or part.get("mode") != "not_attending":
        return
    if check.kind == "invitation":
        if not part.get("views_how"):
            yield check.issue("child.views_missing", ("child_participation", "views_how"), "warning")
    elif not check.data.get("child_views"):
        yield check.issue("child.views_missing", ("child_views",))


# --- consent --------------------------------------------------------------------------------------

@rule("invitation", "plan", "followup")
def consent_reference(check: Check) -> Iterator[Issue]:
    """R4 (consent obtained) and R5 (validity) for documents that rest on a consent."""
    consent = check.data.get("consent")
    if not isinstance(consent, dict):
        return
    if consent.get("obtained") is False:
        yield check.issue("consent.not_obtained", ("consent", "obtained"))
    given = check.date("consent", "valid_until")
    start = check.date("consent", "date")
    limit = check.derived.consent_limit
    if given and limit and given > limit:
        yield check.issue("consent.valid_until_too_late", ("consent", "valid_until"))
    if given and start and given < start:
        yield check.issue("consent.valid_until_before_start", ("consent", "valid_until"))
    valid_until = check.derived.consent_valid_until
    if valid_until is None:
        return
    meeting = check.date("meeting", "date")
    if meeting and meeting > valid_until:
        yield check.issue("consent.expired", ("consent", "valid_until") if given else ("consent", "date"))
    for key in ("followup", "next_followup"):
        follow = check.date(key, "date")
        if follow and follow > valid_until:
            yield check.issue("consent.expires_before_followup", (key, "date"), "warning")
    if check.kind == "plan" and check.settings.consent_placement == "embedded" and consent.get("obtained"):
        for key in ("purposes", "parties", "information_covered"):
            if key not in consent:
                yield check.issue("consent.scope_missing", ("consent", key))


@rule("consent")
def consent_document(check: Check) -> Iterator[Issue]:
    """R5 validity, R7 oral consent documented, R8 named parties and purposes, R9 who consents."""
    d = check.data
    start = check.date("valid_from")
    if start:
        latest = check.derived.consent_limit
        given = check.date("valid_until")
        if given and latest and given > latest:
            yield check.issue("consent.valid_until_too_late", ("valid_until",))
        elif given and given < start:
            yield check.issue("consent.valid_until_before_start", ("valid_until",))
        end = check.date("process_end")
        if end and end < start:
            yield check.issue("consent.valid_until_before_start", ("process_end",))
    if d.get("form") == "oral" and not isinstance(d.get("documented_in"), dict):
        yield check.issue("consent.oral_not_documented", ("documented_in",))
    persons = d.get("consenting_persons")
    persons = persons if isinstance(persons, list) else []
    for i, person in enumerate(persons):
        if isinstance(person, dict) and person.get("form") == "oral" and not person.get("documented_by"):
            yield check.issue("consent.oral_not_documented", ("consenting_persons", i, "documented_by"))
    parties = d.get("parties")
    if isinstance(parties, list) and len(parties) >= 2:
        names = {_key(p["organisation"]) for p in parties
                 if isinstance(p, dict) and isinstance(p.get("organisation"), str)}
        if len(names) < 2:
            yield check.issue("consent.parties_not_distinct", ("parties",))
    purposes = d.get("purposes")
    if isinstance(purposes, list) and "other" in purposes and not d.get("purpose_other"):
        yield check.issue("consent.purpose_other_missing", ("purpose_other",))
    relations = {p["relation"] for p in persons if isinstance(p, dict) and isinstance(p.get("relation"), str)}
    age = check.derived.child_age
    if persons and "guardian" not in relations and (age is None or age < 18):
        yield check.issue("consent.guardian_missing", ("consenting_persons",))
    limit = check.settings.child_consent_age
    if persons and age is not None and limit <= age < 18 and "child" not in relations:
        yield check.issue("consent.child_not_consenting", ("consenting_persons",), "warning",
                          age=age, limit=limit)


# --- invitation -----------------------------------------------------------------------------------

@rule("invitation")
def invitation_timing(check: Check) -> Iterator[Issue]:
    """R13 (lead time, computed reply-by date) and R11 (meeting soon after the need is found)."""
    s = check.settings
    meeting = check.date("meeting", "date")
    sent = check.date("document_date")
    if meeting is None:
        return
    given = check.date("confirm_by")
    if given and given >= meeting:
        yield check.issue("invitation.confirm_by_after_meeting", ("confirm_by",))
    if sent:
        days = (meeting - sent).days
        if days < 0:
            yield check.issue("invitation.sent_after_meeting", ("document_date",))
        else:
            level = _level(s.invite_lead_level)
            if level and days < s.min_days_invite_to_meeting:
                yield check.issue("invitation.short_notice", ("meeting", "date"), level,
                                  days=days, limit=s.min_days_invite_to_meeting)
    need = check.date("need_identified_date")
    level = _level(s.need_to_meeting_level)
    if need and level and s.max_days_need_to_meeting > 0:
        days = (meeting - need).days
        if days > s.max_days_need_to_meeting:
            yield check.issue("invitation.meeting_too_late", ("meeting", "date"), level,
                              days=days, limit=s.max_days_need_to_meeting)


# --- plan and follow-up ---------------------------------------------------------------------------

@rule("plan")
def plan_content(check: Check) -> Iterator[Issue]:
    """R2 (the law's four points), R3 (where), R16 (copies), R17 (roles), R18 (follow-up booked)."""
    d, s = check.data, check.settings
    interventions = d.get("interventions")
    if isinstance(interventions, list) and interventions:
        cats = {i["principal_category"] for i in interventions
                if isinstance(i, dict) and isinstance(i.get("principal_category"), str)}
        level = _level(s.single_principal_level)
        if level and not {"kommun", "region"} <= cats:
            yield check.issue("plan.single_principal", ("interventions",), level)
        if s.intervention_requires_where:
            for n, item in enumerate(interventions):
                if isinstance(item, dict) and not item.get("where"):
                    yield check.issue("plan.intervention_where_missing", ("interventions", n, "where"))
    yield from _distribution(check)
    if s.family_contact_required and not d.get("family_contact"):
        yield check.issue("plan.family_contact_missing", ("family_contact",))
    if d.get("closes_process") is not True:
        if s.plan_requires_followup and not isinstance(d.get("followup"), dict):
            yield check.issue("plan.followup_missing", ("followup",))
    follow, meeting = check.date("followup", "date"), check.date("meeting", "date")
    if follow and meeting and follow < meeting:
        yield check.issue("plan.followup_before_meeting", ("followup", "date"))


def _distribution(check: Check) -> Iterator[Issue]:
    dist = check.data.get("distribution")
    if isinstance(dist, dict) and not dist.get("copy_to_participants") and not dist.get(
            "copy_to_family") and not dist.get("extra_recipients"):
        yield check.issue("plan.no_distribution", ("distribution",))


@rule("followup")
def followup_content(check: Check) -> Iterator[Issue]:
    d = check.data
    decision = d.get("decision")
    if decision in ("continue", "revise") and not isinstance(d.get("next_followup"), dict):
        yield check.issue("plan.followup_missing", ("next_followup",))
    if decision == "revise" and not d.get("revised_interventions"):
        yield check.issue("followup.revised_interventions_missing", ("revised_interventions",))
    prev, meeting = check.date("previous_meeting_date"), check.date("meeting", "date")
    if prev and meeting and prev > meeting:
        yield check.issue("followup.previous_after_meeting", ("previous_meeting_date",))
    nxt = check.date("next_followup", "date")
    if nxt and meeting and nxt < meeting:
        yield check.issue("plan.followup_before_meeting", ("next_followup", "date"))
    yield from _distribution(check)
    if check.settings.family_contact_required and not d.get("family_contact"):
        yield check.issue("plan.family_contact_missing", ("family_contact",))


# --- closure --------------------------------------------------------------------------------------

@rule("closure")
def closure_content(check: Check) -> Iterator[Issue]:
    """R28 (reason, dates, family told) and R6 (withdrawn consent closes the SIP)."""
    d = check.data
    reason = d.get("reason")
    if reason == "ANNAT" and not d.get("reason_text"):
        yield check.issue("closure.reason_text_missing", ("reason_text",))
    if isinstance(reason, str) and check.pack.closure_reasons and reason not in check.pack.closure_reasons:
        yield check.issue("closure.reason_not_in_pack", ("reason",))
    established, closed = check.date("plan_established_date"), check.date("closure_date")
    if established and closed and closed < established:
        yield check.issue("closure.date_order", ("closure_date",))
    if d.get("family_informed") is False:
        yield check.issue("closure.family_not_informed", ("family_informed",), "warning")
    if isinstance(d.get("consent_withdrawal"), dict) and reason not in (None, "SAMTYCKE_ATERKALLAT"):
        yield check.issue("consent.withdrawn_reason", ("reason",))
    if reason == "SAMTYCKE_ATERKALLAT" and not isinstance(d.get("consent_withdrawal"), dict):
        yield check.issue("consent.withdrawal_missing", ("consent_withdrawal",))


# --- intake note ----------------------------------------------------------------------------------

@rule("intake_note")
def intake_entries(check: Check) -> Iterator[Issue]:
    """R26: consent is verified with the sender, never with the family; outcomes go to routine."""
    entries = check.data.get("entries")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        if entry.get("kind") == "KALLELSE_INKOM" and entry.get("consent_verified") is not True:
            yield check.issue("intake.consent_not_verified", ("entries", i, "consent_verified"))
        if entry.get("contacted_family") is True:
            yield check.issue("intake.family_contacted", ("entries", i, "contacted_family"))
        if entry.get("outcome") in ("ANSOKAN", "OROSANMALAN", "UTREDNING_BEDOMS"):
            yield check.issue("intake.needs_assessment", ("entries", i, "outcome"), "warning")
