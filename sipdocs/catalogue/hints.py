"""How a field is written, in the words of the person filling it in: the schema's types, formats
and patterns described for schema issues and the spreadsheet template's instructions
(:mod:`sipdocs.field_hints` picks the entry)."""

from __future__ import annotations

from .message import Message as M

HINTS: dict[str, M] = {
    "hint.type.string": M("text", "text"),
    "hint.type.integer": M("ett heltal", "a whole number"),
    "hint.type.number": M("ett tal", "a number"),
    "hint.type.boolean": M("ja eller nej (true/false)", "yes or no (true/false)"),
    "hint.type.array": M("en lista", "a list"),
    "hint.type.object": M("en grupp av fält (ett objekt)", "a group of fields (an object)"),
    "hint.type.null": M("inget värde", "no value"),
    "hint.format.date": M("datum skrivs ÅÅÅÅ-MM-DD, till exempel 2026-05-12",
                          "dates are written YYYY-MM-DD, e.g. 2026-05-12"),
    "hint.format.email": M("en e-postadress skrivs namn@exempel.se", "an e-mail address is written name@example.org"),
    "hint.format.uri": M("en webbadress börjar med https:// och har inga mellanslag",
                         "a web address starts with https:// and has no spaces"),
    "hint.format.other": M("formatet {format}", "the format {format}"),
    "hint.pattern.time": M("klockslag skrivs TT:MM, till exempel 13:00 eller 13.00",
                           "times are written HH:MM, e.g. 13:00 or 13.00"),
    "hint.pattern.personal_number": M("personnummer skrivs ÅÅÅÅMMDD-NNNN, till exempel 20170101-2393",
                                      "personal identity numbers are written YYYYMMDD-NNNN, e.g. 20170101-2393"),
    "hint.pattern.phone": M("telefonnummer skrivs med siffror, blanksteg och bindestreck, till exempel 08-123 456 78",
                            "phone numbers are written with digits, spaces and hyphens, e.g. 08-123 456 78"),
    "hint.pattern.url": M("en webbadress börjar med https://", "a web address starts with https://"),
    "hint.pattern.not_blank": M("fältet är tomt eller har bara blanksteg", "it is blank"),
    "hint.pattern.snake_case": M("bara små bokstäver a–z, siffror och _", "only lower-case a–z, digits and _"),
    "hint.pattern.other": M("se fältets beskrivning i schemat", "see the field's description in the schema"),
}
