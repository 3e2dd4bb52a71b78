"""A commented YAML skeleton of an input, for people who fill it in by hand.

PyYAML cannot write comments, so the skeleton is written here line by line, in the
schema's property order: every field gets a comment with its Swedish title (and
``OBLIGATORISK`` when the schema requires it), the allowed codes of a choice, and the
expected shape of a date or time. Values that are known (from :func:`sipdocs.prefill`)
are written with ``yaml.safe_dump``, so the skeleton reads back to exactly those values;
required fields without a value are written empty (``name:``) and optional ones are
commented out, so ``sipdocs validate`` names exactly what is still to fill in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .kinds import KINDS
from .schemas import _resolve, load_schema

__all__ = ["yaml_skeleton"]

_HIDDEN = ("kind",)


def _sv(text: str | None) -> str:
    """The Swedish half of a 'svenska — English' description."""
    return (text or "").split(" — ")[0].strip()


def _scalar(value: Any) -> str:
    import yaml  # start-up: PyYAML (~8 ms) loads only when a skeleton is written

    dumped: str = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _hint(node: Mapping[str, Any]) -> str:
    if "enum" in node:
        return "välj: " + " | ".join(map(str, node["enum"]))
    if node.get("type") == "array" and "enum" in (node.get("items") or {}):
        return "lista, välj bland: " + " | ".join(map(str, node["items"]["enum"]))
    if node.get("format") == "date":
        return "ÅÅÅÅ-MM-DD"
    if node.get("type") == "boolean":
        return "true (ja) eller false (nej)"
    if node.get("title") == "Klockslag" or "[:.]" in str(node.get("pattern", "")):
        return "TT:MM"
    return ""


class _Writer:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.schema = load_schema(kind)
        self.lines: list[str] = []

    def resolve(self, node: Mapping[str, Any]) -> dict[str, Any]:
        return _resolve(dict(node))

    def comment(self, pad: str, node: Mapping[str, Any], required: bool) -> None:
        title = node.get("title") or ""
        parts = [title + (" (OBLIGATORISK)" if required else "")]
        described = _sv(node.get("description"))
        if described and described.rstrip(".") != title:
            parts.append(described)
        hint = _hint(node)
        if hint:
            parts.append(hint)
        self.lines.append(f"{pad}# " + " – ".join(p for p in parts if p))

    def obj(self, node: Mapping[str, Any], value: Mapping[str, Any] | None, pad: str,
            skip: tuple[str, ...] = ()) -> None:
        node = self.resolve(node)
        required = set(node.get("required", ()))
        value = value or {}
        for name, child in (node.get("properties") or {}).items():
            if name in skip:
                continue
            self.field(name, child, value.get(name), pad, name in required)

    def field(self, name: str, raw: Mapping[str, Any], value: Any, pad: str, required: bool) -> None:
        node = self.resolve(raw)
        node = {**node, "title": raw.get("title") or node.get("title"),
                "description": raw.get("description") or node.get("description")}
        is_object = node.get("type") == "object" or "properties" in node
        items = self.resolve(node.get("items") or {}) if node.get("type") == "array" else None
        if value is None and not required:
            self.lines.append(f"{pad}# {name}:  # {node.get('title') or name}"
                              + (f" ({_hint(node)})" if _hint(node) else ""))
            return
        self.comment(pad, node, required)
        if is_object:
            self.lines.append(f"{pad}{name}:")
            self.obj(node, value if isinstance(value, Mapping) else None, pad + "  ")
        elif items is not None and (items.get("type") == "object" or "properties" in items):
            self.lines.append(f"{pad}{name}:")
            rows = value if isinstance(value, list) and value else [None]
            for row in rows:
                self.lines.append(f"{pad}  -")
                self.obj(items, row if isinstance(row, Mapping) else None, pad + "    ")
        elif items is not None:
            if isinstance(value, list) and value:
                self.lines.append(f"{pad}{name}:")
                for item in value:
                    self.lines.append(f"{pad}  - {_scalar(item)}")
            else:
                self.lines.append(f"{pad}{name}: []")
        elif isinstance(value, str) and "\n" in value:
            self.lines.append(f"{pad}{name}: |-")
            self.lines.extend(f"{pad}  {line}" if line else "" for line in value.split("\n"))
        elif value is None:
            self.lines.append(f"{pad}{name}:")
        else:
            self.lines.append(f"{pad}{name}: {_scalar(value)}")


def yaml_skeleton(kind: str, data: Mapping[str, Any] | None = None) -> str:
    """A commented YAML input of ``kind``, with the values of ``data`` filled in.

    :param kind: the document kind.
    :param data: known values (e.g. from :func:`sipdocs.prefill`); ``None`` for an empty skeleton.
    """
    writer = _Writer(kind)
    name = KINDS[kind].name("sv")
    writer.lines += [
        f"# {name} ({kind}) – sipdocs indata i YAML.",
        "# Fyll i fälten märkta OBLIGATORISK; valfria fält är bortkommenterade (ta bort '#' för att använda dem).",
        "# Kontrollera med: sipdocs validate FIL.yaml   Skapa dokumenten med: sipdocs render FIL.yaml --to docx,pdf",
        f"kind: {kind}",
    ]
    writer.obj(writer.schema, dict(data or {}), "", skip=_HIDDEN)
    return "\n".join(writer.lines) + "\n"
