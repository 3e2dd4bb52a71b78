"""Fictitious spreadsheet data for bulk tests, written as CSV (any encoding), XLSX and ODS.

Only the test personnummer listed in DOMAIN.md §5 are used; names are invented.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

FIRST = ["Alex", "Kim", "Robin", "Sam", "Love", "Noa", "Ellis", "Vide", "Juno", "Tintin"]
LAST = ["Testsson", "Exempel", "Provström", "Åkerblom", "Östgård", "Ängkvist"]

HEADERS = [
    "Ärende-id", "Datum", "Sammankallande – Namn", "Sammankallande – Verksamhet", "Barnets namn",
    "Barnets personnummer", "Vårdnadshavare 1 – Namn", "Vårdnadshavare 1 – Telefon", "Mötesdatum",
    "Starttid", "Sluttid", "Plats/lokal", "Mötesform", "Syfte och frågeställningar",
    "Barnets delaktighet", "Samtycke inhämtat", "invitees.1.organisation", "invitees.1.actor_kind",
    "invitees.2.organisation", "invitees.2.actor_kind",
]
DATE_COLUMNS = {"Datum", "Mötesdatum"}


def invitation_rows(n: int, bad: dict[int, str] | None = None) -> list[list[Any]]:
    """``n`` invitation rows; ``bad`` maps a 0-based row index to a defect
    (``pnr`` wrong check digit, ``date`` missing meeting date, ``form`` unknown meeting form)."""
    bad = bad or {}
    rows = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        row = [
            f"CASE-{i + 1:04d}", datetime.date(2026, 4, 1), "Kim Kurator", "Testskolan", name,
            "20170101-2393", f"Förälder {i + 1} Testsson", "070-000 00 01", datetime.date(2026, 5, 12),
            "13:00", "15:00", "Testskolan, rum 2", "Fysiskt möte",
            f"Skolgång och stöd hemma för ärende {i + 1} & <familjen>.", "hela mötet", "ja",
            "Testskolan", "SKOLA", "BUP Testregionen", "BUP",
        ]
        defect = bad.get(i)
        if defect == "pnr":
            row[HEADERS.index("Barnets personnummer")] = "20170101-2394"
        elif defect == "date":
            row[HEADERS.index("Mötesdatum")] = None
        elif defect == "form":
            row[HEADERS.index("Mötesform")] = "brevduva"
        rows.append(row)
    return rows


BAD_COLUMNS = {"pnr": "Barnets personnummer", "date": "Mötesdatum", "form": "Mötesform"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "cp1252", delimiter: str = ";",
              bom: bool = False) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_text(v) for v in row])
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    for r in range(2, len(rows) + 2):
        for c, header in enumerate(HEADERS, start=1):
            cell = ws.cell(row=r, column=c)
            if header in DATE_COLUMNS and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"  # a date-formatted cell (Excel date serial)
            elif isinstance(cell.value, str):
                cell.number_format = "@"  # text keeps the leading zero of "070-…"
    wb.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[Any]]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Data")

    def add(values: list[Any]) -> None:
        tr = TableRow()
        for value in values:
            if isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.isoformat()))
            elif value is None:
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)

    add(HEADERS)
    for row in rows:
        add(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
