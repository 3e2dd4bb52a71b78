"""Reading spreadsheets: CSV (Swedish Excel dialects), XLSX and ODS, safely.

* **CSV**: the encoding is detected (UTF-8 with BOM → UTF-8 → cp1252, the Swedish Excel
  "CSV" default) and the delimiter too (``;`` as Swedish Excel writes it, ``,`` or tab);
  both are reported and can be overridden. Every value stays text, so leading zeros in
  personnummer, postcodes and phone numbers survive.
* **XLSX/ODS**: read with python-calamine (several times faster than openpyxl);
  openpyxl is the fallback for XLSX. Date-formatted cells arrive as dates; numbers stay
  numbers until the schema says what the column is (see :mod:`sipdocs.bulk.convert`).
* **Limits**: before a workbook is loaded, its declared dimensions are read from the
  package (XLSX ``<dimension ref>``, ODS repeated rows/columns that carry data) and an
  absurd sheet is refused (``sheet.too_large``) instead of exhausting memory; a damaged
  file is ``sheet.unreadable``.

Blank rows are skipped; row numbers are kept as the spreadsheet shows them (header = 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from python_calamine import CalamineError, CalamineWorkbook

from ..catalogue import phrase
from ..errors import SheetError
from .template import companion_path

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000
MAX_XML_BYTES = 512 * 1024 * 1024  # uncompressed size of one worksheet part
LIST_SHEET_NAMES = ("listor", "lists", "list", "lista")


@dataclass
class Table:
    """One sheet: headers and the non-blank rows with their spreadsheet row numbers."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Workbook:
    main: Table
    lists: Table | None
    info: dict[str, Any]
    date1904: bool = False


def _err(key: str, details: dict[str, Any] | None = None, **params: Any) -> SheetError:
    """The :class:`SheetError` with the catalogue's message ``key`` (:mod:`sipdocs.catalogue`)."""
    return SheetError.from_code(key, details=details, **params)


