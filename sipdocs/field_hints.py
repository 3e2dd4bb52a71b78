"""How a field is written, in the words of the person filling it in (Swedish and English).

jsonschema speaks of ``integer``, ``format: date`` and regular expressions; a convener needs
"heltal" and "datum skrivs ÅÅÅÅ-MM-DD". The schema issues (:mod:`sipdocs.validation`) and the
spreadsheet template's instructions (:mod:`sipdocs.bulk.template`) take their wording from
here, so a field is described the same way everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .catalogue import both
from .schemas import load_schema

__all__ = ["type_words", "format_words", "pattern_words", "suggest_property"]

Words = tuple[str, str]  # (Swedish, English)

# the words are in the catalogue (sipdocs/catalogue/hints.py): hint.type.*, hint.format.*, hint.pattern.*
_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")
_FORMATS = ("date", "email", "uri")


def type_words(expected: Any) -> Words:
    """What a field of JSON type ``expected`` (a name or a list of names) holds."""
    names = expected if isinstance(expected, list) else [expected]
    words = [both(f"hint.type.{n}") if n in _TYPES else (str(n), str(n)) for n in names]
    sv_or, en_or = both("word.or")
    return f" {sv_or} ".join(w[0] for w in words), f" {en_or} ".join(w[1] for w in words)


def format_words(fmt: Any) -> Words:
    """How a value of ``format`` ``fmt`` is written."""
    return both(f"hint.format.{fmt}") if fmt in _FORMATS else both("hint.format.other", format=fmt)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, str]:
    """Schema pattern → the catalogue key that describes it."""
    defs = load_schema("common").get("$defs", {})

    def pattern(name: str) -> str:
        return str(defs.get(name, {}).get("pattern", f"<{name}>"))

    return {pattern("time"): "hint.pattern.time", pattern("personal_number"): "hint.pattern.personal_number",
            pattern("phone"): "hint.pattern.phone", pattern("url"): "hint.pattern.url",
            "\\S": "hint.pattern.not_blank", "^[a-z0-9_]+$": "hint.pattern.snake_case"}


def pattern_words(pattern: Any) -> Words:
    """What a value must look like to match the schema ``pattern``."""
    return both(_patterns().get(str(pattern), "hint.pattern.other"))


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def suggest_property(name: str, properties: Mapping[str, Any]) -> str | None:
    """The known property an unknown ``name`` most likely meant: one whose Swedish title it is
    ("personnummer" → ``personal_number``), else the closest spelling ("adress" → ``address``)."""
    wanted = _norm(name)
    for prop, schema in properties.items():
        title = schema.get("title") if isinstance(schema, Mapping) else None
        if isinstance(title, str) and _norm(title) == wanted:
            return str(prop)
    by_norm = {_norm(p): str(p) for p in properties}
    close = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.75)
    return by_norm[close[0]] if close else None
