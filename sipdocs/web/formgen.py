"""HTML forms generated from the JSON Schemas, and form posts turned back into inputs.

:func:`build_form` walks a kind's schema in the order of the document's sections (the
pack's layout, :func:`form_order`) and returns a tree of
:class:`Field` objects that the ``_fields.html`` macros render:

=====================================  ===========================================
schema                                 widget
=====================================  ===========================================
object                                 ``group`` — a ``<fieldset>`` with a legend
array of objects                       ``rows`` — one fieldset per row, add/remove buttons
array of choices (``given_by``)        ``checkboxes``
array of texts (``needs``)             ``lines`` — a textarea, one item per line
choice (``enum``)                      ``radios`` (≤ 4 codes) or ``select``, with labels
boolean                                ``boolean`` — ja/nej radios
``format: date`` / a time pattern      ``date`` / ``time`` inputs
long text (``maxLength`` > 10 000)     ``textarea``
=====================================  ===========================================

Every field has the Swedish ``title`` as its label and the description (in the UI
language) as help text. Field names are dotted data paths (``guardians.1.name``); ids
are the JSON pointer with ``-`` for ``/`` (``f-guardians-1-name``), so a validation
issue's pointer finds its field (:func:`field_for_pointer`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from ..errors import PackError
from ..layout.load import load_layout
from ..packs import load_pack
from ..schemas import _resolve, load_schema
from .labels import enum_options

__all__ = ["Field", "build_form", "parse_form", "field_for_pointer", "apply_action", "HIDDEN"]

#: Top-level keys the app sets itself (kind from the URL; pack and language from the case).
HIDDEN = ("kind", "pack", "lang")

_EXTRA_LABELS = {
    "protected_identity": {
        "sv": {"none": "Inga", "sekretessmarkering": "Sekretessmarkering",
               "skyddad_folkbokforing": "Skyddad folkbokföring",
               "fingerade_personuppgifter": "Fingerade personuppgifter"},
        "en": {"none": "None", "sekretessmarkering": "Secrecy marking",
               "skyddad_folkbokforing": "Protected registration",
               "fingerade_personuppgifter": "Fictitious identity"},
    },
}


@dataclass
class Field:
    """One form control (or a group/rows container) at a data path."""

    path: tuple[str | int, ...]
    widget: str
    label: str
    help: str = ""
    required: bool = False
    value: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    rows: list[Field] = field(default_factory=list)
    input_type: str = "text"
    max_items: int | None = None

    @property
    def name(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def pointer(self) -> str:
        return "/" + "/".join(str(p) for p in self.path) if self.path else ""

    @property
    def id(self) -> str:
        return field_id(self.pointer)

    @property
    def error_id(self) -> str:
        return "err" + self.id[1:]

    @property
    def help_id(self) -> str:
        return "help" + self.id[1:]

    @property
    def row_label(self) -> str:
        return f"{self.label} {int(self.path[-1]) + 1}" if self.path and isinstance(self.path[-1], int) \
            else self.label

    def walk(self) -> Iterable[Field]:
        yield self
        for child in (*self.children, *self.rows):
            yield from child.walk()


def field_id(pointer: str) -> str:
    """``/guardians/0/name`` → ``f-guardians-0-name`` (ids and anchors for a pointer)."""
    return "f" + re.sub(r"[^A-Za-z0-9_-]", "-", pointer.replace("/", "-")) if pointer else "f-form"


def _split(description: str | None, lang: str) -> str:
    sv, _, en = (description or "").partition(" — ")
    return (en if lang.startswith("en") and en else sv).strip()


def _is_time(node: Mapping[str, Any]) -> bool:
    return "[:.]" in str(node.get("pattern", ""))


class _Builder:
    def __init__(self, pack: str, lang: str) -> None:
        self.pack = pack
        self.lang = lang

    def options(self, name: str, codes: list[Any]) -> list[tuple[str, str]]:
        extra = _EXTRA_LABELS.get(name, {}).get("en" if self.lang.startswith("en") else "sv")
        if extra:
            return [(str(c), extra.get(str(c), str(c))) for c in codes]
        return enum_options(self.pack, self.lang, name, codes)

    def node(self, raw: Mapping[str, Any], path: tuple[str | int, ...], value: Any, required: bool) -> Field:
        node = _resolve(dict(raw))
        title = raw.get("title") or node.get("title") or str(path[-1] if path else "")
        description = raw.get("description") or node.get("description")
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        base = Field(path=path, widget="text", label=title, help=_split(description, self.lang),
                     required=required, value=value)
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            base.widget = "group"
            wanted = set(node.get("required", ()))
            current = value if isinstance(value, Mapping) else {}
            for key, child in (node.get("properties") or {}).items():
                base.children.append(self.node(child, (*path, key), current.get(key), key in wanted))
            return base
        if kind == "array":
            items = _resolve(dict(node.get("items") or {}))
            base.max_items = node.get("maxItems")
            if items.get("type") == "object" or "properties" in items:
                base.widget = "rows"
                rows = value if isinstance(value, list) else []
                for i, row in enumerate(rows):
                    child = self.node(node["items"], (*path, i), row, False)
                    child.label = title
                    base.rows.append(child)
                return base
            if "enum" in items:
                base.widget = "checkboxes"
                base.options = self.options(name, items["enum"])
                base.value = [str(v) for v in value] if isinstance(value, list) else []
                return base
            base.widget = "lines"
            base.value = "\n".join(str(v) for v in value) if isinstance(value, list) else (value or "")
            return base
        if "enum" in node:
            base.options = self.options(name, node["enum"])
            base.widget = "radios" if len(base.options) <= 4 else "select"
            return base
        if "const" in node:
            base.widget = "hidden"
            return base
        if kind == "boolean":
            base.widget = "boolean"
            return base
        if kind == "integer":
            base.widget, base.input_type = "input", "number"
            return base
        if node.get("format") == "date":
            base.widget, base.input_type = "input", "date"
        elif _is_time(node):
            base.widget, base.input_type = "input", "time"
        elif node.get("format") == "email":
            base.widget, base.input_type = "input", "email"
        elif node.get("format") == "uri":
            base.widget, base.input_type = "input", "url"
        elif str(node.get("pattern", "")).startswith("^\\+?[0-9]"):
            base.widget, base.input_type = "input", "tel"
        elif int(node.get("maxLength", 0)) > 10000 or node.get("title") in ("Adress", "Postadress"):
            base.widget = "textarea"
        else:
            base.widget = "input"
        return base


def build_form(kind: str, data: Mapping[str, Any] | None, pack: str, lang: str) -> list[Field]:
    """The form of ``kind`` as a list of top-level fields (sections), filled with ``data``, in
    the order the pack's layout prints them (:func:`form_order`)."""
    schema = load_schema(kind)
    wanted = set(schema.get("required", ()))
    builder = _Builder(pack, lang)
    data = data or {}
    return [builder.node(schema["properties"][key], (key,), data.get(key), key in wanted)
            for key in form_order(kind, pack) if key not in HIDDEN]


