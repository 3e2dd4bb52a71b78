"""From a validated input to the template context: plain data, formatted for print.

The context is the contract between sipdocs and the templates. It holds only plain
values (``dict``, ``list``, ``str``, ``int``, ``bool``, ``None``) and
:class:`~sipdocs.images.Image` objects, so the same context can be fed to plain docxtpl
or WeasyPrint (see :func:`build_context`). Every key a template may use is always present
— ``None`` when the input has no value — because templates run with ``StrictUndefined``.

What happens here:

* dates and times are formatted with Babel for the document language
  ("tisdag 12 maj 2026 kl. 13.00–15.00"); ISO values stay available as ``*_iso``;
* enum codes get their labels from the pack's catalogue (``*_label``);
* computed values are added: consent valid-until (R5), confirm-by (R13) and the child's age,
  as :mod:`sipdocs.derive` computed them during validation, the legal reference in force on
  the document date (R1), who calls the follow-up (R19);
* **protected identity** (R30): a protected person's address, phone and e-mail are
  dropped here, once, for every output format; ``contact_note`` says
  "Kontakt via sammankallande" instead, and the protection level is never exposed;
* evaluation QR codes are made for each participating actor with an evaluation link
  (from the input or from the pack's actor catalogue), one per distinct URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_time

from .derive import Derived
from .domain import is_protected
from .errors import InvalidInputError
from .images import Image, load_png
from .inputs import InputSource, load_input
from .packs import Pack, load_pack
from .qr import qr_image
from .schemas import load_schema
from .validation import ValidationResult, validate

__all__ = ["build_context", "make_context", "resolve_lang"]

Ctx = dict[str, Any]

_PARTICIPANT_KEYS = ("organisation", "actor_kind", "principal", "function", "name", "invitation_type",
                     "phone", "email", "address", "evaluation_url", "substitute", "actor_ref")
_STAFF_KEYS = ("name", "title", "organisation", "unit", "principal", "phone", "email", "address")


def resolve_lang(data: Mapping[str, Any], lang: str | None) -> str:
    """The document language: the argument, else the input's ``"lang"``, else Swedish."""
    chosen = lang or (data.get("lang") if isinstance(data.get("lang"), str) else None) or "sv"
    return chosen.split("-")[0].lower()


class Formatter:
    """Babel-backed date and time formatting with the catalogue's patterns."""

    def __init__(self, catalogue: Mapping[str, Any]) -> None:
        meta = catalogue.get("meta", {})
        self.locale = meta.get("locale", "sv_SE")
        self.date_pattern = meta.get("date_format", "d MMMM y")
        self.weekday_pattern = meta.get("weekday_date_format", "EEEE d MMMM y")
        self.time_pattern = meta.get("time_format", "HH.mm")
        self.time_prefix = meta.get("time_prefix", "kl.")
        self.range_sep = meta.get("time_range_separator", "–")

    def date(self, value: Any) -> str | None:
        d = _as_date(value)
        return _babel_date(d, self.date_pattern, self.locale) if d else None

    def weekday_date(self, value: Any) -> str | None:
        d = _as_date(value)
        return _babel_date(d, self.weekday_pattern, self.locale) if d else None

    def time(self, value: Any) -> str | None:
        if not isinstance(value, str) or len(value) != 5:
            return None
        t = time(int(value[:2]), int(value[3:]))

        return format_time(t, self.time_pattern, locale=self.locale)

    def when(self, day: Any, start: Any = None, end: Any = None) -> str | None:
        """"tisdag 12 maj 2026 kl. 13.00–15.00"."""
        text = self.weekday_date(day)
        if text is None:
            return None
        t1, t2 = self.time(start), self.time(end)
        if t1:
            prefix = f" {self.time_prefix}" if self.time_prefix else ","
            text += f"{prefix} {t1}" + (f"{self.range_sep}{t2}" if t2 else "")
        return text


