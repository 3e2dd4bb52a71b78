"""Domain tables shared by rules and context: sectors, default principals, date arithmetic."""

from __future__ import annotations

import calendar
from datetime import date

#: R12: the three sectors that must be represented (school, social services, health care).
SECTOR_OF_KIND: dict[str, str] = {
    "FORSKOLA": "school", "SKOLA": "school", "ELEVHALSA": "school",
    "SOCIALTJANST": "social_services", "LSS": "social_services",
    "KOMMUNAL_HSL": "health_care", "BUP": "health_care", "BUMM": "health_care",
    "HABILITERING": "health_care", "VARDCENTRAL": "health_care", "UNGDOMSMOTTAGNING": "health_care",
    "SAMTALSMOTTAGNING": "health_care", "SLUTENVARD": "health_care", "TANDVARD": "health_care",
}

#: Default principal (huvudman) of each kind of service, used when the input gives none.
PRINCIPAL_OF_KIND: dict[str, str] = {
    **{k: "kommun" for k in ("FORSKOLA", "SKOLA", "ELEVHALSA", "SOCIALTJANST", "LSS", "FRITID",
                            "KOMMUNAL_HSL", "HVB", "FAMILJEHEM")},
    **{k: "region" for k in ("BUP", "BUMM", "HABILITERING", "VARDCENTRAL", "UNGDOMSMOTTAGNING",
                            "SAMTALSMOTTAGNING", "SLUTENVARD", "TANDVARD")},
    **{k: "stat" for k in ("POLIS", "FORSAKRINGSKASSAN", "SIS", "ARBETSFORMEDLINGEN", "KRIMINALVARDEN")},
    "FRIVILLIG_ORG": "annan",
    "ANNAN": "annan",
}

#: Principals whose services are *summoned* (kallade); everyone else is *invited* (W16).
SUMMONED_PRINCIPALS = frozenset({"kommun", "region"})

PROTECTED_CONTACT_FIELDS = ("address", "other_address", "phone", "email")


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months; the day is clamped (29 Feb + 12 months = 28 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def consent_valid_until(start: date, process_end: date | None, max_months: int = 12) -> date:
    """R5: consent lasts while the process does, but at most ``max_months`` from the start."""
    limit = add_months(start, max_months)
    return min(limit, process_end) if process_end else limit


def is_protected(person: object) -> bool:
    return isinstance(person, dict) and person.get("protected_identity", "none") not in (None, "none")
