"""``sipdocs sheet-template KIND``: a ready-to-fill spreadsheet for bulk rendering.

What a convener gets, and ``sipdocs bulk FILE --kind KIND`` reads back with no other flag:

* **XLSX** (opens in Excel and LibreOffice Calc; save it as ODS in Calc if you like):
  ``Data`` (Swedish headers, one example row), ``Listor`` (one row per list item: *Ärende-id*,
  *Lista* and the item's fields), ``Instruktioner`` (each column's type, whether it is
  required, its choices as labels) and a hidden ``Val`` sheet holding the choices.
  Every choice column has a dropdown (an Excel data-validation list) of the Swedish labels,
  yes/no columns offer *ja*/*nej*, a column holding several choices offers them but takes
  ``;``-separated text too. Date columns are date cells shown ``ÅÅÅÅ-MM-DD``; text and time
  columns are text cells, so Excel keeps the leading zeros of personnummer and phone
  numbers and leaves ``13.00`` as typed. Each typed column shows a short hint when selected.
* **CSV**: ``NAME.csv`` and its companion ``NAME.listor.csv`` (the list sheet), UTF-8 with
  BOM and ``;`` — what Swedish Excel opens directly; ``bulk NAME.csv`` finds the companion.

The example row is the kind's sample, with every choice written as its Swedish label.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..kinds import KINDS
from ..output import atomic_write
from ..resources import data_root
from ..vocabulary import vocabulary
from .columns import Column, columns_for

DATA_SHEET = "Data"
LIST_SHEET = "Listor"
HELP_SHEET = "Instruktioner"
CHOICES_SHEET = "Val"
LIST_CASE_HEADER = "Ärende-id"
LIST_NAME_HEADER = "Lista"
#: rows of the data and list sheets that get dropdowns and hints
TEMPLATE_ROWS = 1000
COMPANION_SUFFIX = ".listor.csv"

__all__ = ["TemplateModel", "template_model", "write_sheet_template", "companion_path",
           "DATA_SHEET", "LIST_SHEET", "HELP_SHEET", "CHOICES_SHEET", "LIST_CASE_HEADER", "LIST_NAME_HEADER"]


def companion_path(sheet: Path) -> Path:
    """The list file that goes with a CSV sheet: ``NAME.csv`` → ``NAME.listor.csv``."""
    return sheet.with_name(sheet.stem + COMPANION_SUFFIX)


def _example(kind: str) -> dict[str, Any]:
    path = data_root() / "samples" / f"{kind}.json"
    if path.is_file():
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

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


def choices(col: Column) -> list[str]:
    """The dropdown of a column: Swedish labels of its codes, or ja/nej."""
    if col.is_choice:
        return list(vocabulary().labels(list(col.schema["enum"]), "sv").values())
    if col.is_boolean:
        return ["ja", "nej"]
    return []


def _cell(col: Column, value: Any) -> Any:
    """A value of the example as a person types it: labels, ja/nej, dates, 13.00."""
    if value is None:
        return None
    if col.scalar_list:
        items = value if isinstance(value, list) else [value]
        if col.is_choice:
            labels = dict(zip(col.schema["enum"], choices(col)))
            items = [labels.get(v, v) for v in items]
        return "; ".join(str(v) for v in items)
    if col.is_choice:
        return dict(zip(col.schema["enum"], choices(col))).get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if col.is_date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if col.is_time and isinstance(value, str):
        return value.replace(":", ".")
    return value


@dataclass(frozen=True)
class TemplateModel:
    """What the template holds, for every format.

    :param main: the data sheet's columns; ``row`` its example row.
    :param list_columns: the list sheet's item columns (shared between lists by key).
    :param list_rows: example list rows: Ärende-id, list title, item cells.
    :param list_titles: the Swedish titles of the kind's lists (the *Lista* dropdown).
    """

    kind: str
    main: list[Column]
    row: list[Any]
    list_columns: list[Column]
    list_rows: list[list[Any]]
    list_titles: list[str]

    @property
    def list_headers(self) -> list[str]:
        return [LIST_CASE_HEADER, LIST_NAME_HEADER, *[c.title for c in self.list_columns]]


def template_model(kind: str) -> TemplateModel:
    model = columns_for(kind)
    example = _example(kind)
    example.setdefault("case_id", "EXEMPEL-1")
    main = [c for c in model.template_columns() if c.key not in ("pack", "lang")]
    row = [_cell(c, _get(example, c.path)) for c in main]
    item_cols: dict[str, Column] = {}
    lists = [spec for key, spec in model.lists.items() if key != "guardians"]
    for spec in lists:
        for col in spec.item_columns:
            item_cols.setdefault(col.key, col)
    list_rows = []
    for spec in lists:
        own = {c.key: c for c in spec.item_columns}
        for item in _get(example, spec.path) or []:
            cells: list[Any] = [example["case_id"], spec.title]
            for key in item_cols:
                cells.append(_cell(own[key], _get(item, own[key].path)) if key in own else None)
            list_rows.append(cells)
    return TemplateModel(kind, main, row, list(item_cols.values()), list_rows, [s.title for s in lists])


def write_sheet_template(kind: str, target: str | Path, *, force: bool = False) -> list[Path]:
    """Write the template for ``kind`` to ``target`` (``.xlsx``, or ``.csv`` plus its companion)."""
    target = Path(target)
    model = template_model(kind)
    if target.suffix.lower() == ".csv":
        return [atomic_write(target, _csv([c.title for c in model.main], [model.row]), force=force),
                atomic_write(companion_path(target), _csv(model.list_headers, model.list_rows), force=force)]
    return [atomic_write(target, _xlsx(model), force=force)]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for r in rows:
        writer.writerow([_csv_value(v) for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------------

class _Choices:
    """The hidden sheet of dropdown values: one column per distinct list of choices."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, title: str, values: list[str]) -> str:
        from openpyxl.utils import get_column_letter  # start-up: openpyxl (~170 ms) only for XLSX templates

        key = tuple(values)
        if key not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            self.sheet.cell(row=1, column=column, value=title)
            for i, value in enumerate(values, start=2):
                self.sheet.cell(row=i, column=column, value=value)
            self.ranges[key] = f"{CHOICES_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[key]


