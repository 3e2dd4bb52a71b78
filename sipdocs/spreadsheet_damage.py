"""Values that a spreadsheet program has damaged, reported as what happened rather than as typos.

Excel shows a long number in a cell that is not formatted as text as ``2,01701E+11`` and,
when the sheet is saved as CSV, writes exactly that — the digits after the sixth are gone.
It also drops the leading zero of a phone number (``0701234567`` → ``701234567``) or of a
short personnummer. The schema and the identity-number check would call these "wrong check
digit" or "wrong shape", which sends the convener looking for a typo; these checks say what
Excel did and what to do (format the column as text and type the value again):

* ``input.excel_number`` (error): any text field whose whole value is a number in Excel's
  exponent form (``2,01701E+11``, ``7.01E+08``: one digit, decimals, ``E+``, two digits);
* ``input.leading_zero_lost``: a personnummer of 9 digits (error: a 10-digit number lost its
  zero) and a phone number of digits only that starts with neither ``0`` nor ``+`` (warning:
  it may be a foreign number written without ``+``).

The pointers of these issues are *claimed*: the schema and rule issues at the same field are
left out, so each damaged cell gives one message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .errors import Issue, join_pointer
from .messages import make_issue

__all__ = ["damage_issues"]

# what Excel shows and writes for a long number: one digit, decimals, "E+" and two digits
_EXPONENT = re.compile(r"^\d(?:[.,]\d+)?E\+\d{2}$")
_PHONE_SEPARATORS = re.compile(r"[\s()-]")


def _strings(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for name, value in node.items():
            yield from _strings(value, (*path, name))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, i))


def damage_issues(data: dict[str, Any],
                  title: Callable[[tuple[str | int, ...]], str | None]) -> tuple[list[Issue], set[str]]:
    """The issues for damaged values in ``data`` and the pointers they claim.

    :param title: the Swedish title of the field at a path (for the messages).
    """
    issues: list[Issue] = []
    for path, value in _strings(data):
        last = path[-1] if path else None
        text = value.strip()
        pointer = join_pointer(*path)
        field = title(path) or pointer
        if _EXPONENT.match(text):
            issues.append(make_issue("input.excel_number", pointer, "error", field=field))
        elif last == "personal_number" and text.isdigit() and len(text) == 9:
            issues.append(make_issue("input.leading_zero_lost", pointer, "error", field=field))
        elif last == "phone":
            digits = _PHONE_SEPARATORS.sub("", text)
            if digits.isdigit() and 5 <= len(digits) <= 12 and not digits.startswith("0"):
                issues.append(make_issue("input.leading_zero_lost", pointer, "warning", field=field))
    return issues, {i.pointer for i in issues if i.is_error}
