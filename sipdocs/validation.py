"""Validation: schema errors and domain rules become one ordered list of issues.

The steps, in order: Python values and labels to the schema's JSON forms, the schema, then
normalisation (:mod:`sipdocs.normalize`), derivation of the computed values
(:mod:`sipdocs.derive`) and the domain rules (:mod:`sipdocs.rules`), which read the derived
values and only report issues.

Before the schema sees an input, it is brought to JSON as the schema describes it: Python
values (dates, times, tuples) become their text forms (:mod:`sipdocs.jsonvalues`) and
labels become codes (:mod:`sipdocs.vocabulary`), so a mapping from an ORM and a row from a
spreadsheet are checked exactly like a JSON file. Values a spreadsheet program damaged are
reported as such (:mod:`sipdocs.spreadsheet_damage`).

jsonschema's own messages echo the offending value, and SIP inputs describe children,
so they are never shown: each error is rebuilt from its keyword, the field's schema
title and its JSON pointer (see :mod:`sipdocs.messages`), and says how the field is
written (:mod:`sipdocs.field_hints`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalogue import phrase
from .derive import Derived, derive
from .errors import InternalError, InvalidInputError, Issue, join_pointer
from .kinds import KIND_IDS
from .messages import make_issue
from .packs import Pack, load_pack
from .schemas import field_title, resolved_schema, validator
from .vocabulary import Vocabulary, to_codes, vocabulary

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
    :param derived: the values :func:`sipdocs.derive.derive` computed from the input
        (``consent_valid_until``, ``confirm_by``, ``child_age``…), a read-only mapping; a plain
        mapping given here is turned into a :class:`~sipdocs.derive.Derived`.
    """

    kind: str | None
    pack: str
    issues: tuple[Issue, ...]
    # the input and what was computed from it describe a child: kept out of repr() and logs
    data: dict[str, Any] | None = field(default=None, repr=False)
    derived: Derived = field(default_factory=Derived, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.derived, Derived):  # a dict, as before derivation had its own step
            object.__setattr__(self, "derived", Derived.from_mapping(self.derived))

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

    def raise_for_errors(self, source: str | None = None) -> ValidationResult:
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


def _schema_issues(kind: str, data: dict[str, Any], debug: bool, vocab: Vocabulary) -> list[Issue]:
    from .field_hints import (  # start-up: loads with the first validation (~1 ms with difflib)
        format_words,
        pattern_words,
        suggest_property,
        type_words,
    )

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
            allowed = error.schema.get("properties", {})
            for name in error.instance:
                if name not in allowed:
                    guess = suggest_property(name, allowed)
                    issues.append(make_issue(
                        "schema.additional_property", join_pointer(*path, name), "error", value=name, debug=debug,
                        suggestion=(phrase("hint.did_you_mean", guess=guess) if guess
                                    else phrase("hint.check_spelling"))))
            continue
        words: tuple[str, str] | None = None
        if keyword == "type":
            words = type_words(error.validator_value)
        elif keyword == "format":
            words = format_words(error.validator_value)
        elif keyword == "pattern":
            words = pattern_words(error.validator_value)
        elif keyword == "enum":
            choices = [str(c) for c in error.validator_value]
            sv, en = vocab.labels(choices, "sv"), vocab.labels(choices, "en")
            words = (", ".join(f"”{sv[c]}” ({c})" if sv[c] != c else c for c in choices),
                     ", ".join(f"'{en[c]}' ({c})" if en[c] != c else c for c in choices))
        elif keyword == "const":
            params["expected"] = error.validator_value
        elif keyword in ("maxLength", "minItems", "maxItems", "minimum", "maximum"):
            params["limit"] = error.validator_value
        if words is not None:
            params["expected_sv"], params["expected_en"] = words
        title = field_title(kind, path)
        if title:
            params["field"] = title
        issues.append(make_issue(_KEYWORD_CODES.get(keyword, "schema.invalid"), join_pointer(*path),
                                 "error", value=value, debug=debug, **params))
    return issues


