"""The sheet template works as written (issue 15, points 4, 5 and 7).

A sheet made by ``sipdocs sheet-template`` for every kind, filled with three rows through its
own dropdown values (openpyxl writes the values its data-validation lists offer), renders
with ``sipdocs bulk FILE --kind KIND`` and no other option — as XLSX, as ODS (the filled
workbook saved by LibreOffice Calc, dropdowns kept) and as CSV (with its companion list
file). The terminal says in Swedish which rows failed and why.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sipdocs.bulk.columns import columns_for
from sipdocs.bulk.template import CHOICES_SHEET, DATA_SHEET, HELP_SHEET, LIST_SHEET, TEMPLATE_ROWS
from sipdocs.vocabulary import vocabulary

from .conftest import KINDS, REPO

ROWS = 3


def _options(wb: Any, ws: Any) -> dict[int, tuple[list[str], bool]]:
    """column number → (the values of its dropdown, whether other values are refused)."""
    from openpyxl.utils.cell import range_boundaries

    out: dict[int, tuple[list[str], bool]] = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        formula = dv.formula1
        if formula.startswith('"'):
            values = formula.strip('"').split(",")
        else:
            sheet, ref = formula.lstrip("=").split("!")
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
            values = [wb[sheet].cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row == TEMPLATE_ROWS, rng
            out[rng.min_col] = (values, bool(dv.showErrorMessage))
    return out


def _pick(value: Any, options: tuple[list[str], bool] | None, where: str) -> Any:
    """The dropdown's own value for ``value`` (each part of a ;-list), asserting it is offered."""
    if options is None or value in (None, ""):
        return value
    values, strict = options
    if not strict:  # a column of several choices: each part is a dropdown value
        parts = [p.strip() for p in str(value).split(";")]
        assert all(p in values for p in parts), (where, parts, values)
        return "; ".join(values[values.index(p)] for p in parts)
    assert value in values, (where, value, values)
    return values[values.index(value)]


