"""Python values as an integration has them, turned into the JSON values the schemas describe.

A web handler or an ORM hands sipdocs ``datetime.date`` objects, tuples and other mappings;
the schemas describe JSON (dates are ``"2026-05-12"`` text, times ``"13:00"``). Before
validation every value is brought to its JSON form, by what the field's schema says:

* ``datetime.date`` → ``"YYYY-MM-DD"``;
* ``datetime.time`` → ``"HH:MM"`` (seconds are dropped: the documents print minutes);
* ``datetime.datetime`` → its date in a date field, its ``"HH:MM"`` in a time field, and
  ``"YYYY-MM-DDTHH:MM"`` (seconds when not zero) elsewhere;
* any mapping → ``dict``, tuples and lists → ``list`` (and ``str``/``int`` enums keep their value);
* ``str``, ``int``, ``float``, ``bool`` and ``None`` stay as they are.

Any other value (``Decimal``, ``bytes``, a set, an ORM object …) and any non-text key is
reported as ``input.unsupported_value`` / ``input.key_not_text`` at its pointer, naming only
its Python type — never the value — and left out of the data that is validated further
(a list item becomes ``null``, so the items after it keep their positions).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from .errors import Issue, join_pointer
from .messages import make_issue

__all__ = ["to_json"]

_TIME_PATTERN = "^([01]"  # the common schema's "time" pattern starts so


def _time_text(value: time | datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _temporal(value: date | time, node: Mapping[str, Any] | None) -> str:
    node = node or {}
    is_date_field = node.get("format") == "date"
    is_time_field = str(node.get("pattern", "")).startswith(_TIME_PATTERN)
    if isinstance(value, datetime):
        if is_date_field:
            return value.date().isoformat()
        if is_time_field:
            return _time_text(value)
        spec = "minutes" if not value.second and not value.microsecond else "seconds"
        return value.replace(tzinfo=None).isoformat(timespec=spec)
    if isinstance(value, time):
        return _time_text(value)
    return value.isoformat()


def to_json(data: Mapping[str, Any], schema: Mapping[str, Any] | None,
            title: Any = None) -> tuple[dict[str, Any], list[Issue]]:
    """``data`` with JSON values only, and an issue per value that has no JSON form.

    :param schema: the kind's inlined schema (``None`` when the kind is unknown: dates then
        become ISO text, times ``HH:MM``).
    :param title: ``title(path) -> str | None``, the field's Swedish title for messages.
    """
    issues: list[Issue] = []

    def field(path: tuple[str | int, ...]) -> str:
        found = title(path) if title is not None else None
        return str(found) if found else join_pointer(*path)

    def convert(value: Any, node: Mapping[str, Any] | None, path: tuple[str | int, ...]) -> Any:
        if value is None or isinstance(value, (str, bool, int, float)):
            # str/int enums and other subclasses become the plain value
            if isinstance(value, str) and type(value) is not str:
                return str.__str__(value)
            if isinstance(value, int) and not isinstance(value, bool) and type(value) is not int:
                return int(value)
            return value
        if isinstance(value, (date, time)):
            return _temporal(value, node)
        if isinstance(value, Mapping):
            props = node.get("properties") if isinstance(node, Mapping) else None
            out: dict[str, Any] = {}
            for name, item in value.items():
                if not isinstance(name, str):
                    issues.append(make_issue("input.key_not_text", join_pointer(*path), "error",
                                             field=field(path) if path else "/", type=type(name).__name__))
                    continue
                sub = props.get(name) if isinstance(props, Mapping) else None
                converted = convert(item, sub, (*path, name))
                if converted is not _DROP:
                    out[name] = converted
            return out
        if isinstance(value, (list, tuple)):
            items = node.get("items") if isinstance(node, Mapping) else None
            # a value without a JSON form stays a null in place, so later positions keep their pointers
            converted_items = [convert(item, items, (*path, i)) for i, item in enumerate(value)]
            return [None if item is _DROP else item for item in converted_items]
        issues.append(make_issue("input.unsupported_value", join_pointer(*path), "error",
                                 field=field(path), type=type(value).__name__))
        return _DROP

    result = convert(data, schema, ())
    return (result if isinstance(result, dict) else {}), issues


class _Drop:
    def __repr__(self) -> str:
        return "<dropped>"


_DROP: Any = _Drop()
