"""Cell values to JSON values, by what the schema says the column is.

Only where the schema asks for a date is a number taken as an Excel date serial (with
the 1900 leap-year bug and the 1904 system handled); a text column keeps its text
exactly, leading zeros included, and a whole number read as ``70123.0`` is written back
as ``70123``. Time columns take ``13:00``, ``13.00``, ``13,00``, ``1300`` and ``13``, and
the number Excel makes of ``13.30`` in a cell that is not text (``13.3`` → 13:30). Choice
columns take the code or the Swedish or English label, through the one converter every
input uses (:mod:`sipdocs.vocabulary`). A value that cannot be converted is passed on
unchanged, so validation reports it at its cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from ..vocabulary import vocabulary

_TRUE = {"ja", "j", "yes", "y", "true", "sant", "x", "1", "✓", "✔"}
_FALSE = {"nej", "n", "no", "false", "falskt", "0", ""}
_EXCEL_1900 = datetime(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's fake 1900-02-29
_EXCEL_1904 = datetime(1904, 1, 1)
_TIME = re.compile(r"^(?:kl\.?\s*)?([01]?\d|2[0-3])(?:[:.,]?([0-5]\d)(?::\d\d)?)?$")


def is_date_column(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "date"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)


def excel_serial_to_date(serial: float, date1904: bool = False) -> date | None:
    if serial <= 0 or serial > 2_958_465:  # 9999-12-31
        return None
    if date1904:
        return (_EXCEL_1904 + timedelta(days=int(serial))).date()
    if serial < 61:
        # serials 1..59 are off by one because of Excel's invented 1900-02-29 (serial 60)
        if int(serial) == 60:
            return None
        return (_EXCEL_1900 + timedelta(days=int(serial) + 1)).date()
    return (_EXCEL_1900 + timedelta(days=int(serial))).date()


def convert(value: Any, schema: dict[str, Any], *, date1904: bool = False) -> Any:
    """Convert one cell for a leaf with ``schema`` (see the module docstring)."""
    kind = schema.get("type", "string")
    if is_date_column(schema):
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            converted = excel_serial_to_date(float(value), date1904)
            return converted.isoformat() if converted else _text(value)
        text = _text(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
            return text[:10]
        if re.fullmatch(r"\d{8}", text):
            return f"{text[:4]}-{text[4:6]}-{text[6:]}"
        return text
    if kind == "boolean":
        text = _text(value).casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if kind == "integer":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            return int(value)
        text = _text(value)
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if str(schema.get("pattern", "")).startswith("^([01]"):  # time of day
        return _time(value)
    text = _text(value)
    if "enum" in schema:
        code = vocabulary().code_for(text, schema["enum"])
        if code is not None:
            return code
    return text


def _time(value: Any) -> Any:
    if isinstance(value, (time, datetime)):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < 1:  # Excel time as a fraction of a day
            minutes = round(value * 24 * 60)
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        hours = int(value)
        minutes = round((float(value) - hours) * 100)  # "13.30" typed in a number cell is 13.3
        if 0 <= hours <= 23 and 0 <= minutes <= 59:
            return f"{hours:02d}:{minutes:02d}"
        return _text(value)
    text = _text(value)
    m = _TIME.match(text.casefold())
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2) or '00'}"
    return text


def split_list(value: Any) -> list[str]:
    """A cell holding several values: separated by ';' or line breaks."""
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value if _text(v)]
    return [part.strip() for part in re.split(r"[;\n]", _text(value)) if part.strip()]


def labels_for(schema: dict[str, Any]) -> dict[str, str]:
    """code → Swedish label for a choice column (the labels its dropdown offers)."""
    return vocabulary().labels(list(schema.get("enum") or []), "sv")
