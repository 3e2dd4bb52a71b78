"""Labels for the codes of a choice field, from the pack's catalogue.

The schemas hold the codes (``in_person``); the pack's ``i18n/<lang>.toml`` holds their
labels in groups (``[enum.meeting_form] in_person = "Fysiskt möte"``) named after the
document's wording, not after the schema path. A field's group is the catalogue group
that has a label for every allowed code; where several do (``kommun``/``region`` are in
``principal`` and ``principal_category``), the one named like the field wins, then the
smallest. A code without a label is shown as itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..packs import load_pack

__all__ = ["enum_options"]


@lru_cache(maxsize=32)
def _groups(pack: str, lang: str) -> dict[str, dict[str, str]]:
    catalogue = load_pack(pack).catalogue(lang)
    return {name: {str(k): str(v) for k, v in group.items()}
            for name, group in (catalogue.get("enum") or {}).items() if isinstance(group, dict)}


def _score(group: str, field: str) -> tuple[int, int]:
    if group == field:
        return (0, 0)
    if field in group or group in field:
        return (1, 0)
    return (2, 0)


@lru_cache(maxsize=1024)
def _options(pack: str, lang: str, field: str, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    groups = _groups(pack, lang)
    fitting = [(name, g) for name, g in groups.items() if all(c in g for c in codes)]
    if fitting:
        fitting.sort(key=lambda item: (_score(item[0], field), len(item[1])))
        labels = fitting[0][1]
        return tuple((c, labels[c]) for c in codes)
    return tuple((c, c) for c in codes)


def enum_options(pack: str, lang: str, field: str, codes: Sequence[Any]) -> list[tuple[str, str]]:
    """``[(code, label), …]`` for a choice field named ``field`` (the last key of its path)."""
    try:
        return list(_options(pack, lang, field, tuple(str(c) for c in codes)))
    except Exception:
        return [(str(c), str(c)) for c in codes]
