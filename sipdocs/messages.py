"""Issues from the catalogue: :func:`make_issue` builds an :class:`~sipdocs.errors.Issue`
from an issue code of :data:`sipdocs.catalogue.ISSUES` (re-exported here as ``CATALOGUE``).

Where the program's messages live and how to add one: see :mod:`sipdocs.catalogue`.
"""

from __future__ import annotations

from typing import Any

from .catalogue import ISSUES as CATALOGUE
from .catalogue import Message, fill, phrase
from .errors import Issue, Level

__all__ = ["CATALOGUE", "Message", "make_issue"]


def make_issue(code: str, pointer: str, level: Level, *, value: Any = None, debug: bool = False,
               **params: Any) -> Issue:
    """Build an :class:`Issue` from the catalogue; ``params`` fill the message templates."""
    msg = CATALOGUE[code]
    params.setdefault("pointer", pointer or "/")
    params.setdefault("field", params["pointer"])
    limit = params.get("limit")
    if isinstance(limit, int) and not isinstance(limit, bool):  # "1 rad", "2 rader"; "1 item", "2 items"
        params.setdefault("items", phrase("count.items.one" if limit == 1 else "count.items.many", count=limit))
    return Issue(
        code=code,
        pointer=pointer,
        level=level,
        message_sv=fill(msg.sv, "sv", params),
        message_en=fill(msg.en, "en", params),
        rule=msg.rule,
        value=value if debug else None,
    )

