"""The shape of a catalogue entry, and of the parameters that are themselves texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """One catalogue entry.

    :param sv: the Swedish text, a :meth:`str.format` template.
    :param en: the English text, with the same parameters.
    :param rule: the domain rule behind an issue code (``"R5"``), else ``None``.
    """

    sv: str
    en: str
    rule: str | None = None


@dataclass(frozen=True)
class Phrase:
    """A catalogue entry used as a parameter of another: rendered in that message's language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Translated:
    """Text that arrives in both languages from elsewhere (a schema error and its Swedish
    rendering): a parameter, never a place to write a new message."""

    sv: str
    en: str