def read_workbook(path: str | os.PathLike[str], *, encoding: str | None = None, delimiter: str | None = None,
                  sheet: str | None = None, lists: str | os.PathLike[str] | None = None) -> Workbook:
    """Read the main sheet and the list sheet: a sheet named Listor/Lists in a workbook, the file
    ``lists``, or — for ``NAME.csv`` — the companion ``NAME.listor.csv`` when it exists."""
    path = Path(path)
    if not path.is_file():
        raise _err("sheet.not_found", path=path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        main = read_csv(path, encoding=encoding, delimiter=delimiter)
        book = Workbook(main=main, lists=None, info=dict(main.info))
    elif suffix in (".xlsx", ".xlsm", ".ods"):
        book = read_spreadsheet(path, sheet=sheet)
    else:
        raise _err("sheet.unsupported", suffix=suffix or phrase("word.none"))
    if lists is None and book.lists is None and suffix in (".csv", ".txt", ".tsv"):
        # the companion file sheet-template writes beside a CSV: NAME.csv → NAME.listor.csv

        companion = companion_path(path)
        if companion.is_file() and companion != path:
            lists = companion
    if lists is not None:
        extra = read_workbook(lists, encoding=encoding, delimiter=delimiter)
        book.lists = extra.main
        book.info["lists_file"] = Path(lists).name
    return book


# --- CSV ------------------------------------------------------------------------------------------

def detect_encoding(raw: bytes) -> tuple[str, str]:
    """(python codec, reported name): UTF-8 with BOM, else UTF-8, else cp1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "UTF-8 (BOM)"
    try:
        raw.decode("utf-8")
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        return "cp1252", "Windows-1252"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns (``;`` on a tie).

    The header decides, not a sample of the data: Swedish headers and free-text cells hold
    commas ("Skola/förskola, klass"), which make ``csv.Sniffer`` take a semicolon file for a
    comma file.
    """
    first = next(iter(text.splitlines()), "")
    best, widest = ";", 1
    for delimiter in (";", "\t", ","):
        try:
            width = len(next(csv.reader([first], delimiter=delimiter), []))
        except csv.Error:
            continue
        if width > widest:
            best, widest = delimiter, width
    return best


def read_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    raw = path.read_bytes()
    if encoding:
        codec, reported = encoding, encoding
    else:
        codec, reported = detect_encoding(raw)
    try:
        text = raw.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise _err("sheet.encoding", {"encoding": reported}, file=path.name, encoding=reported) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    delim = delimiter or detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise _err("sheet.unreadable#csv", file=path.name, reason=exc) from exc
    if len(all_rows) > MAX_ROWS + 1:
        raise _err("sheet.too_large#rows", {"rows": len(all_rows)}, file=path.name, limit=MAX_ROWS)
    table = _table(path.stem, all_rows)
    names = {";": "semikolon (;)", ",": "komma (,)", "\t": "tabb"}
    table.info.update(encoding=reported, delimiter=names.get(delim, delim))
    return table


def _table(name: str, rows: list[list[Any]]) -> Table:
    if not rows:
        raise _err("sheet.empty", sheet=name)
    width = max(len(r) for r in rows)
    if width > MAX_COLUMNS:
        raise _err("sheet.too_large#columns", {"columns": width}, sheet=name, limit=MAX_COLUMNS)
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue
        body.append((number, list(row) + [None] * (len(headers) - len(row))))
    return Table(name=name, headers=headers, rows=body)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- XLSX / ODS -----------------------------------------------------------------------------------

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx_dimensions(path: Path) -> bool:
    """Refuse absurd XLSX sheets before loading; returns whether the 1904 date system is used."""
    try:
        with zipfile.ZipFile(path) as zf:
            date1904 = b'date1904="1"' in zf.read("xl/workbook.xml") if "xl/workbook.xml" in zf.namelist() \
                else False
            for info in zf.infolist():
                if not re.match(r"xl/worksheets/sheet\d+\.xml$", info.filename):
                    continue
                if info.file_size > MAX_XML_BYTES:
                    raise _err("sheet.too_large#worksheet", file=path.name, bytes=info.file_size)
                with zf.open(info) as fh:
                    head = fh.read(4096).decode("utf-8", "replace")
                m = re.search(r'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"', head)
                if m:
                    last = m.group(2) or m.group(1)
                    col, row = _CELL_REF.match(last).groups()  # type: ignore[union-attr]
                    _check_size(path, int(row), _col_number(col))
    except zipfile.BadZipFile as exc:
        raise _err("sheet.unreadable#xlsx", file=path.name) from exc
    return date1904


def _check_size(path: Path, rows: int, cols: int) -> None:
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise _err("sheet.too_large#declared", {"rows": rows, "columns": cols}, file=path.name, rows=rows, columns=cols,
                   max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


def check_ods_dimensions(path: Path) -> None:
    """Count the rows/columns an ODS sheet really uses (repeats of empty rows don't count)."""
    ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("content.xml")
            if info.file_size > MAX_XML_BYTES:
                raise _err("sheet.too_large#file", file=path.name)
            with zf.open(info) as fh:
                rows = 0
                for _event, el in iterparse(fh, events=("end",)):
                    if el.tag == f"{{{ns}}}table-row":
                        repeat = int(el.get(f"{{{ns}}}number-rows-repeated", "1"))
                        has_data = any((c.text or "").strip() or len(c) for c in el.iter()
                                       if c is not el and c.tag != f"{{{ns}}}table-cell")
                        if has_data:
                            rows += repeat
                            width = sum(int(c.get(f"{{{ns}}}number-columns-repeated", "1"))
                                        for c in el if c.tag == f"{{{ns}}}table-cell" and len(c))
                            _check_size(path, rows, width)
                        el.clear()
                    elif el.tag == f"{{{ns}}}table":
                        rows = 0
    except (zipfile.BadZipFile, KeyError) as exc:
        raise _err("sheet.unreadable#ods", file=path.name) from exc
    except SheetError:
        raise
    except Exception as exc:
        raise _err("sheet.unreadable#ods", file=path.name) from exc


def read_spreadsheet(path: Path, *, sheet: str | None = None) -> Workbook:
    suffix = path.suffix.lower()
    date1904 = check_xlsx_dimensions(path) if suffix != ".ods" else False
    if suffix == ".ods":
        check_ods_dimensions(path)
    try:
        names, read = _calamine(path)
        engine = "python-calamine"
    except (ImportError, SheetError):
        if suffix == ".ods":
            raise
        names, read = _openpyxl(path)
        engine = "openpyxl"
    if not names:
        raise _err("sheet.empty#no_sheets", file=path.name)
    main_name = sheet or next((n for n in names if n.casefold() not in LIST_SHEET_NAMES), names[0])
    if main_name not in names:
        raise _err("sheet.not_found#sheet", file=path.name, sheet=main_name, known=", ".join(names))
    main = _table(main_name, read(main_name))
    list_name = next((n for n in names if n.casefold() in LIST_SHEET_NAMES and n != main_name), None)
    lists = _table(list_name, read(list_name)) if list_name else None
    info = {"engine": engine, "sheet": main_name}
    if list_name:
        info["list_sheet"] = list_name
    return Workbook(main=main, lists=lists, info=info, date1904=date1904)


def _calamine(path: Path) -> tuple[list[str], Any]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
    except (CalamineError, OSError, ValueError) as exc:
        raise _err("sheet.unreadable#type", file=path.name, kind=type(exc).__name__) from exc

    def read(name: str) -> list[list[Any]]:
        try:
            return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as exc:
            raise _err("sheet.unreadable#sheet", sheet=name) from exc

    return names, read


def _openpyxl(path: Path) -> tuple[list[str], Any]:
    import openpyxl  # start-up: openpyxl (~170 ms) only for files calamine cannot read

    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise _err("sheet.unreadable#file", file=path.name) from exc

    def read(name: str) -> list[list[Any]]:
        return [list(r) for r in wb[name].iter_rows(values_only=True)]

    return list(wb.sheetnames), read