def form_order(kind: str, pack: str) -> list[str]:
    """The top-level properties of ``kind``'s schema in the order of the document: each where
    the pack's layout first prints it (a county that moves a section moves its fields too).

    A property the layout does not print (``case_id``, a value only derived from) keeps its
    place after the property the schema lists before it. A pack whose layout cannot be loaded
    gives the schema's order (the form still works; rendering reports the pack's error).
    """
    names = list(load_schema(kind)["properties"])
    try:
        layout = load_layout(load_pack(pack), kind)
    except PackError:
        return names
    keys: dict[str, tuple[float, int]] = {}
    previous = -1.0
    for index, name in enumerate(names):
        section = layout.first_section_of(name)
        previous = float(section) if section is not None else previous
        keys[name] = (previous, index)
    return sorted(names, key=keys.__getitem__)


# -- form post → input ---------------------------------------------------------------------------

def _coerce(node: Mapping[str, Any], values: list[str]) -> Any:
    """A posted value in the schema's type; unparseable values stay text (validation reports them)."""
    node = _resolve(dict(node))
    kind = node.get("type")
    if kind == "array":
        items = _resolve(dict(node.get("items") or {}))
        if "enum" in items:
            return [v for v in values if v] or None
        text = "\n".join(values)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return lines or None
    # browsers post line breaks as CRLF; inputs keep LF
    value = values[-1].replace("\r\n", "\n").strip() if values else ""
    if value == "":
        return None
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?\d{1,9}", value) else value
    return value


