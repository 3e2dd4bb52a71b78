"""``sipdocs sheet-template KIND``: a ready-to-fill spreadsheet for bulk rendering.

The XLSX has three sheets: the data sheet (Swedish headers, one example row from the
kind's sample), ``Listor`` (one row per list item, joined on ``case_id``) and
``Instruktioner`` (each column's key path, type, allowed values and whether it is
required). As CSV, the data and the lists are two files (``NAME.csv`` and
``NAME.listor.csv``), UTF-8 with BOM and ``;`` — what Swedish Excel opens directly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..output import atomic_write
from ..resources import data_root
from .columns import Column, columns_for

_DATA_SHEET = "Data"
_LIST_SHEET = "Listor"
_HELP_SHEET = "Instruktioner"


def _example(kind: str) -> dict[str, Any]:
    path = data_root() / "samples" / f"{kind}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    from ..kinds import KINDS

    return {"kind": kind, "case_id": "EXEMPEL-1", "document_date": "2026-01-01",
            "child": {"name": "Exempel Exempelsson"}, "_": KINDS[kind].name_sv}


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for token in path:
        if isinstance(token, int):
            if not isinstance(data, list) or token >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[token] if not isinstance(token, str) or token in data else None
        if data is None:
            return None
    return data


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _allowed(col: Column) -> str:
    values = col.schema.get("enum")
    return ", ".join(map(str, values)) if values else ""


def template_rows(kind: str) -> tuple[list[Column], list[Any], list[str], list[list[Any]]]:
    """(main columns, example row, list headers, example list rows)."""
    model = columns_for(kind)
    example = _example(kind)
    example.setdefault("case_id", "EXEMPEL-1")
    main = [c for c in model.template_columns() if c.key not in ("pack", "lang")]
    row = [_cell(_get(example, c.path)) for c in main]
    item_cols: dict[str, Column] = {}
    for key, spec in model.lists.items():
        if key == "guardians":
            continue
        for col in spec.item_columns:
            item_cols.setdefault(col.key, col)
    headers = ["case_id", "list", *[c.title for c in item_cols.values()]]
    list_rows = []
    for key, spec in model.lists.items():
        if key == "guardians":
            continue
        items = _get(example, spec.path) or []
        own = {c.key: c for c in spec.item_columns}
        for item in items:
            cells: list[Any] = [example["case_id"], spec.key]
            for key in item_cols:
                cells.append(_cell(_get(item, own[key].path)) if key in own else None)
            list_rows.append(cells)
    return main, row, headers, list_rows


def write_sheet_template(kind: str, target: str | Path, *, force: bool = False) -> list[Path]:
    target = Path(target)
    main, row, list_headers, list_rows = template_rows(kind)
    if target.suffix.lower() == ".csv":
        return [atomic_write(target, _csv([c.title for c in main], [row]), force=force),
                atomic_write(target.with_suffix(".listor.csv"), _csv(list_headers, list_rows), force=force)]
    return [atomic_write(target, _xlsx(kind, main, row, list_headers, list_rows), force=force)]


def _csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for r in rows:
        writer.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(kind: str, main: list[Column], row: list[Any], list_headers: list[str], list_rows: list[list[Any]]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..kinds import KINDS

    wb = openpyxl.Workbook()
    data = wb.active
    data.title = _DATA_SHEET
    data.append([c.title for c in main])
    data.append(row)
    for i, col in enumerate(main, start=1):
        if col.schema.get("type", "string") == "string" and "enum" not in col.schema:
            # text format: Excel keeps leading zeros (personnummer, phone) and dates as typed
            for r in range(2, 202):
                data.cell(row=r, column=i).number_format = "@"
        data.cell(row=1, column=i).font = Font(bold=True)
        data.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(col.title) + 2))
    data.freeze_panes = "A2"
    lists = wb.create_sheet(_LIST_SHEET)
    lists.append(list_headers)
    for r in list_rows:
        lists.append(r)
    for i in range(1, len(list_headers) + 1):
        lists.cell(row=1, column=i).font = Font(bold=True)
    helpsheet = wb.create_sheet(_HELP_SHEET)
    helpsheet.append([f"{KINDS[kind].name_sv} – så fyller du i bladet"])
    helpsheet.append(["En rad per barn på bladet Data. Listor (kallade, deltagare, insatser …) fylls i på bladet "
                      "Listor, en rad per post, med samma case_id och listans namn i kolumnen list. "
                      "Datum skrivs ÅÅÅÅ-MM-DD, klockslag TT:MM, ja/nej som ja eller nej."])
    helpsheet.append([])
    helpsheet.append(["Kolumn", "Nyckel", "Typ", "Obligatorisk", "Tillåtna värden", "Beskrivning"])
    for col in main:
        helpsheet.append([col.title, col.key, col.type_name, "ja" if col.required else "nej", _allowed(col),
                          col.schema.get("description", "")])
    model = columns_for(kind)
    for key, spec in model.lists.items():
        for col in spec.item_columns:
            helpsheet.append([f"{_LIST_SHEET}: {col.title}", f"{key}[].{col.key}", col.type_name,
                              "ja" if col.required else "nej", _allowed(col), col.schema.get("description", "")])
    helpsheet.cell(row=4, column=1).font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
