"""Derived values: what the documents state that the input does not, computed in one pure step.

:func:`derive` runs once per input, on the normalised input, before the domain rules. The
rules read its values to judge the input (:mod:`sipdocs.rules`); the context builder reads
them to print them (:mod:`sipdocs.context`); :class:`~sipdocs.validation.ValidationResult`
hands them to callers as ``result.derived``. Nothing here judges the input and nothing here
writes: the values depend only on the input and the pack's rule settings. "Today" plays no
part — the child's age is its age on the document date, so a document renders the same
tomorrow.

Like the rules, derivation also runs on inputs the schema rejected (their issues are reported
together), so it reads defensively: a value it cannot read, or a date the calendar cannot
hold (``9999-12-31`` plus a year), is simply not derived.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from .domain import SECTOR_OF_KIND, add_months, consent_valid_until
from .idnumbers import age_on, parse_id_number
from .packs import Pack, RuleSettings

__all__ = ["Derived", "date_at", "derive"]


@dataclass(frozen=True, eq=False, repr=False)
class Derived(Mapping[str, Any]):
    """The values computed from one input; ``None`` where the input does not give them.

    Read them as attributes (``derived.child_age``) or as a read-only mapping
    (``derived["child_age"]``, ``derived.get("confirm_by")``), which holds only the values
    that could be derived. ``repr()`` names the keys only: the values describe a child.
    """

    #: from the child's personnummer or samordningsnummer, or its date of birth where the pack
    #: allows one instead (``allow_date_of_birth``)
    child_birth_date: date | None = None
    #: ``"personnummer"`` or ``"samordningsnummer"``
    child_id_kind: str | None = None
    #: completed years on the document date (R35)
    child_age: int | None = None
    #: R5, the latest date the consent may last to: its start plus ``consent_max_months`` (on a
    #: consent document also no later than the process end)
    consent_limit: date | None = None
    #: R5, the date the consent lasts to: the given date within the limit, else the limit
    consent_valid_until: date | None = None
    #: R13, invitations: the reply-by date given, else the meeting less ``osa_days_before``
    confirm_by: date | None = None
    #: R12, invitations, plans and follow-ups: the sectors (school, social services, health
    #: care) among the invitees or attendees, in alphabetical order
    sectors: tuple[str, ...] | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Derived:
        """The known keys of a plain mapping (as ``derived`` was before it had its own step)."""
        known = {k: v for k, v in values.items() if k in _KEYS}
        if isinstance(known.get("sectors"), list):
            known["sectors"] = tuple(known["sectors"])
        return cls(**known)

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, key, None) if key in _KEYS else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key in _KEYS if getattr(self, key) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Derived({', '.join(self)})"


_KEYS = tuple(f.name for f in fields(Derived))


def date_at(data: Any, *path: str | int) -> date | None:
    """The ISO date at ``path`` in ``data``, or ``None`` when there is none or it is not a date."""
    node: Any = data
    for token in path:
        if isinstance(node, Mapping):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return None
    if not isinstance(node, str):
        return None
    try:
        return date.fromisoformat(node)
    except ValueError:
        return None


def derive(data: Mapping[str, Any], pack: Pack) -> Derived:
    """The derived values of one normalised input under ``pack``'s rule settings.

    Pure: ``data`` is only read, nothing is looked up outside it and the pack, and the same
    input gives the same values on any day.
    """
    kind = data.get("kind")
    s = pack.rules
    birth, id_kind = _child_birth(data.get("child"), s)
    on = date_at(data, "document_date")
    limit, valid_until = (_consent_document(data, s) if kind == "consent"
                          else _consent_reference(data, s) if kind in ("invitation", "plan", "followup")
                          else (None, None))
    return Derived(
        child_birth_date=birth,
        child_id_kind=id_kind,
        child_age=age_on(birth, on) if birth and on else None,
        consent_limit=limit,
        consent_valid_until=valid_until,
        confirm_by=_confirm_by(data, s) if kind == "invitation" else None,
        sectors=_sectors(data) if kind in ("invitation", "plan", "followup") else None,
    )


def _child_birth(child: Any, s: RuleSettings) -> tuple[date | None, str | None]:
    if not isinstance(child, Mapping):
        return None, None
    if "personal_number" in child:
        number = child["personal_number"]
        if not isinstance(number, str):
            return None, None
        try:
            parsed = parse_id_number(number)
        except ValueError:  # reported by the rule identity_numbers
            return None, None
        return parsed.birth_date, parsed.kind
    return (date_at(child, "date_of_birth") if s.allow_date_of_birth else None), None


def _plus_months(start: date | None, months: int) -> date | None:
    try:
        return add_months(start, months) if start else None
    except ValueError:  # beyond year 9999
        return None


def _consent_reference(data: Mapping[str, Any], s: RuleSettings) -> tuple[date | None, date | None]:
    """The consent an invitation, plan or follow-up rests on: given valid-until, capped at the limit."""
    given = date_at(data, "consent", "valid_until")
    limit = _plus_months(date_at(data, "consent", "date"), s.consent_max_months)
    ends = [d for d in (given, limit) if d]
    return limit, min(ends) if ends else None


def _consent_document(data: Mapping[str, Any], s: RuleSettings) -> tuple[date | None, date | None]:
    """The consent document itself: min(start + max months, process end), or the given date
    when it lies between the start and that limit."""
    start = date_at(data, "valid_from")
    if start is None:
        return None, None
    end = date_at(data, "process_end")
    try:
        limit: date | None = consent_valid_until(start, end, s.consent_max_months)
    except ValueError:  # start + max months is beyond year 9999: only the process end limits it
        limit = end
    given = date_at(data, "valid_until")
    if given and start <= given and (limit is None or given <= limit):
        return limit, given
    return limit, limit


def _confirm_by(data: Mapping[str, Any], s: RuleSettings) -> date | None:
    meeting = date_at(data, "meeting", "date")
    if meeting is None:
        return None
    given = date_at(data, "confirm_by")
    if given:
        return given
    try:
        return meeting - timedelta(days=s.osa_days_before)
    except OverflowError:  # before year 1
        return None


def _sectors(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    actors = data.get("invitees" if data.get("kind") == "invitation" else "attendees")
    if not isinstance(actors, list) or not actors:
        return None
    return tuple(sorted({SECTOR_OF_KIND[a["actor_kind"]] for a in actors
                         if isinstance(a, Mapping) and isinstance(a.get("actor_kind"), str)
                         and a["actor_kind"] in SECTOR_OF_KIND}))
