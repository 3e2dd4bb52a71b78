"""One vocabulary for every choice field: the code, the Swedish label or the English label.

A convener types "Fysiskt möte" in a spreadsheet, an integration sends ``"in_person"``, a
YAML file says ``relation: Vårdnadshavare``: all three mean the same choice. This module
is the one converter every input path uses (JSON, YAML, Python mappings, spreadsheets):
:func:`to_codes` walks an input with its kind's schema and replaces, in every field whose
schema has an ``enum``, a value that is not one of the codes by the code it names.

A value names a code when, compared without case and extra blanks, it is

* the code itself (``skola`` → ``SKOLA``);
* an earlier code kept as an alias (:data:`ALIASES`: ``signed`` → ``written``);
* the code's label in the pack's Swedish or English catalogue (``enum.<group>``), taken from
  the catalogue group that has exactly the field's codes (so "Annan" is ``annan`` for a
  guardian's relation and ``other`` for a signature);
* a part of exactly one label of the field (at least three letters: "hela mötet" for
  "Barnet deltar under hela mötet").

Anything else is left as it is, and the schema reports it (``schema.enum``) with the codes
allowed. Labels come from the catalogues, so a pack that renames a choice is understood too.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from .packs import Pack, load_pack

#: Codes that were renamed, still accepted wherever the new code is allowed. The per-person
#: consent form had its own codes until 0.2 (``signed``, ``oral_documented``); the whole
#: consent and each person now share ``written`` / ``oral`` / ``other``.
ALIASES: dict[str, str] = {"signed": "written", "oral_documented": "oral"}

_MIN_PART = 3

__all__ = ["ALIASES", "Vocabulary", "vocabulary", "to_codes", "key"]


def key(text: str) -> str:
    """The comparison form of a value: case-folded, blanks collapsed, dashes unified."""
    return " ".join(text.replace("\u00a0", " ").replace("—", "–").casefold().split())


class Vocabulary:
    """The labels of one pack's enum groups, in Swedish and English."""

    def __init__(self, groups: Mapping[str, Mapping[str, list[str]]]) -> None:
        #: group → code → labels (Swedish first)
        self.groups = groups
        self._lookups: dict[frozenset[str], dict[str, str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_pack(cls, pack: Pack) -> Vocabulary:
        groups: dict[str, dict[str, list[str]]] = {}
        for lang in ("sv", "en"):
            for group, labels in (pack.catalogue(lang).get("enum") or {}).items():
                if isinstance(labels, Mapping):
                    for code, label in labels.items():
                        groups.setdefault(group, {}).setdefault(str(code), []).append(str(label))
        return cls(groups)

    def labels(self, allowed: tuple[Any, ...] | list[Any], lang: str = "sv") -> dict[str, str]:
        """code → label in ``lang`` for the field with the codes ``allowed`` (the code if none)."""
        index = 0 if lang == "sv" else 1
        out: dict[str, str] = {}
        groups = self._groups_for(frozenset(map(str, allowed)))
        for code in allowed:
            label = next((g[str(code)][min(index, len(g[str(code)]) - 1)] for g in groups if str(code) in g), None)
            out[str(code)] = label if label is not None else str(code)
        return out

    def _groups_for(self, codes: frozenset[str]) -> list[Mapping[str, list[str]]]:
        exact = [g for g in self.groups.values() if frozenset(g) == codes]
        if exact:
            return exact
        wider = [g for g in self.groups.values() if codes <= frozenset(g)]
        return wider or [g for g in self.groups.values() if codes & frozenset(g)]

    def lookup(self, allowed: tuple[Any, ...] | list[Any]) -> dict[str, str]:
        """comparison key → code for a field with the codes ``allowed`` (cached per code set)."""
        codes = frozenset(c for c in allowed if isinstance(c, str))
        with self._lock:
            found = self._lookups.get(codes)
        if found is not None:
            return found
        table: dict[str, str] = {}
        ambiguous: set[str] = set()

        def add(text: str, code: str) -> None:
            k = key(text)
            if k in table and table[k] != code:
                ambiguous.add(k)
            table.setdefault(k, code)

        for code in codes:
            add(code, code)
        for old, new in ALIASES.items():
            if new in codes and old not in codes:
                add(old, new)
        for group in self._groups_for(codes):
            for code, labels in group.items():
                if code in codes:
                    for label in labels:
                        add(label, code)
        for k in ambiguous:
            del table[k]
        with self._lock:
            self._lookups[codes] = table
        return table

    def code_for(self, value: str, allowed: tuple[Any, ...] | list[Any]) -> str | None:
        """The code ``value`` names among ``allowed``, or ``None``."""
        if value in allowed:
            return value
        table = self.lookup(allowed)
        k = key(value)
        code = table.get(k)
        if code is not None:
            return code
        if len(k) >= _MIN_PART:
            matches = {c for label, c in table.items() if k in label}
            if len(matches) == 1:
                return matches.pop()
        return None


_CACHE: dict[tuple[Any, ...], Vocabulary] = {}


def vocabulary(pack: str | Pack | None = None) -> Vocabulary:
    """The vocabulary of ``pack`` (default: national), built once per pack."""
    pack_obj = load_pack(pack)
    cache_key = (pack_obj.chain, pack_obj.version)
    found = _CACHE.get(cache_key)
    if found is None:
        found = _CACHE[cache_key] = Vocabulary.from_pack(pack_obj)
    return found


def to_codes(data: dict[str, Any], schema: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """A copy of ``data`` with every label or alias in an enum field replaced by its code.

    ``schema`` is the kind's inlined schema (:func:`sipdocs.schemas.resolved_schema`).
    Containers are copied only where something changes; ``data`` is never modified.
    """
    result = _convert(data, schema, vocab)
    return result if isinstance(result, dict) else data


def _convert(value: Any, node: Mapping[str, Any] | None, vocab: Vocabulary) -> Any:
    if node is None:
        return value
    if isinstance(value, str):
        allowed = node.get("enum")
        if isinstance(allowed, list) and value not in allowed:
            code = vocab.code_for(value, allowed)
            return code if code is not None else value
        return value
    if isinstance(value, dict):
        props = node.get("properties")
        if not isinstance(props, Mapping):
            return value
        changed = {}
        for name, item in value.items():
            new = _convert(item, props.get(name), vocab)
            if new is not item:
                changed[name] = new
        return {**value, **changed} if changed else value
    if isinstance(value, list):
        items = node.get("items")
        if not isinstance(items, Mapping):
            return value
        converted = [_convert(item, items, vocab) for item in value]
        return converted if any(a is not b for a, b in zip(converted, value)) else value
    return value