def _fill(template: Path, target: Path) -> None:
    """Three rows on Data and their list rows on Listor, every choice taken from the dropdowns."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    data, lists = wb[DATA_SHEET], wb[LIST_SHEET]
    headers = [c.value for c in data[1]]
    case_col = headers.index("Ärende-id")
    example = [c.value for c in data[2]]
    list_example = [[c.value for c in row] for row in lists.iter_rows(min_row=2)]
    data_opts, list_opts = _options(wb, data), _options(wb, lists)
    data.delete_rows(2, data.max_row)
    lists.delete_rows(2, lists.max_row)
    for n in range(ROWS):
        case = f"RAD-{n + 1}"
        for col, value in enumerate(example, start=1):
            value = case if col - 1 == case_col else _pick(value, data_opts.get(col), headers[col - 1])
            cell = data.cell(row=2 + n, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd"
        for item in list_example:
            row = lists.max_row + 1
            for col, value in enumerate(item, start=1):
                value = case if col == 1 else _pick(value, list_opts.get(col), f"Listor {col}")
                lists.cell(row=row, column=col, value=value)
    wb.save(target)


def _bulk(sheet: Path, kind: str) -> subprocess.CompletedProcess[str]:
    """``sipdocs bulk SHEET --kind KIND`` and no other option, as a convener runs it."""
    return subprocess.run([sys.executable, "-m", "sipdocs", "bulk", str(sheet), "--kind", kind],
                          env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True,
                          cwd=sheet.parent, timeout=600)


def _assert_rendered(result: subprocess.CompletedProcess[str], sheet: Path, kind: str) -> None:
    assert result.returncode == 0, (kind, sheet.name, result.stdout, result.stderr)
    outdir = sheet.with_name(sheet.stem)  # the default folder: named after the sheet, beside it
    docs = sorted(outdir.glob(f"row-*-{kind}.docx"))
    assert len(docs) == ROWS, (kind, sheet.name, result.stdout, result.stderr)
    assert f"{ROWS} av {ROWS} rader klara, 0 med fel" in result.stdout


@pytest.mark.slow
def test_filled_template_renders_with_no_other_flag_as_xlsx_ods_and_csv(tmp_path, run_cli):
    filled: dict[str, Path] = {}
    for kind in KINDS:
        template = tmp_path / f"mall-{kind}.xlsx"
        code, _, _ = run_cli("sheet-template", kind, "-o", str(template))
        assert code == 0
        (tmp_path / "xlsx").mkdir(exist_ok=True)
        filled[kind] = tmp_path / "xlsx" / f"{kind}.xlsx"
        _fill(template, filled[kind])
    # LibreOffice Calc opens every filled workbook and saves it as ODS, dropdowns and all
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice Calc is installed by `make test` (libreoffice-calc-nogui)"
    ods_dir = tmp_path / "ods"
    converted = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                                "--convert-to", "ods", "--outdir", str(ods_dir), *map(str, filled.values())],
                               capture_output=True, text=True, timeout=600)
    assert converted.returncode == 0 and "Error" not in converted.stderr, converted.stderr
    for kind in KINDS:
        ods = ods_dir / f"{kind}.ods"
        content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
        assert "of:cell-content-is-in-list([$Val." in content, kind  # the dropdowns survive in Calc
        for sheet in (filled[kind], ods):
            _assert_rendered(_bulk(sheet, kind), sheet, kind)
    # CSV: the template's two files, three rows written in each, the dropdown labels as values
    for kind in KINDS:
        folder = tmp_path / "csv" / kind
        folder.mkdir(parents=True)
        code, out, _ = run_cli("sheet-template", kind, "-o", str(folder / f"{kind}.csv"))
        assert code == 0 and f"{kind}.listor.csv" in out
        _fill_csv(folder / f"{kind}.csv", filled[kind])
        _assert_rendered(_bulk(folder / f"{kind}.csv", kind), folder / f"{kind}.csv", kind)


def _fill_csv(sheet: Path, xlsx: Path) -> None:
    """Write the filled workbook's rows into the CSV template and its companion list file."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    for ws, path in ((wb[DATA_SHEET], sheet), (wb[LIST_SHEET], sheet.with_name(sheet.stem + ".listor.csv"))):
        template_headers = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
        assert template_headers == [c.value for c in ws[1]]  # CSV and XLSX templates agree
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(template_headers)
        for row in ws.iter_rows(min_row=2, values_only=True):
            writer.writerow(["" if v is None else v.date().isoformat() if isinstance(v, datetime) else v
                             for v in row])
        path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_choice_column_has_a_dropdown_of_labels_that_convert_to_codes(kind, tmp_path, run_cli):
    import openpyxl

    target = tmp_path / "t.xlsx"
    assert run_cli("sheet-template", kind, "-o", str(target))[0] == 0
    wb = openpyxl.load_workbook(target)
    assert wb[CHOICES_SHEET].sheet_state == "hidden"
    data = wb[DATA_SHEET]
    headers = [c.value for c in data[1]]
    options = _options(wb, data)
    model = {c.title: c for c in columns_for(kind).template_columns()}
    vocab = vocabulary()
    dates = {r.min_col for dv in data.data_validations.dataValidation if dv.type == "date" for r in dv.sqref.ranges}
    for number, header in enumerate(headers, start=1):
        col = model[header]
        letter = data.cell(row=1, column=number).column_letter
        if col.is_choice:
            values, strict = options[number]
            assert strict != col.scalar_list, header  # several choices: other text allowed
            for label in values:  # every dropdown value is understood, as the code it names
                assert vocab.code_for(label, col.schema["enum"]) in col.schema["enum"], (header, label)
        elif col.is_boolean:
            assert options[number] == (["ja", "nej"], True), header
        elif col.is_date:
            assert number in dates and data.column_dimensions[letter].number_format == "yyyy-mm-dd", header
            example = data.cell(row=2, column=number)
            if example.value is not None:
                assert example.is_date and example.number_format == "yyyy-mm-dd", header
        elif col.schema.get("type", "string") == "string":
            assert data.column_dimensions[letter].number_format == "@", header  # text: zeros and 13.00 stay
    # the instructions list labels, not codes
    rows = [[c.value for c in r] for r in wb[HELP_SHEET].iter_rows(min_row=5)]
    for header, _, _, _, values, _ in rows:
        col = model.get(header)
        if col is not None and col.is_choice and values:
            labels = vocab.labels(list(col.schema["enum"]), "sv")
            assert values.split(" | ") == list(labels.values()), header


