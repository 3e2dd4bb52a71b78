"""The program's own messages, each written once, Swedish and English side by side.

Three tables share one shape (:class:`Message`) and one way of filling it in (:func:`render`):

* :data:`ISSUES` (:mod:`.issues`): the issue codes of validation, with their domain rule
  (built into :class:`~sipdocs.errors.Issue` by :func:`sipdocs.messages.make_issue`);
* :data:`ERRORS` (:mod:`.errors`): the messages of :class:`~sipdocs.errors.SipdocsError`,
  raised as ``RenderError.from_code("render.timeout", seconds=30)``;
* :data:`PHRASES` (:mod:`.errors`): parts of other messages (``word.none``, ``part.rule``);
* :data:`HINTS` (:mod:`.hints`): how a field is written (``hint.format.date``), for schema
  issues and the spreadsheet template;
* :data:`CLI` (:mod:`.cli`): what the command line prints, ``say(lang, "cli.read_rows", ...)``.

A key is the stable dotted code. When one error code has several messages, the key is the
code, ``#`` and a variant (``sheet.too_large#columns``); the error's ``code`` is the part
before ``#`` (:func:`code_of`), the one the README documents. Keys without a code of their own
are *phrases* (:data:`PHRASES`): parts of other messages, passed as parameters with
:func:`phrase` and filled in in the same language.

Parameters are named (``{file}``, ``{limit}``) and never carry personal values: only
pointers, counts, limits, file names of templates, packs and inputs, and codes. The Swedish
and English texts of an entry use the same parameters (a test checks it).

This package imports nothing from sipdocs, so that :mod:`sipdocs.errors`, at the bottom of
the layers, can use it.

.. versionadded:: 0.9
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

__all__ = ["Message", "Phrase", "Translated", "ISSUES", "ERRORS", "PHRASES", "HINTS", "CLI", "MESSAGES", "lookup", "render",
           "both", "fill", "phrase", "code_of", "placeholders", "say"]

from .cli import CLI
from .errors import ERRORS, PHRASES
from .hints import HINTS
from .issues import ISSUES
from .message import Message, Phrase, Translated

#: Every error, phrase and CLI message, by key (the issue codes are in :data:`ISSUES`).
MESSAGES: dict[str, Message] = {**ERRORS, **PHRASES, **HINTS, **CLI}


def lookup(key: str) -> Message:
    """The entry for ``key`` in :data:`MESSAGES` (``KeyError`` when there is none: a bug)."""
    return MESSAGES[key]


def phrase(key: str, /, **params: Any) -> Phrase:
    """A part of a message, filled in later in the message's language."""
    lookup(key)  # fail where the phrase is made, not where it is shown
    return Phrase(key, params)


def code_of(key: str) -> str:
    """The stable code of a key: ``sheet.too_large#columns`` → ``sheet.too_large``."""
    return key.partition("#")[0]


def placeholders(text: str) -> set[str]:
    """The parameter names of a template: ``"{file} has {n!r}"`` → ``{"file", "n"}``."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, lang: str, params: Mapping[str, Any]) -> str:
    """``template`` with ``params``; phrases and translated texts in ``lang``, a missing one as ``?``."""
    values = _Defaulting()
    for name, value in params.items():
        if isinstance(value, Phrase):
            value = render(value.key, lang, **value.params)
        elif isinstance(value, Translated):
            value = value.en if lang.startswith("en") else value.sv
        values[name] = value
    return template.format_map(values)


def render(key: str, lang: str, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` (English when it starts with ``en``, else Swedish)."""
    msg = lookup(key)
    return fill(msg.en if lang.startswith("en") else msg.sv, lang, params)


def say(lang: str, key: str, /, **params: Any) -> str:
    """What the command line prints: ``say(lang, "cli.aborted")`` (:func:`render`, language first)."""
    return render(key, lang, **params)


def both(key: str, /, **params: Any) -> tuple[str, str]:
    """``(Swedish, English)`` of the message ``key``."""
    return render(key, "sv", **params), render(key, "en", **params)
