"""Spreadsheet rows → nested inputs, remembering which cell every value came from.

Each row of the main sheet becomes one input of the requested kind. Values of the list
sheet (one row per list item: ``case_id``, ``list`` and the item's fields) are appended to
the row with the same ``case_id``, in sheet order. Every value set is recorded with its
JSON pointer and spreadsheet location, so a validation issue at ``/invitees/2/actor_kind``
is reported as "sheet Listor, row 14, column Typ av verksamhet".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Issue, join_pointer
from ..messages import make_issue
from .columns import Column, ListSpec, columns_for, list_for, normalise_header, resolve_header, resolve_list_header
from .convert import convert, split_list
from .sheets import Table, Workbook


@dataclass(frozen=True)
class Location:
    sheet: str
    row: int
    column: str | None


@dataclass
class RowInput:
    """One row made into an input, with where each value came from."""

    row: int
    data: dict[str, Any]
    locations: dict[str, Location] = field(default_factory=dict)  # pointer → cell
    issues: list[Issue] = field(default_factory=list)             # problems found while mapping
    main_sheet: str = ""

    def locate(self, issue: Issue) -> Issue:
        """Attach the spreadsheet row and column to a validation issue."""
        pointer = issue.pointer
        while True:
            loc = self.locations.get(pointer)
            if loc is not None:
                return issue.with_location(row=loc.row, column=loc.column) if loc.sheet == self.main_sheet \
                    else issue.with_location(row=loc.row, column=f"{loc.sheet}: {loc.column}")
            if not pointer:
                break
            pointer = pointer.rsplit("/", 1)[0]
        return issue.with_location(row=self.row, column=_column_for_pointer(self.data.get("kind", ""), issue.pointer))


def _column_for_pointer(kind: str, pointer: str) -> str | None:
    """The header a missing value would have (for "required" issues)."""
    if not kind or not pointer:
        return None
    tokens = pointer.strip("/").split("/")
    key = ".".join(str(int(t) + 1) if t.isdigit() else t for t in tokens)
    for col in columns_for(kind).template_columns():
        if col.key == key:
            return col.title
    return key


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for i, token in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(token, int):
            while len(node) <= token:
                node.append({})
            node = node[token]
        else:
            if token not in node:
                node[token] = [] if isinstance(nxt, int) else {}
            node = node[token]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append({})
        node[last] = value
    else:
        node[last] = value


def _value(col: Column, cell: Any, date1904: bool) -> Any:
    if col.scalar_list:
        return [convert(v, col.schema, date1904=date1904) for v in split_list(cell)]
    return convert(cell, col.schema, date1904=date1904)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def map_rows(book: Workbook, kind: str, *, pack: str | None = None,
             lang: str | None = None) -> tuple[list[RowInput], list[Issue]]:
    """All rows as inputs, plus sheet-level issues (unknown headers, orphan list rows)."""
    sheet_issues: list[Issue] = []
    main = book.main
    columns: list[Column | None] = []
    for header in main.headers:
        col = resolve_header(kind, header) if header else None
        columns.append(col)
        if header and col is None:
            sheet_issues.append(make_issue("sheet.unknown_column", "", "warning", column=header).with_location(
                row=1, column=header))
    rows: list[RowInput] = []
    by_case: dict[str, list[RowInput]] = {}
    for number, cells in main.rows:
        item = RowInput(row=number, data={"kind": kind}, main_sheet=main.name)
        if pack:
            item.data["pack"] = pack
        if lang:
            item.data["lang"] = lang
        for header, col, cell in zip(main.headers, columns, cells):
            if col is None or _blank(cell):
                continue
            value = _value(col, cell, book.date1904)
            if value == []:
                continue
            _set(item.data, col.path, value)
            item.locations[join_pointer(*col.path)] = Location(main.name, number, header)
        _compact_lists(item.data)
        rows.append(item)
        case = item.data.get("case_id")
        if isinstance(case, str) and case:
            by_case.setdefault(case, []).append(item)
    if book.lists is not None:
        sheet_issues.extend(_apply_lists(book.lists, kind, by_case, book.date1904))
    return rows, sheet_issues


def _compact_lists(node: Any) -> None:
    """Indexed columns may leave gaps (guardian 2 given, guardian 1 empty): drop empty items."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                node[key] = [v for v in value if v]
            _compact_lists(node[key])
    elif isinstance(node, list):
        for value in node:
            _compact_lists(value)


def _apply_lists(table: Table, kind: str, by_case: dict[str, list[RowInput]], date1904: bool) -> list[Issue]:
    issues: list[Issue] = []
    norm = [normalise_header(h) for h in table.headers]
    case_at = next((i for i, h in enumerate(norm) if h in ("case_id", "ärende-id", "arende-id")), None)
    list_at = next((i for i, h in enumerate(norm) if h in ("list", "lista")), None)
    if case_at is None or list_at is None:
        issues.append(make_issue("sheet.list_columns_missing", "", "error", sheet=table.name).with_location(
            row=1, column=f"{table.name}: case_id/list"))
        return issues
    for number, cells in table.rows:
        case = str(cells[case_at] or "").strip()
        spec: ListSpec | None = list_for(kind, str(cells[list_at] or ""))
        if spec is None:
            issues.append(make_issue("sheet.unknown_list", "", "error", sheet=table.name).with_location(
                row=number, column=f"{table.name}: {table.headers[list_at]}"))
            continue
        targets = by_case.get(case)
        if not targets:
            issues.append(make_issue("sheet.orphan_list_row", "", "error", sheet=table.name).with_location(
                row=number, column=f"{table.name}: {table.headers[case_at]}"))
            continue
        for target in targets:
            items = _list_at(target.data, spec.path)
            index = len(items)
            item: dict[str, Any] = {}
            for i, (header, cell) in enumerate(zip(table.headers, cells)):
                if i in (case_at, list_at) or _blank(cell):
                    continue
                col = resolve_list_header(spec, header, kind)
                if col is None:
                    continue
                value = _value(col, cell, date1904)
                if value == []:
                    continue
                _set(item, col.path, value)
                pointer = join_pointer(*spec.path, index, *col.path)
                target.locations[pointer] = Location(table.name, number, header)
            target.locations[join_pointer(*spec.path, index)] = Location(table.name, number, table.headers[list_at])
            items.append(item)
    return issues


def _list_at(data: dict[str, Any], path: tuple[str, ...]) -> list[Any]:
    node: Any = data
    for token in path[:-1]:
        node = node.setdefault(token, {})
    items: list[Any] = node.setdefault(path[-1], [])
    return items
