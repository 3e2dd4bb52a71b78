"""Validation: schema errors and domain rules become one ordered list of issues.

jsonschema's own messages echo the offending value, and SIP inputs describe children,
so they are never shown: each error is rebuilt from its keyword, the field's schema
title and its JSON pointer (see :mod:`sipdocs.messages`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .errors import InvalidInputError, Issue, join_pointer
from .kinds import KIND_IDS
from .messages import make_issue
from .packs import Pack, load_pack

# XML 1.0 forbids these; a Word or PDF file cannot hold them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_KEYWORD_CODES = {
    "required": "schema.required", "type": "schema.type", "enum": "schema.enum",
    "const": "schema.const", "format": "schema.format", "pattern": "schema.pattern",
    "minLength": "schema.min_length", "maxLength": "schema.max_length",
    "minItems": "schema.min_items", "maxItems": "schema.max_items",
    "uniqueItems": "schema.unique_items", "minimum": "schema.minimum", "maximum": "schema.maximum",
    "additionalProperties": "schema.additional_property",
}


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of :func:`validate`.

    :param kind: the document kind (``None`` if it could not be determined).
    :param pack: the pack id whose rules applied.
    :param issues: every issue, errors and warnings, in stable order.
    :param data: the normalised input (``None`` if the input was not an object).
    :param derived: values computed by the rules (``consent_valid_until``, ``confirm_by``, ``child_age``…).
    """

    kind: str | None
    pack: str
    issues: tuple[Issue, ...]
    data: dict[str, Any] | None = None
    derived: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(i.is_error for i in self.issues)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if not i.is_error)

    def raise_for_errors(self, source: str | None = None) -> "ValidationResult":
        """Raise :class:`InvalidInputError` (with every issue) if there is an error."""
        if not self.ok:
            raise InvalidInputError(self.issues, source=source)
        return self


def _walk_strings(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and _ILLEGAL_XML.search(key):
                yield (*path, key), key
            yield from _walk_strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_strings(value, (*path, i))


def _schema_issues(kind: str, data: dict[str, Any], debug: bool) -> list[Issue]:
    from .schemas import field_title, validator

    issues: list[Issue] = []
    for error in validator(kind).iter_errors(data):
        path = tuple(error.absolute_path)
        keyword = error.validator
        params: dict[str, Any] = {"keyword": keyword}
        value: Any = error.instance
        if keyword == "required":
            missing = [name for name in error.validator_value if name not in error.instance]
            for name in missing:
                full = (*path, name)
                issues.append(make_issue("schema.required", join_pointer(*full), "error",
                                         field=field_title(kind, full) or name))
            continue
        if keyword == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    issues.append(make_issue("schema.additional_property", join_pointer(*path, name),
                                             "error", value=name, debug=debug))
            continue
        if keyword in ("type", "format"):
            params["expected"] = error.validator_value
        elif keyword == "enum":
            params["expected"] = ", ".join(map(str, error.validator_value))
        elif keyword == "const":
            params["expected"] = error.validator_value
        elif keyword in ("maxLength", "minItems", "maxItems", "minimum", "maximum"):
            params["limit"] = error.validator_value
        title = field_title(kind, path)
        if title:
            params["field"] = title
        issues.append(make_issue(_KEYWORD_CODES.get(keyword, "schema.invalid"), join_pointer(*path),
                                 "error", value=value, debug=debug, **params))
    return issues


def validate(data: Any, pack: str | Pack | None = None, *, kind: str | None = None,
             debug: bool = False) -> ValidationResult:
    """Validate one input against its kind's schema and the pack's domain rules.

    :param data: the parsed input (a mapping with ``"kind"``).
    :param pack: pack id, folder or loaded :class:`Pack`; defaults to the input's ``"pack"``,
        then ``national``.
    :param kind: the expected kind; a different ``"kind"`` in the input is an error.
    :param debug: keep offending values in ``Issue.value`` (never do this in logs).
    :returns: a :class:`ValidationResult`; it never raises for bad input.
    :raises PackError: the pack cannot be loaded.

    .. versionadded:: 0.1
    """
    if not isinstance(data, Mapping):
        return ValidationResult(None, "", (make_issue("input.not_an_object", "", "error"),))
    data = dict(data)
    pack_obj = load_pack(pack if pack is not None else data.get("pack") if isinstance(
        data.get("pack"), str) else None)
    found = data.get("kind")
    if found not in KIND_IDS:
        issue = make_issue("input.unknown_kind", "/kind", "error", allowed=", ".join(KIND_IDS))
        return ValidationResult(None, pack_obj.id, (issue,), data)
    if kind is not None and found != kind:
        issue = make_issue("input.kind_mismatch", "/kind", "error", found=found, expected=kind)
        return ValidationResult(found, pack_obj.id, (issue,), data)

    from .schemas import field_title

    issues: list[Issue] = []
    for path, text in _walk_strings(data):
        if _ILLEGAL_XML.search(text):
            issues.append(make_issue("input.illegal_character", join_pointer(*path), "error",
                                     field=field_title(found, path) or join_pointer(*path),
                                     value=text if debug else None, debug=debug))
    issues.extend(_schema_issues(found, data, debug))

    from .normalize import normalize
    from .rules import Check, run_rules

    normalized = normalize(data)
    check = Check(kind=found, data=normalized, pack=pack_obj, debug=debug, original=data)
    try:
        issues.extend(run_rules(check))
    except (TypeError, AttributeError, KeyError, ValueError):
        # A rule met data of the wrong shape; the schema has already reported it.
        if not issues:
            raise
    ordered = tuple(sorted(dict.fromkeys(issues), key=lambda i: (i.pointer, i.code)))
    return ValidationResult(found, pack_obj.id, ordered, normalized, dict(check.derived))
