"""Which names a layout may use: the shape of a kind's template context.

The context builder (:mod:`sipdocs.context`) puts every key a template may use into the
context, ``None`` when the input has no value. Building the context of a *skeleton* input —
every list of objects in the kind's schema holding one empty object — therefore shows every
key, including those of a list's items. A layout's paths are checked against it when the
pack is loaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..context import make_context
from ..packs import load_pack
from ..schemas import resolved_schema
from ..validation import ValidationResult

LIST = "[]"  # a path step into a list's items ("invitees.[].organisation")


def _skeleton(node: Any) -> Any:
    """An instance of ``node`` (a resolved schema) that shows the shape of every list."""
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {name: value for name, sub in node.get("properties", {}).items()
                if (value := _skeleton(sub)) is not None}
    if kind == "array":
        item = _skeleton(node.get("items", {}))
        return [item if item is not None else ""]
    if kind == "boolean":  # switched on, so what it adds (an interpreter, a withdrawal) shows
        return True
    return None


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(v) for key, v in value.items()}
    if isinstance(value, list):
        return {LIST: _shape(value[0]) if value else None}
    return None


@lru_cache(maxsize=64)
def context_shape(kind: str, pack_path: str) -> dict[str, Any]:
    """Nested dicts of the context's keys (a list's items under ``"[]"``; a leaf is None) for
    the pack in the folder ``pack_path``."""
    pack = load_pack(pack_path)
    data = _skeleton(resolved_schema(kind)) or {}
    data["kind"] = kind
    result = ValidationResult(kind, pack.id, (), data)
    lang = pack.languages[0] if pack.languages else "sv"
    shape: dict[str, Any] = _shape(make_context(result, pack, lang))
    shape.pop("t", None)  # the catalogue: its keys are checked against every language's catalogue
    return shape


def unknown_paths(paths: frozenset[str], shape: dict[str, Any]) -> list[str]:
    """The paths (``meeting.when``, ``invitees.[].organisation``) the shape does not have."""
    missing = []
    for path in sorted(paths):
        node: Any = shape
        for step in path.split("."):
            if isinstance(node, dict) and step in node:
                node = node[step]
            elif node is None:  # a plain value: what follows is a method or a filter's business
                break
            else:
                missing.append(path)
                break
    return missing


def unknown_keys(keys: frozenset[str], catalogue: dict[str, Any]) -> list[str]:
    """The catalogue keys (``invitation.intro``) missing from ``catalogue``."""
    missing = []
    for key in sorted(keys):
        node: Any = catalogue
        for step in key.split("."):
            if not isinstance(node, dict) or step not in node:
                missing.append(key)
                break
            node = node[step]
    return missing