@lru_cache(maxsize=2048)
def _babel_date(d: date, pattern: str, locale: str) -> str:
    return format_date(d, pattern, locale=locale)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Builder:
    """Builds one context; holds the catalogue, formatter and pack for the helpers."""

    def __init__(self, result: ValidationResult, pack: Pack, lang: str) -> None:
        assert result.data is not None and result.kind is not None
        self.data: dict[str, Any] = result.data
        self.kind: str = result.kind
        self.derived: Derived = result.derived  # computed once, by sipdocs.derive, during validation
        self.pack = pack
        self.lang = lang
        self.t = pack.catalogue(lang)
        self.fmt = Formatter(self.t)

    # -- labels ----------------------------------------------------------------------------------
    def label(self, group: str, code: Any) -> str | None:
        if code is None:
            return None
        found = self.t.get("enum", {}).get(group, {}).get(str(code), str(code))
        return str(found)

    # -- people ----------------------------------------------------------------------------------
    def family_person(self, person: Mapping[str, Any] | None, relation_group: str | None = None) -> Ctx | None:
        if not isinstance(person, Mapping):
            return None
        protected = is_protected(person)
        out: Ctx = {
            "name": person.get("name"),
            "personal_number": person.get("personal_number"),
            "date_of_birth": self.fmt.date(person.get("date_of_birth")),
            "school": person.get("school"),
            "relation": person.get("relation"),
            "relation_label": (self.label(relation_group, person.get("relation")) if relation_group
                               else person.get("relation")),
            "role": person.get("role"),
            "role_label": self.label("relative_role", person.get("role")),
            "protected": protected,
            "contact_note": self.t["common"]["contact_via_convener"] if protected else None,
            "must_not_receive": bool(person.get("must_not_receive")),
            "interpreter": self.interpreter(person.get("interpreter")),
        }
        for key in ("address", "other_address", "phone", "email"):
            out[key] = None if protected else person.get(key)
        out["phone"] = unbroken_phone(out["phone"])
        return out

    def interpreter(self, interp: Any) -> Ctx | None:
        if not isinstance(interp, Mapping) or not interp.get("needed"):
            return None
        return {
            "language": interp.get("language"),
            "mode": interp.get("mode"),
            "mode_label": self.label("interpreter_mode", interp.get("mode")),
            "by_relative": bool(interp.get("by_relative")),
        }

    def staff(self, person: Any) -> Ctx | None:
        if not isinstance(person, Mapping):
            return None
        out = {k: person.get(k) for k in _STAFF_KEYS}
        out["phone"] = unbroken_phone(out["phone"])
        out["principal_label"] = self.label("principal", person.get("principal"))
        return out

    def participant(self, actor: Mapping[str, Any]) -> Ctx:
        out = {k: actor.get(k) for k in _PARTICIPANT_KEYS}
        out["phone"] = unbroken_phone(out["phone"])
        known = self.pack.actor(ref=actor.get("actor_ref"), organisation=actor.get("organisation"))
        if known is not None and not out["evaluation_url"]:
            out["evaluation_url"] = known.evaluation_url
        out["kind_label"] = self.label("actor_kind", actor.get("actor_kind"))
        out["principal_label"] = self.label("principal", actor.get("principal"))
        out["invitation_type_label"] = self.label("invitation_type", actor.get("invitation_type"))
        return out

    def participants(self, key: str) -> list[Ctx]:
        items = self.data.get(key)
        return [self.participant(a) for a in items] if isinstance(items, list) else []

    # -- meeting, bookings, interventions ---------------------------------------------------------
    def meeting(self, m: Any) -> Ctx | None:
        if not isinstance(m, Mapping):
            return None
        return {
            "date": self.fmt.weekday_date(m.get("date")),
            "date_short": self.fmt.date(m.get("date")),
            "date_iso": m.get("date"),
            "start": self.fmt.time(m.get("start_time")),
            "end": self.fmt.time(m.get("end_time")),
            "when": self.fmt.when(m.get("date"), m.get("start_time"), m.get("end_time")),
            "location": m.get("location"),
            "form": m.get("form"),
            "form_label": self.label("meeting_form", m.get("form")),
            "link": m.get("link"),
        }

    def booking(self, b: Any) -> Ctx | None:
        if not isinstance(b, Mapping):
            return None
        return {
            "date": self.fmt.weekday_date(b.get("date")),
            "date_iso": b.get("date"),
            "time": self.fmt.time(b.get("time")),
            "when": self.fmt.when(b.get("date"), b.get("time")),
            "location": b.get("location"),
            "form_label": self.label("meeting_form", b.get("form")),
            "convened_by": b.get("convened_by"),
            "informs_participants": b.get("informs_participants"),
        }

    def intervention(self, i: Mapping[str, Any]) -> Ctx:
        return {
            "what": i.get("what"),
            "goal": i.get("goal"),
            "responsible": i.get("responsible"),
            "principal_category": i.get("principal_category"),
            "principal_label": self.label("principal_category", i.get("principal_category")),
            "contact": self.staff(i.get("contact")),
            "start": i.get("start"),
            "frequency": i.get("frequency"),
            "where": i.get("where"),
            "status": i.get("status"),
            "status_label": self.label("intervention_status", i.get("status")),
        }

    def interventions(self, key: str) -> list[Ctx]:
        items = self.data.get(key)
        return [self.intervention(i) for i in items] if isinstance(items, list) else []

    def signature(self, s: Mapping[str, Any]) -> Ctx:
        relation_label = self.label("signature_relation", s.get("relation"))
        title = s.get("title")
        if s.get("relation") == "staff" and not title:
            title = self.staff_title(s.get("name"))
        form_label = self.label("signature_form", s.get("form"))
        documented_by = s.get("documented_by")
        form_text = form_label
        if form_label and documented_by:
            form_text = self.t["consent"]["form_documented_by"].format(form=form_label, person=documented_by)
        elif documented_by:
            form_text = f"{self.t['consent']['documented_by']} {documented_by}"
        return {
            "name": s.get("name"),
            "relation": s.get("relation"),
            "relation_label": relation_label,
            # a member of staff signs as their title or function, not as "staff"
            "role_label": title if s.get("relation") == "staff" and title
            else ", ".join(x for x in (relation_label, title) if x) or None,
            "title": s.get("title"),
            "organisation": s.get("organisation"),
            "date": self.fmt.date(s.get("date")),
            "form": s.get("form"),
            "form_label": form_label,
            "form_text": form_text,
            "documented_by": documented_by,
        }

    def staff_title(self, name: Any) -> str | None:
        """The title or function the input gives elsewhere for a member of staff of this name."""
        if not name:
            return None
        d = self.data
        people: list[Any] = [d.get(k) for k in ("convener", "chair", "note_taker", "family_contact",
                                                 "notified_by", "obtained_by", "lead_responsible")]
        for key in ("attendees", "invitees", "absent", "recipients"):
            people += d.get(key) or []
        for person in people:
            if isinstance(person, Mapping) and person.get("name") == name:
                found = person.get("title") or person.get("function")
                if found:
                    return str(found)
        return None

    def consent_parties(self, parties: Any) -> list[Ctx]:
        if not isinstance(parties, list):
            return []
        return [{
            "organisation": p.get("organisation"),
            "actor_kind": p.get("actor_kind"),
            "kind_label": self.label("actor_kind", p.get("actor_kind")),
            "principal": p.get("principal"),
            "principal_label": self.label("principal", p.get("principal")),
        } for p in parties if isinstance(p, Mapping)]

    def labels(self, group: str, codes: Any) -> list[str]:
        return [self.label(group, c) or str(c) for c in codes] if isinstance(codes, list) else []

    def consent_ref(self, c: Any) -> Ctx | None:
        if not isinstance(c, Mapping):
            return None
        given_by = self.labels("consent_given_by", c.get("given_by"))
        return {
            "obtained": bool(c.get("obtained")),
            "date": self.fmt.date(c.get("date")),
            "given_by": given_by,
            "given_by_text": list_text(given_by, self.t["common"]["list_and"]) if given_by else None,
            "form": c.get("form"),
            "form_label": self.label("consent_form", c.get("form")),
            "obtained_by": c.get("obtained_by"),
            "valid_until": self.fmt.date(self.derived.consent_valid_until or c.get("valid_until")),
            "purposes": self.labels("purpose", c.get("purposes")),
            "parties": self.consent_parties(c.get("parties")),
            "information_covered": c.get("information_covered"),
            "exclusions": c.get("exclusions"),
        }

    # -- shared sections ---------------------------------------------------------------------------
    def family(self) -> Ctx:
        d = self.data
        child = self.family_person(d.get("child"))
        if child is not None:
            age = self.derived.child_age
            child["age"] = age
            child["age_text"] = f"{age} {self.t['label']['age_years']}" if age is not None else None
        guardians = [self.family_person(g, "guardian_relation") for g in d.get("guardians") or []]
        relatives = [self.family_person(r) for r in d.get("relatives") or []]
        # Interpreters are booked for a conversation: the meeting (invitation, plan, follow-up)
        # or obtaining the consent. A closure or an intake note books none, so lists none.
        interpreters = [
            {"name": p["name"], "language": p["interpreter"]["language"],
             "mode_label": p["interpreter"]["mode_label"]}
            for p in [child, *guardians, *relatives] if p and p["interpreter"]
        ] if self.kind in _INTERPRETED_KINDS else []
        return {
            "child": child,
            "guardians": guardians,
            "relatives": relatives,
            "interpreters": interpreters,
            # who books the interpreter is said where the booking is made: in the invitation
            "interpreter_notice": self.t["common"]["interpreter_notice"]
            if interpreters and self.kind == "invitation" else None,
            "any_protected": any(p and p["protected"] for p in [child, *guardians, *relatives]),
        }

    def header(self) -> Ctx:
        d = self.data
        doc_date = _as_date(d.get("document_date"))
        logo = self.pack.logo
        issuers = list(self.pack.issuers(self.lang))
        section = self.t.get(self.kind, {})
        return {
            "title": section.get("title"),
            "kind": self.kind,
            "date": self.fmt.date(doc_date),
            "date_iso": d.get("document_date"),
            "case_id": d.get("case_id"),
            "issuers": issuers,
            "issuer": " · ".join(issuers) if issuers else None,
            "legal_reference": self.pack.legal_reference(doc_date, self.lang) if doc_date else None,
            "confidentiality": d.get("confidentiality_notice") or self.t["common"]["confidentiality"],
            "pack": {"id": self.pack.id, "name": self.pack.display_name(self.lang),
                     "version": self.pack.version},
            "logo": _logo(str(logo), self.pack.manifest.get("logo_alt") or self.t["common"]["logo_alt"])
            if logo else None,
            "lang": self.lang,
        }

    def evaluation(self, actors: Iterable[Ctx]) -> list[Ctx]:
        if not self.pack.evaluation_on(self.kind):
            return []
        seen: set[str] = set()
        out: list[Ctx] = []
        alt_prefix = self.t["common"]["evaluation_qr_alt"]
        for actor in actors:
            url = actor.get("evaluation_url")
            if not url or url in seen:
                continue
            seen.add(url)
            organisation = actor.get("organisation") or ""
            out.append({"organisation": organisation, "url": url,
                        "qr": qr_image(url, f"{alt_prefix} {organisation}".strip())})
        return out

    def distribution(self, participants: list[Ctx], family: Ctx) -> Ctx | None:
        dist = self.data.get("distribution")
        if not isinstance(dist, Mapping):
            return None
        extra = [{"name": r.get("name"), "organisation": r.get("organisation"),
                  "channel_label": self.label("channel", r.get("channel"))}
                 for r in dist.get("extra_recipients") or [] if isinstance(r, Mapping)]
        recipients: list[str] = []
        if dist.get("copy_to_participants"):
            recipients += [p["organisation"] for p in participants if p.get("organisation")]
        if dist.get("copy_to_family"):
            people = [family["child"], *family["guardians"]]
            if self.kind == "invitation":  # the relatives and trusted person the family invites (S2 4.3.4)
                people += family["relatives"]
            recipients += [p["name"] for p in people if p and not p["must_not_receive"]]
        recipients += [", ".join(x for x in (r["name"], r["organisation"]) if x) for r in extra]
        return {
            "copy_to_participants": bool(dist.get("copy_to_participants")),
            "copy_to_family": bool(dist.get("copy_to_family")),
            "extra_recipients": extra,
            "recipients": list(dict.fromkeys(r for r in recipients if r)),
        }