def test_list_sheet_has_swedish_headers_and_child_interpreter_columns_say_so(tmp_path, run_cli):
    assert run_cli("sheet-template", "invitation", "-o", str(tmp_path / "t.csv"))[0] == 0
    lists = (tmp_path / "t.listor.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lists[0].startswith("Ärende-id;Lista;")
    assert "Kallade och inbjudna" in "\n".join(lists) and ";invitees;" not in "\n".join(lists)
    headers = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert [h for h in headers if "tolk" in h.lower() and not h.startswith("Vårdnadshavare")] == [
        "Barnets tolk – Tolk behövs", "Barnets tolk – Språk", "Barnets tolk – Tolkform",
        "Barnets tolk – Anhörig tolkar"]


def test_csv_without_its_list_file_says_what_to_pass(tmp_path, run_cli):
    assert run_cli("sheet-template", "invitation", "-o", str(tmp_path / "k.csv"))[0] == 0
    (tmp_path / "k.listor.csv").unlink()
    code, out, err = run_cli("bulk", str(tmp_path / "k.csv"), "--kind", "invitation", "--jobs", "1")
    assert code == 4
    assert "Listorna (Kallade och inbjudna) saknas: fyll i dem i filen k.listor.csv bredvid" in err
    assert "--lists" in err


def test_terminal_names_each_failed_row_its_column_and_the_warnings(tmp_path, run_cli):
    from .sheetdata import invitation_rows, write_csv

    rows = invitation_rows(6, {1: "date", 3: "form"})
    rows[4][7] = "701234567"  # a phone number that lost its leading zero: a warning
    sheet = write_csv(tmp_path / "kallelser.csv", rows)
    code, out, err = run_cli("bulk", str(sheet), "--kind", "invitation", "--jobs", "1")
    assert code == 4
    assert "rad 3: Mötesdatum – Obligatoriskt fält saknas: Mötesdatum (/meeting/date)." in err
    assert re.search(r"rad 5: Mötesform – Otillåtet värde i Mötesform \(/meeting/form\); välj bland: "
                     r"”Fysiskt möte” \(in_person\)", err)
    assert "invalid" not in err and "rad 2" not in err
    assert "4 av 6 rader klara, 2 med fel, 1 varning (" in out
    assert f"Alla fel och varningar per rad och kolumn: {tmp_path / 'kallelser' / 'report.csv'}" in out
    assert (tmp_path / "kallelser" / "row-0002-invitation.docx").is_file()  # the folder is named after the sheet
    code, out, err = run_cli("bulk", str(sheet), "--kind", "invitation", "--jobs", "1", "--messages", "en",
                             "--dry-run", "-o", str(tmp_path / "dry"))
    assert "row 3: Mötesdatum – Required field missing: /meeting/date." in err
    assert "4 of 6 rows checked, 2 with errors, 1 warning (" in out


def test_progress_bar_keeps_failed_rows_visible_on_a_terminal(capsys, monkeypatch):
    from sipdocs.cli.bulk import _Progress

    progress = _Progress(3, "sv", enabled=True)
    progress.step()
    progress.line("rad 3: Mötesdatum – saknas")
    progress.step()
    progress.close()
    err = capsys.readouterr().err
    assert "\r\x1b[K" + "rad 3: Mötesdatum – saknas\n" in err  # bar cleared, line printed, bar drawn again
    assert err.count("/3") == 3 and err.endswith("\n")
    quiet = _Progress(3, "sv", enabled=False)
    quiet.line("rad 3: x")
    assert capsys.readouterr().err == "rad 3: x\n"


def test_semicolon_csv_with_commas_in_headers_and_text_is_read_as_semicolon(tmp_path, run_cli):
    from sipdocs.bulk.sheets import detect_delimiter

    for kind in KINDS:  # the template's own CSV: headers such as "Skola/förskola, klass"
        assert run_cli("sheet-template", kind, "-o", str(tmp_path / f"{kind}.csv"))[0] == 0
        text = (tmp_path / f"{kind}.csv").read_text(encoding="utf-8-sig")
        assert detect_delimiter(text) == ";", kind
    assert detect_delimiter("case_id,child.name\r\nA-1,Kim\r\n") == ","
    assert detect_delimiter("case_id\tchild.name\r\n") == "\t"


def test_sipdocs_bulk_stays_callable_after_its_modules_are_imported(tmp_path):
    import importlib

    import sipdocs
    import sipdocs.bulk.columns

    from .sheetdata import invitation_rows, write_csv

    sheet = write_csv(tmp_path / "k.csv", invitation_rows(1))
    run = sipdocs.bulk(sheet, "invitation", jobs=1, dry_run=True)
    assert [o.status for o in run] == ["valid"]
    assert importlib.import_module("sipdocs.bulk").bulk is not None