def _claimed(pointer: str, claimed: set[str]) -> bool:
    return any(pointer == c or pointer.startswith(c + "/") for c in claimed)


def validate(data: Any, pack: str | Pack | None = None, *, kind: str | None = None,
             debug: bool = False) -> ValidationResult:
    """Validate one input against its kind's schema and the pack's domain rules.

    :param data: the parsed input (a mapping with ``"kind"``); Python values such as
        ``datetime.date`` and Swedish or English labels of choices are accepted.
    :param pack: pack id, folder or loaded :class:`Pack`; defaults to the input's ``"pack"``,
        then ``national``.
    :param kind: the expected kind; a different ``"kind"`` in the input is an error.
    :param debug: keep offending values in ``Issue.value`` (never do this in logs).
    :returns: a :class:`ValidationResult`; it never raises for bad input.
    :raises PackError: the pack cannot be loaded.
    :raises InternalError: ``internal.rule_failed`` or ``internal.derive_failed`` — a bug in
        sipdocs (a domain rule or a derivation raised), never silently skipped.

    .. versionadded:: 0.1
    """
    if not isinstance(data, Mapping):
        return ValidationResult(None, "", (make_issue("input.not_an_object", "", "error"),))
    from .jsonvalues import to_json  # start-up: these (~8 ms with the rules) load with the first validation
    from .normalize import normalize
    from .rules import Check, run_rules
    from .spreadsheet_damage import damage_issues

    raw_kind = data.get("kind")
    known = raw_kind if isinstance(raw_kind, str) and raw_kind in KIND_IDS else None
    schema = resolved_schema(known) if known else None
    data, pre_issues = to_json(data, schema, title=(lambda p: field_title(known, p)) if known else None)
    pack_obj = load_pack(pack if pack is not None else data.get("pack") if isinstance(
        data.get("pack"), str) else None)
    found = data.get("kind")
    if found not in KIND_IDS:
        issue = make_issue("input.unknown_kind", "/kind", "error", allowed=", ".join(KIND_IDS))
        return ValidationResult(None, pack_obj.id, (issue,), data)
    if kind is not None and found != kind:
        issue = make_issue("input.kind_mismatch", "/kind", "error", found=found, expected=kind)
        return ValidationResult(found, pack_obj.id, (issue,), data)
    assert schema is not None
    vocab = vocabulary(pack_obj)
    data = to_codes(data, schema, vocab)

    def title(path: tuple[str | int, ...]) -> str | None:
        return field_title(found, path)

    damage, claimed = damage_issues(data, title)
    claimed |= {i.pointer for i in pre_issues}
    issues: list[Issue] = []
    for path, text in _walk_strings(data):
        if _ILLEGAL_XML.search(text):
            issues.append(make_issue("input.illegal_character", join_pointer(*path), "error",
                                     field=title(path) or join_pointer(*path),
                                     value=text if debug else None, debug=debug))
    issues.extend(_schema_issues(found, data, debug, vocab))

    normalized = normalize(data)
    try:
        derived = derive(normalized, pack_obj)
    except Exception as exc:
        raise InternalError.bug_in(phrase("part.derive"), exc,
                                   code="internal.derive_failed") from (exc if debug else None)
    issues.extend(run_rules(Check(kind=found, data=normalized, pack=pack_obj, derived=derived,
                                  debug=debug, original=data)))
    if claimed:
        issues = [i for i in issues if not _claimed(i.pointer, claimed)]
    issues.extend(pre_issues)
    issues.extend(damage)
    # a total order, so the issues do not depend on the order the rules ran in
    ordered = tuple(sorted(dict.fromkeys(issues), key=lambda i: (i.pointer, i.code, i.level, i.message_en,
                                                                  i.message_sv)))
    return ValidationResult(found, pack_obj.id, ordered, normalized, derived)