def unbroken_phone(phone: Any) -> Any:
    """A phone number kept on one line: its spaces ("08-123 456 70") made no-break spaces
    (the schema allows at most 25 characters, less than any column is wide)."""
    return phone.replace(" ", "\u00a0") if isinstance(phone, str) else phone


def list_text(labels: list[str], conjunction: str) -> str:
    """Labels as a list in running text: "Vårdnadshavare 1, vårdnadshavare 2 och barnet" —
    every label after the first starts in lower case, unless it is an abbreviation ("BUP")."""
    out = labels[:1]
    for label in labels[1:]:
        starts_word = len(label) > 1 and label[0].isupper() and label[1].islower()
        out.append(label[0].lower() + label[1:] if starts_word else label)
    if len(out) < 2:
        return "".join(out)
    return f"{', '.join(out[:-1])} {conjunction} {out[-1]}"


@lru_cache(maxsize=64)
def _logo(path: str, alt: str) -> Image:
    return load_png(path, alt, 35.0)


# --- per kind ------------------------------------------------------------------------------------

def _invitation(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    invitees = b.participants("invitees")
    part = d.get("child_participation") or {}
    roles = d.get("roles") or {}
    ctx.update(
        convener=b.staff(d.get("convener")),
        meeting=b.meeting(d.get("meeting")),
        meeting_type_label=b.label("meeting_type", d.get("meeting_type")),
        need_identified_date=b.fmt.date(d.get("need_identified_date")),
        invitees=invitees,
        summoned=[a for a in invitees if a["invitation_type"] == "summoned"],
        invited=[a for a in invitees if a["invitation_type"] != "summoned"],
        child_participation=_participation(b, part),
        consent=b.consent_ref(d.get("consent")),
        confirm_by=b.fmt.weekday_date(b.derived.confirm_by),
        roles={"chair": b.staff(roles.get("chair")), "note_taker": b.staff(roles.get("note_taker"))},
        distribution=b.distribution(invitees, ctx),
        enclosures=list(d.get("enclosures") or []),
        evaluation=b.evaluation(invitees),
    )


def _participation(b: _Builder, part: Mapping[str, Any]) -> Ctx:
    # the invitation says how the child will take part; the plan and follow-up how it did
    group = "participation" if b.kind == "invitation" else "participation_past"
    return {
        "mode": part.get("mode"),
        "mode_label": b.label(group, part.get("mode")),
        "views_how": part.get("views_how"),
        "reports_back": part.get("reports_back"),
    }


def _consent(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    documented = d.get("documented_in") if isinstance(d.get("documented_in"), Mapping) else None
    withdrawal = d.get("withdrawal") if isinstance(d.get("withdrawal"), Mapping) else None
    purposes = d.get("purposes") or []
    persons = [b.signature(s) for s in d.get("consenting_persons") or []]
    ctx.update(
        purposes=b.labels("purpose", purposes),
        purpose_codes=list(purposes),
        purpose_choices=[{"code": code, "label": label, "checked": code in purposes}
                         for code, label in b.t["enum"]["purpose"].items()],
        parties=b.consent_parties(d.get("parties")),
        valid_from=b.fmt.date(d.get("valid_from")),
        valid_until=b.fmt.date(b.derived.consent_valid_until),
        valid_until_iso=b.derived.consent_valid_until.isoformat() if b.derived.consent_valid_until else None,
        process_end=b.fmt.date(d.get("process_end")),
        form_label=b.label("consent_form", d.get("form")),
        documented_in=None if documented is None else {
            "system": documented.get("system"), "date": b.fmt.date(documented.get("date")),
            "documented_by": documented.get("documented_by")},
        consenting_persons=persons,
        # when the persons' own forms are given (one in writing, one orally…), the table says
        # so per person and no single form is claimed for all of them
        form_per_person=any(p["form_label"] for p in persons),
        withdrawal=None if withdrawal is None else {
            "date": b.fmt.date(withdrawal.get("date")), "by": withdrawal.get("by"),
            "received_by": withdrawal.get("received_by")},
        obtained_by=b.staff(d.get("obtained_by")),
    )


def _plan_common(b: _Builder, ctx: Ctx) -> list[Ctx]:
    d = b.data
    attendees = b.participants("attendees")
    ctx.update(
        meeting=b.meeting(d.get("meeting")),
        meeting_type_label=b.label("meeting_type", d.get("meeting_type")),
        attendees=attendees,
        absent=b.participants("absent"),
        chair=b.staff(d.get("chair")),
        note_taker=b.staff(d.get("note_taker")),
        child_participation=_participation(b, d.get("child_participation") or {}),
        consent=b.consent_ref(d.get("consent")),
        lead_responsible=_lead(b, d.get("lead_responsible")),
        family_contact=b.staff(d.get("family_contact")),
        distribution=b.distribution(attendees, ctx),
        evaluation=b.evaluation(attendees),
        followup_convener_text=b.label("followup_convener", b.pack.rules.followup_convener),
    )
    return attendees


def _lead(b: _Builder, lead: Any) -> Ctx | None:
    if not isinstance(lead, Mapping):
        return None
    out = {k: lead.get(k) for k in ("principal", "organisation", "name", "title", "phone", "email")}
    out["phone"] = unbroken_phone(out["phone"])
    out["principal_label"] = b.label("principal", lead.get("principal"))
    return out


def _plan(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    _plan_common(b, ctx)
    situation = d.get("current_situation") or {}
    ctx.update(
        current_situation={"works_well": situation.get("works_well"),
                           "does_not_work": situation.get("does_not_work")},
        needs=list(d.get("needs") or []),
        short_term_goals=list(d.get("short_term_goals") or []),
        interventions=b.interventions("interventions"),
        followup=b.booking(d.get("followup")),
        closes_process=bool(d.get("closes_process")),
        original_kept_by_text=b.label("original_holder", d.get("original_kept_by")
                                      or b.pack.rules.original_holder),
        signatures=[b.signature(s) for s in d.get("signatures") or []],
        show_signatures=b.pack.rules.signatures_on_plan,
        consent_embedded=b.pack.rules.consent_placement == "embedded",
    )


def _followup(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    _plan_common(b, ctx)
    ynp = "yes_partly_no"
    goals = d.get("goals_met") or {}
    ctx.update(
        previous_meeting_date=b.fmt.date(d.get("previous_meeting_date")),
        intervention_reviews=[{
            "intervention": r.get("intervention"), "responsible": r.get("responsible"),
            "carried_out_label": b.label(ynp, r.get("carried_out")),
            "working_label": b.label(ynp, r.get("working")),
            "right_order_label": b.label(ynp, r.get("right_order")),
            "effect": r.get("effect"), "comment": r.get("comment"),
        } for r in d.get("intervention_reviews") or [] if isinstance(r, Mapping)],
        goals_met={"assessment_label": b.label(ynp, goals.get("assessment")), "comment": goals.get("comment")},
        new_actors_to_invite=b.participants("new_actors_to_invite"),
        decision_label=b.label("decision", d.get("decision")),
        revised_interventions=b.interventions("revised_interventions"),
        next_followup=b.booking(d.get("next_followup")),
    )


def _closure(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    recipients = b.participants("recipients")
    withdrawal = d.get("consent_withdrawal") if isinstance(d.get("consent_withdrawal"), Mapping) else None
    ctx.update(
        plan_established_date=b.fmt.date(d.get("plan_established_date")),
        closure_date=b.fmt.date(d.get("closure_date")),
        decided_at_label=b.label("decided_at", d.get("decided_at")),
        reason_label=b.label("closure_reason", d.get("reason")),
        consent_withdrawal=None if withdrawal is None else {
            "date": b.fmt.date(withdrawal.get("date")), "by_label": b.label("withdrawn_by", withdrawal.get("by"))},
        notified_by=b.staff(d.get("notified_by")),
        recipients=recipients,
        family_informed=d.get("family_informed", True) is not False,
        where_to_turn=d.get("where_to_turn") or b.t["common"]["where_to_turn_default"],
        # withdrawn consent ends on the day it was withdrawn
        consent_end_date=b.fmt.date(d.get("consent_end_date") or (withdrawal or {}).get("date")),
        evaluation=b.evaluation(recipients),
    )
    if d.get("decided_at") == "outside_meeting":
        ctx["evaluation_intro"] = b.t["common"]["evaluation_intro_no_meeting"]


def _intake_note(b: _Builder, ctx: Ctx) -> None:
    d = b.data
    reg = d.get("registration") or {}
    signed = d.get("signed_by") or {}
    ctx.update(
        sender=b.staff(d.get("sender")),
        meeting_date=b.fmt.date(d.get("meeting_date")),
        registration={"info_type": reg.get("info_type") or b.t["intake_note"]["default_info_type"],
                      "subtype": reg.get("subtype") or b.t["intake_note"]["default_subtype"],
                      "template": reg.get("template") or b.t["intake_note"]["default_template"]},
        entries=[{
            "date": b.fmt.date(e.get("date")), "kind_label": b.label("entry_kind", e.get("kind")),
            "text": e.get("text"), "consent_verified": bool(e.get("consent_verified")),
            "contacted_sender": bool(e.get("contacted_sender")),
            "outcome_label": b.label("outcome", e.get("outcome")),
            "informed_no_followup": bool(e.get("informed_no_followup")),
        } for e in d.get("entries") or [] if isinstance(e, Mapping)],
        signed_by={"name": signed.get("name"), "title": signed.get("title")},
    )


_INTERPRETED_KINDS = ("invitation", "consent", "plan", "followup")

_BY_KIND = {
    "invitation": _invitation, "consent": _consent, "plan": _plan,
    "followup": _followup, "closure": _closure, "intake_note": _intake_note,
}


def _plain_fallback(b: _Builder, ctx: Ctx) -> None:
    """Top-level schema properties no builder handled: copy strings and lists of strings."""
    for key in load_schema(b.kind)["properties"]:
        if key in ctx or key in ("kind", "pack", "lang"):
            continue
        value = b.data.get(key)
        ctx[key] = value if isinstance(value, (str, int, bool, list)) or value is None else None


def make_context(result: ValidationResult, pack: Pack, lang: str) -> Ctx:
    """The template context for an already validated (error-free) input."""
    b = _Builder(result, pack, lang)
    ctx: Ctx = {"kind": b.kind, "lang": lang, "t": b.t, "doc": b.header(),
                "evaluation_intro": b.t["common"]["evaluation_intro"]}
    ctx.update(b.family())
    _BY_KIND[b.kind](b, ctx)
    _plain_fallback(b, ctx)
    return ctx


def build_context(source: InputSource | ValidationResult, pack: str | Pack | None = None,
                  lang: str | None = None) -> Ctx:
    """Validate ``source`` and return the template context (public API).

    ``source`` is anything :func:`sipdocs.validate` takes, or its result.
    The context is plain data plus :class:`~sipdocs.images.Image` objects (QR codes,
    logo), so it can be rendered with plain docxtpl or WeasyPrint as well — convert the
    images with :func:`sipdocs.render.docx.docxtpl_images` for docxtpl, or use
    ``image.data_uri`` in HTML.

    :raises InvalidInputError: the input has errors.
    :raises InputError: the input cannot be read.
    """
    result = source if isinstance(source, ValidationResult) else validate(load_input(source), pack)
    if not result.ok:
        raise InvalidInputError(result.issues)
    data = result.data or {}
    chosen = pack if pack is not None else data.get("pack") if isinstance(data.get("pack"), str) else None
    pack_obj = load_pack(chosen)
    return make_context(result, pack_obj, resolve_lang(data, lang))
