"""How a field is written, in the words of the person filling it in (Swedish and English).

jsonschema speaks of ``integer``, ``format: date`` and regular expressions; a convener needs
"heltal" and "datum skrivs ÅÅÅÅ-MM-DD". The schema issues (:mod:`sipdocs.validation`) and the
spreadsheet template's instructions (:mod:`sipdocs.bulk.template`) take their wording from
here, so a field is described the same way everywhere.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Mapping

from .schemas import load_schema

__all__ = ["type_words", "format_words", "pattern_words", "suggest_property"]

Words = tuple[str, str]  # (Swedish, English)

_TYPES: dict[str, Words] = {
    "string": ("text", "text"),
    "integer": ("ett heltal", "a whole number"),
    "number": ("ett tal", "a number"),
    "boolean": ("ja eller nej (true/false)", "yes or no (true/false)"),
    "array": ("en lista", "a list"),
    "object": ("en grupp av fält (ett objekt)", "a group of fields (an object)"),
    "null": ("inget värde", "no value"),
}

_FORMATS: dict[str, Words] = {
    "date": ("datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-05-12", "dates are written YYYY-MM-DD, e.g. 2026-05-12"),
    "email": ("en e-postadress skrivs namn@exempel.se", "an e-mail address is written name@example.org"),
    "uri": ("en webbadress börjar med https:// och har inga mellanslag",
            "a web address starts with https:// and has no spaces"),
}

_DEFAULT_PATTERN: Words = ("se fältets beskrivning i schemat", "see the field's description in the schema")


def type_words(expected: Any) -> Words:
    """What a field of JSON type ``expected`` (a name or a list of names) holds."""
    names = expected if isinstance(expected, list) else [expected]
    words = [_TYPES.get(str(n), (str(n), str(n))) for n in names]
    return " eller ".join(w[0] for w in words), " or ".join(w[1] for w in words)


def format_words(fmt: Any) -> Words:
    """How a value of ``format`` ``fmt`` is written."""
    return _FORMATS.get(str(fmt), (f"formatet {fmt}", f"the format {fmt}"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Words]:
    defs = load_schema("common").get("$defs", {})

    def pattern(name: str) -> str:
        return str(defs.get(name, {}).get("pattern", f"<{name}>"))

    text: Words = ("fältet är tomt eller har bara blanksteg", "it is blank")
    return {
        pattern("time"): ("klockslag skrivs TT:MM, till exempel 13:00 eller 13.00",
                          "times are written HH:MM, e.g. 13:00 or 13.00"),
        pattern("personal_number"): ("personnummer skrivs ÅÅÅÅMMDD-NNNN, till exempel 20170101-2393",
                                     "personal identity numbers are written YYYYMMDD-NNNN, e.g. 20170101-2393"),
        pattern("phone"): ("telefonnummer skrivs med siffror, blanksteg och bindestreck, till exempel 08-123 456 78",
                           "phone numbers are written with digits, spaces and hyphens, e.g. 08-123 456 78"),
        pattern("url"): ("en webbadress börjar med https://", "a web address starts with https://"),
        "\\S": text,
        "^[a-z0-9_]+$": ("bara små bokstäver a–z, siffror och _", "only lower-case a–z, digits and _"),
    }


def pattern_words(pattern: Any) -> Words:
    """What a value must look like to match the schema ``pattern``."""
    return _patterns().get(str(pattern), _DEFAULT_PATTERN)


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