def _validate_column(ws: Any, letter: str, col: Column | None, pool: _Choices, *, values: list[str] | None = None,
                     title: str = "") -> None:
    """Attach the dropdown or hint of one column to rows 2..TEMPLATE_ROWS."""
    from openpyxl.worksheet.datavalidation import DataValidation  # start-up: openpyxl (~170 ms) only for XLSX templates

    cells = f"{letter}2:{letter}{TEMPLATE_ROWS}"
    dv: Any = None
    options = values if values is not None else (choices(col) if col is not None else [])
    if options:
        several = col is not None and col.scalar_list
        dv = DataValidation(type="list", formula1="=" + pool.range_for(title or (col.title if col else ""), options),
                            allow_blank=True, showErrorMessage=not several, errorStyle="stop",
                            errorTitle="Välj i listan", error="Välj ett av värdena i listan.",
                            promptTitle="Flera val" if several else None,
                            prompt="Välj ett värde; flera skrivs med ; emellan." if several else None,
                            showInputMessage=several)
    elif col is not None and col.is_date:
        dv = DataValidation(type="date", operator="between", formula1="1", formula2="109574", allow_blank=True,
                            errorStyle="warning", errorTitle="Datum", error="Skriv datum som ÅÅÅÅ-MM-DD.",
                            promptTitle="Datum", prompt="Skriv ÅÅÅÅ-MM-DD, till exempel 2026-05-12.",
                            showInputMessage=True, showErrorMessage=True)
    elif col is not None and col.is_time:
        dv = DataValidation(allow_blank=True, promptTitle="Klockslag", prompt="Skriv TT.MM, till exempel 13.00.",
                            showInputMessage=True)
    if dv is not None:
        dv.add(cells)
        ws.add_data_validation(dv)