def parse_form(kind: str, form: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Turn posted ``(name, value)`` pairs into an input of ``kind``.

    Empty fields are left out (so validation reports a missing required field as
    missing), a row that was added but not filled in stays as an empty object, and
    names that are not fields of the schema are ignored.
    """
    schema = load_schema(kind)
    grouped: dict[str, list[str]] = {}
    for name, posted in form:
        if name.startswith("_") or not isinstance(posted, str):
            continue
        grouped.setdefault(name, []).append(posted)

    root: dict[str, Any] = {}
    for name, values in grouped.items():
        parts = name.split(".")
        marker = parts[-1] == "__row"
        if marker:
            parts = parts[:-1]
        path: list[str | int] = []
        node: Mapping[str, Any] | None = schema
        for part in parts:
            node = _resolve(dict(node)) if node is not None else None
            if node is None:
                break
            if node.get("type") == "array" and part.isdigit() and int(part) < 1000:
                path.append(int(part))
                node = node.get("items")
            else:
                path.append(part)
                node = (node.get("properties") or {}).get(part)
        if node is None or (path and path[0] in HIDDEN):
            continue
        value: Any = {} if marker else _coerce(node, values)
        if value is None:
            continue
        _put(root, path, value)
    return cast(dict[str, Any], _compact(root))


def _put(root: dict[str, Any], path: list[str | int], value: Any) -> None:
    target: Any = root
    for i, key in enumerate(path):
        last = i == len(path) - 1
        nxt = path[i + 1] if not last else None
        if isinstance(target, list):
            assert isinstance(key, int)
            while len(target) <= key:
                target.append(None)
            if last:
                if not (value == {} and isinstance(target[key], dict)):
                    target[key] = value
                return
            if target[key] is None:
                target[key] = [] if isinstance(nxt, int) else {}
            target = target[key]
        else:
            if last:
                if not (value == {} and isinstance(target.get(key), dict)):
                    target[key] = value
                return
            if key not in target:
                target[key] = [] if isinstance(nxt, int) else {}
            target = target[key]


def _compact(value: Any, in_list: bool = False) -> Any:
    """Drop empty objects (but keep empty rows of a list) and holes left by removed rows."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _compact(v)
            if v is None or (v == {} and not in_list) or v == []:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_compact(v, True) for v in value if v is not None]
    return value


def apply_action(data: dict[str, Any], action: str) -> tuple[dict[str, Any], str | None]:
    """Apply an ``add:<path>`` or ``remove:<path>.<i>`` button; returns the data and the id to focus."""
    verb, _, target = action.partition(":")
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in target.split(".") if p]
    if verb not in ("add", "remove") or not parts:
        return data, None
    if verb == "remove":
        *parent_path, index = parts
        parent = _get(data, parent_path)
        if isinstance(parent, list) and isinstance(index, int) and 0 <= index < len(parent):
            del parent[index]
        return data, field_id("/" + "/".join(map(str, parent_path)))
    parent = _get(data, parts[:-1]) if len(parts) > 1 else data
    if not isinstance(parent, dict):
        return data, None
    key = parts[-1]
    rows = parent.setdefault(str(key), [])
    if not isinstance(rows, list):
        return data, None
    rows.append({})
    return data, field_id("/" + "/".join(map(str, [*parts, len(rows) - 1])))


def _get(data: Any, path: list[str | int]) -> Any:
    for key in path:
        if isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        elif isinstance(data, dict) and key in data:
            data = data[key]
        else:
            return None
    return data


def field_for_pointer(pointer: str, ids: set[str]) -> str | None:
    """The id of the field (or the nearest enclosing group) an issue's pointer belongs to."""
    parts = [p for p in pointer.split("/") if p != ""] if pointer else []
    while parts:
        candidate = field_id("/" + "/".join(parts))
        if candidate in ids:
            return candidate
        parts.pop()
    return None
