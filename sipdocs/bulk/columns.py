"""Which spreadsheet columns a document kind has, derived from its JSON Schema.

Every leaf field of a kind becomes a column, named both by its key path
(``child.name``, ``guardians.1.phone``; list positions count from 1 as staff do) and by a
Swedish header built from the schema titles (``Barnets namn``, ``Vårdnadshavare 1 –
Telefon``). Lists of objects (invitees, interventions …) can also be given on a second
sheet, one row per item, joined on ``case_id`` — their item fields have columns of
their own, relative to the item (``organisation``, ``Verksamhet``). A list of plain
values (needs, goals) is one cell, items separated by ``;`` or line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..schemas import inlined_schema

GUARDIAN_SLOTS = 2  # indexed guardian columns in the sheet template


@dataclass(frozen=True)
class Column:
    """One leaf field.

    :param path: key path with 0-based list positions (``("guardians", 0, "phone")``).
    :param key: dotted key path with 1-based positions (``guardians.1.phone``).
    :param title: Swedish header.
    :param schema: the leaf's (inlined) schema.
    :param required: required whenever its parent object is present.
    :param scalar_list: a list of plain values in one cell.
    :param aliases: earlier headers of the column, still recognised.
    """

    path: tuple[str | int, ...]
    key: str
    title: str
    schema: dict[str, Any]
    required: bool
    scalar_list: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def is_choice(self) -> bool:
        return "enum" in self.schema

    @property
    def is_date(self) -> bool:
        return self.schema.get("format") == "date"

    @property
    def is_time(self) -> bool:
        return str(self.schema.get("pattern", "")).startswith("^([01]")

    @property
    def is_boolean(self) -> bool:
        return self.schema.get("type") == "boolean"

    @property
    def type_name(self) -> str:
        """What the column holds, in the words of the instructions sheet."""
        if self.scalar_list:
            return "val, flera separerade med ;" if self.is_choice else "lista (separera med ;)"
        if self.is_choice:
            return "val i listan"
        if self.is_date:
            return "datum (ÅÅÅÅ-MM-DD)"
        if self.is_time:
            return "klockslag (TT.MM eller TT:MM)"
        return {"boolean": "ja/nej", "integer": "heltal"}.get(self.schema.get("type", "string"), "text")


@dataclass(frozen=True)
class ListSpec:
    """A list of objects that may come from the list sheet (``list`` column = ``key``)."""

    key: str                       # "invitees", "distribution.extra_recipients"
    path: tuple[str, ...]
    title: str
    item_columns: tuple[Column, ...]  # relative to the item


@dataclass(frozen=True)
class KindColumns:
    kind: str
    columns: tuple[Column, ...]          # main-sheet columns (scalar leaves, scalar lists)
    lists: dict[str, ListSpec]           # lists of objects by key

    def template_columns(self) -> list[Column]:
        """Columns of the sheet template: main columns plus indexed guardian columns."""
        out = list(self.columns)
        spec = self.lists.get("guardians")
        if spec:
            for n in range(GUARDIAN_SLOTS):
                for col in spec.item_columns:
                    out.append(_indexed(spec, n, col))
        return out


def _indexed(spec: ListSpec, index: int, col: Column) -> Column:
    return Column(path=(*spec.path, index, *col.path), key=f"{spec.key}.{index + 1}.{col.key}",
                  title=f"{spec.title} {index + 1} – {col.title}", schema=col.schema, required=False,
                  scalar_list=col.scalar_list,
                  aliases=tuple(f"{spec.title} {index + 1} – {a}" for a in col.aliases))


def _is_object(s: dict[str, Any]) -> bool:
    return s.get("type") == "object" or "properties" in s


_Leaf = tuple[tuple[str, ...], tuple[str, ...], dict[str, Any], bool, bool]


def _leaves(node: dict[str, Any], path: tuple[str, ...], titles: tuple[str, ...], required: bool,
            lists: dict[str, ListSpec]) -> Iterator[_Leaf]:
    req = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        sub_path = (*path, name)
        sub_titles = (*titles, prop.get("title", name))
        is_required = required and name in req
        if _is_object(prop):
            yield from _leaves(prop, sub_path, sub_titles, is_required, lists)
        elif prop.get("type") == "array":
            items = prop.get("items", {})
            if _is_object(items):
                key = ".".join(sub_path)
                item_cols = tuple(_columns(items, (), (), True, {}))
                lists[key] = ListSpec(key=key, path=sub_path, title=prop.get("title", name), item_columns=item_cols)
            else:
                yield sub_path, sub_titles, items | {"title": prop.get("title")}, is_required, True
        else:
            yield sub_path, sub_titles, prop, is_required, False


def _columns(node: dict[str, Any], path: tuple[str, ...], titles: tuple[str, ...], required: bool,
             lists: dict[str, ListSpec]) -> list[Column]:
    raw = list(_leaves(node, path, titles, required, lists))
    leaf_titles = [t[-1] for _, t, _, _, _ in raw]
    out = []
    for leaf_path, leaf_titles_chain, schema, is_required, scalar_list in raw:
        earlier = title = leaf_titles_chain[-1]
        if leaf_titles.count(title) > 1 and len(leaf_titles_chain) > 1:
            earlier = title = f"{leaf_titles_chain[-2]} – {title}"
        if len(leaf_titles_chain) > 2 and not title.startswith(f"{leaf_titles_chain[-2]} – "):
            # a group inside a group (the child's interpreter) names its group: "Barnets tolk – Språk"
            title = f"{leaf_titles_chain[-2]} – {leaf_titles_chain[-1]}"
        aliases = (earlier,) if earlier != title and leaf_titles.count(leaf_titles_chain[-1]) == 1 else ()
        out.append(Column(path=leaf_path, key=".".join(leaf_path), title=title, schema=schema,
                          required=is_required, scalar_list=scalar_list, aliases=aliases))
    return out


@cache
def columns_for(kind: str) -> KindColumns:
    """The column model of a kind (cached)."""
    schema = inlined_schema(kind)
    lists: dict[str, ListSpec] = {}
    cols = [c for c in _columns(schema, (), (), True, lists) if c.key not in ("kind",)]
    return KindColumns(kind=kind, columns=tuple(cols), lists=lists)


def normalise_header(text: str) -> str:
    return " ".join(str(text).replace("\u00a0", " ").replace("—", "–").casefold().split())


_INDEXED_KEY = re.compile(r"^(?P<list>[a-z_.]+?)\.(?P<n>\d+)\.(?P<rest>[a-z_.]+)$")
_INDEXED_TITLE = re.compile(r"^(?P<list>.+?) (?P<n>\d+) – (?P<rest>.+)$")


def resolve_header(kind: str, header: str) -> Column | None:
    """The main-sheet column a header names (key path or Swedish title), or ``None``."""
    model = columns_for(kind)
    norm = normalise_header(header)
    for col in model.columns:
        if norm in (col.key, normalise_header(col.title)):
            return col
    for col in model.columns:
        if any(norm == normalise_header(a) for a in col.aliases):
            return col
    m = _INDEXED_KEY.match(norm)
    if m and m.group("list") in model.lists:
        spec = model.lists[m.group("list")]
        for col in spec.item_columns:
            if col.key == m.group("rest"):
                return _indexed(spec, int(m.group("n")) - 1, col)
    m = _INDEXED_TITLE.match(norm)
    if m:
        for spec in model.lists.values():
            if normalise_header(spec.title) == m.group("list"):
                for col in spec.item_columns:
                    if m.group("rest") in (normalise_header(col.title), col.key,
                                           *(normalise_header(a) for a in col.aliases)):
                        return _indexed(spec, int(m.group("n")) - 1, col)
    return None


def resolve_list_header(spec: ListSpec, header: str, kind: str | None = None) -> Column | None:
    """The item column a list-sheet header names: its key, its title, or the title the
    same key has in another list of the kind (the list sheet shares columns between lists)."""
    norm = normalise_header(header)
    for col in spec.item_columns:
        if norm in (col.key, normalise_header(col.title)):
            return col
    if kind is not None:
        own = {c.key: c for c in spec.item_columns}
        for other in columns_for(kind).lists.values():
            for col in other.item_columns:
                if normalise_header(col.title) == norm and col.key in own:
                    return own[col.key]
    return None


def list_for(kind: str, name: str) -> ListSpec | None:
    """A list named by key (``invitees``) or Swedish title (``Kallade och inbjudna``)."""
    model = columns_for(kind)
    norm = normalise_header(name)
    for spec in model.lists.values():
        if norm in (spec.key, normalise_header(spec.title)):
            return spec
    return None
