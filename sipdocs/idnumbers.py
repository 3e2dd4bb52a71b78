"""Swedish personal identity numbers (personnummer) and coordination numbers.

Validation (Luhn check digit, real calendar date, day + 60 for samordningsnummer) is
done by the maintained ``personnummer`` package; sipdocs only normalises the result
to ``YYYYMMDD-NNNN`` and derives the birth date and age. Reservnummer (region-specific
numbers) are not personnummer and are not accepted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from personnummer import personnummer as _pnr

__all__ = ["IdNumber", "parse_id_number", "age_on"]


@dataclass(frozen=True)
class IdNumber:
    """A validated number.

    :param normalized: ``YYYYMMDD-NNNN`` (12 digits with century, hyphen before the last four).
    :param kind: ``"personnummer"`` or ``"samordningsnummer"``.
    :param birth_date: the date of birth (day − 60 for a samordningsnummer).
    :param short_form: the input had 10 digits, so the century was inferred.
    """

    normalized: str
    kind: str
    birth_date: date
    short_form: bool


def parse_id_number(text: str) -> IdNumber:
    """Validate and normalise; raises ``ValueError`` with the kind of number in ``args[1]``."""
    digits = text.replace("-", "").replace("+", "")
    coordination = len(digits) >= 10 and digits[-6:-4].isdigit() and int(digits[-6:-4]) > 60
    kind = "samordningsnummer" if coordination else "personnummer"
    try:
        parsed = _pnr.Personnummer(text)
        birth = parsed.get_date()
    except (_pnr.PersonnummerException, ValueError) as exc:
        raise ValueError("invalid", kind) from exc
    long_form = parsed.format(long_format=True)
    return IdNumber(
        normalized=f"{long_form[:8]}-{long_form[8:]}",
        kind=kind,
        birth_date=birth,
        short_form=len(digits) == 10,
    )


def age_on(birth: date, on: date) -> int:
    """Completed years on ``on`` (a person born on 29 February ages on 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