def _format_columns(ws: Any, columns: list[Column | None], first: int) -> None:
    """Date columns as dates shown ÅÅÅÅ-MM-DD; text and time columns as text (leading zeros stay)."""
    from openpyxl.utils import get_column_letter  # start-up: openpyxl (~170 ms) only for XLSX templates

    for index, col in enumerate(columns, start=first):
        if col is None:
            fmt = "@"
        elif col.is_date:
            fmt = "yyyy-mm-dd"
        elif col.schema.get("type", "string") == "string" or col.scalar_list:
            fmt = "@"
        else:
            continue
        ws.column_dimensions[get_column_letter(index)].number_format = fmt
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=index).number_format = fmt


def _header(ws: Any, titles: list[str]) -> None:
    from openpyxl.styles import Font  # start-up: openpyxl (~170 ms) only for XLSX templates
    from openpyxl.utils import get_column_letter

    ws.append(titles)
    for i, title in enumerate(titles, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(title) + 2))
    ws.freeze_panes = "A2"


def _swedish(description: Any) -> str:
    return str(description or "").split(" — ")[0]


def _xlsx(model: TemplateModel) -> bytes:
    import openpyxl  # start-up: openpyxl (~170 ms) only for XLSX templates
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    data = wb.active
    data.title = DATA_SHEET
    lists = wb.create_sheet(LIST_SHEET)
    helpsheet = wb.create_sheet(HELP_SHEET)
    pool = _Choices(wb.create_sheet(CHOICES_SHEET))
    pool.sheet.sheet_state = "hidden"

    _header(data, [c.title for c in model.main])
    data.append(model.row)
    _format_columns(data, list(model.main), 1)
    for i, col in enumerate(model.main, start=1):
        _validate_column(data, get_column_letter(i), col, pool)

    _header(lists, model.list_headers)
    for r in model.list_rows:
        lists.append(r)
    _format_columns(lists, [None, None, *model.list_columns], 1)
    _validate_column(lists, "B", None, pool, values=model.list_titles, title=LIST_NAME_HEADER)
    for i, col in enumerate(model.list_columns, start=3):
        _validate_column(lists, get_column_letter(i), col, pool)

    helpsheet.append([f"{KINDS[model.kind].name_sv} – så fyller du i bladet"])
    helpsheet.append([
        "En rad per barn på bladet Data. Listor (kallade, deltagare, insatser …) fylls i på bladet Listor, en rad "
        "per post: samma Ärende-id som raden på bladet Data och listans namn i kolumnen Lista. Val görs i "
        "rullgardinslistan i cellen. Datum skrivs ÅÅÅÅ-MM-DD, klockslag 13.00, ja/nej som ja eller nej. "
        "Exempelraden kan skrivas över eller tas bort."])
    helpsheet.append([])
    helpsheet.append(["Kolumn", "Blad", "Typ", "Obligatorisk", "Val (skriv eller välj)", "Beskrivning"])
    for col in model.main:
        helpsheet.append([col.title, DATA_SHEET, col.type_name, "ja" if col.required else "nej",
                          " | ".join(choices(col)), _swedish(col.schema.get("description"))])
    helpsheet.append([LIST_CASE_HEADER, LIST_SHEET, "text", "ja", "", "Samma Ärende-id som raden på bladet Data."])
    helpsheet.append([LIST_NAME_HEADER, LIST_SHEET, "val i listan", "ja", " | ".join(model.list_titles),
                      "Vilken lista raden hör till."])
    for col in model.list_columns:
        helpsheet.append([col.title, LIST_SHEET, col.type_name, "ja" if col.required else "nej",
                          " | ".join(choices(col)), _swedish(col.schema.get("description"))])
    helpsheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    helpsheet.cell(row=2, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    helpsheet.merge_cells("A2:F2")
    helpsheet.row_dimensions[2].height = 75
    for i in range(1, 7):
        helpsheet.cell(row=4, column=i).font = Font(bold=True)
    for letter, width in zip("ABCDEF", (38, 10, 28, 12, 60, 80)):
        helpsheet.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
