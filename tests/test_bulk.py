"""Bulk rendering from spreadsheets: dialects, per-row errors, resume, memory, templates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import sipdocs
from sipdocs.errors import SheetError

from .conftest import KINDS, REPO
from .docs import docx_text
from .sheetdata import BAD_COLUMNS, invitation_rows, write_csv, write_ods, write_xlsx

BAD = {4: "pnr", 21: "date", 37: "form"}


def run_bulk(sheet: Path, outdir: Path, **kw):
    run = sipdocs.bulk(sheet, "invitation", outdir=outdir, **kw)
    outcomes = list(run)
    return run, outcomes


def test_swedish_csv_with_three_bad_rows(tmp_path):
    sheet = write_csv(tmp_path / "kallelser.csv", invitation_rows(50, BAD), encoding="cp1252", delimiter=";")
    run, outcomes = run_bulk(sheet, tmp_path / "out", jobs=2)
    assert run.summary.sheet["encoding"] == "Windows-1252"
    assert run.summary.sheet["delimiter"] == "semikolon (;)"
    assert len(outcomes) == 50 and run.summary.ok == 47 and run.summary.failed == 3
    docs = sorted((tmp_path / "out").glob("row-*-invitation.docx"))
    assert len(docs) == 47
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    errors = {(i["row"], i["column"]) for i in report["issues"] if i["level"] == "error"}
    assert errors == {(index + 2, BAD_COLUMNS[defect]) for index, defect in BAD.items()}
    assert not [i for i in report["issues"] if i["level"] == "warning"]
    csv_report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig")
    assert csv_report.splitlines()[0] == "row;column;pointer;code;level;message_sv;message_en"
    assert len(csv_report.splitlines()) == 4
    # no personal values in the reports
    for value in ("20170101-2394", "brevduva", "Alex", "Testsson", "Förälder"):
        assert value not in csv_report and value not in json.dumps(report, ensure_ascii=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    ok = [r for r in manifest["rows"] if r["status"] == "ok"]
    assert len(ok) == 47 and all(len(r["files"][0]["sha256"]) == 64 for r in ok)
    text = docx_text((tmp_path / "out" / "row-0002-invitation.docx").read_bytes())
    assert "Alex Testsson" in text and "Skolgång och stöd hemma för ärende 1 & <familjen>." in text


def test_csv_bom_xlsx_and_ods_give_identical_documents(tmp_path):
    rows = invitation_rows(6)
    sheets = {
        "cp1252": write_csv(tmp_path / "a.csv", rows),
        "bom": write_csv(tmp_path / "b.csv", rows, encoding="utf-8", delimiter=",", bom=True),
        "tab": write_csv(tmp_path / "c.csv", rows, encoding="utf-8", delimiter="\t"),
        "xlsx": write_xlsx(tmp_path / "d.xlsx", rows),
        "ods": write_ods(tmp_path / "e.ods", rows),
    }
    outputs = {}
    for name, sheet in sheets.items():
        run, outcomes = run_bulk(sheet, tmp_path / f"out-{name}", jobs=1)
        assert all(o.status == "ok" for o in outcomes), (name, [i.code for o in outcomes for i in o.issues])
        outputs[name] = {p.name: p.read_bytes() for p in (tmp_path / f"out-{name}").glob("*.docx")}
    reference = outputs.pop("cp1252")
    assert len(reference) == 6
    for name, docs in outputs.items():
        assert docs == reference, name
    assert sipdocs.bulk(sheets["bom"], "invitation", outdir=tmp_path / "x").summary.sheet["encoding"] == "UTF-8 (BOM)"


def test_dates_numbers_and_leading_zeros_follow_the_schema(tmp_path):
    import openpyxl

    from sipdocs.bulk.mapping import map_rows
    from sipdocs.bulk.sheets import read_workbook

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Datum", "Mötesdatum", "Sammankallande – Telefon", "Barnets personnummer", "Uppföljning nr",
               "Samtycke inhämtat", "Starttid"])
    ws.append([46143, "2026-05-12", "0701234567", "201701012393", 2.0, "JA", 0.5625])
    wb.save(tmp_path / "s.xlsx")
    [row], _ = map_rows(read_workbook(tmp_path / "s.xlsx"), "invitation")
    data = row.data
    assert data["document_date"] == "2026-05-01"          # Excel serial → date where the schema says date
    assert data["meeting"]["date"] == "2026-05-12"
    assert data["convener"]["phone"] == "0701234567"      # leading zero kept
    assert data["child"]["personal_number"] == "201701012393"
    assert data["followup_number"] == 2 and data["consent"]["obtained"] is True
    assert data["meeting"]["start_time"] == "13:30"


def test_sheet_template_filled_with_its_example_renders(tmp_path, run_cli):
    for kind in KINDS:
        target = tmp_path / f"{kind}.xlsx"
        code, _, _ = run_cli("sheet-template", kind, "-o", str(target))
        assert code == 0
        wb_sheets = zipfile.ZipFile(target).namelist()
        assert any("sheet3" in n for n in wb_sheets)  # data, lists, instructions
        run = sipdocs.bulk(target, kind, outdir=tmp_path / f"out-{kind}", jobs=1)
        outcomes = list(run)
        assert [o.status for o in outcomes] == ["ok"], [str(i) for o in outcomes for i in o.issues]
    code, _, _ = run_cli("sheet-template", "plan", "-o", str(tmp_path / "plan.csv"))
    assert code == 0 and (tmp_path / "plan.listor.csv").is_file()
    run = sipdocs.bulk(tmp_path / "plan.csv", "plan", outdir=tmp_path / "out-csv", jobs=1,
                       lists=str(tmp_path / "plan.listor.csv"))
    assert [o.status for o in run] == ["ok"]


def test_dry_run_fail_fast_and_exit_codes(tmp_path, run_cli):
    sheet = write_csv(tmp_path / "k.csv", invitation_rows(10, {2: "pnr", 6: "form"}))
    code, out, _ = run_cli("bulk", str(sheet), "--kind", "invitation", "-o", str(tmp_path / "dry"), "--dry-run",
                           "--jobs", "1")
    assert code == 4 and not list((tmp_path / "dry").glob("*.docx"))
    report = json.loads((tmp_path / "dry" / "report.json").read_text())
    assert {i["row"] for i in report["issues"]} == {4, 8}
    code, _, _ = run_cli("bulk", str(sheet), "--kind", "invitation", "-o", str(tmp_path / "ff"), "--fail-fast",
                         "--jobs", "1")
    assert code == 4
    assert len(list((tmp_path / "ff").glob("*.docx"))) == 2  # rows 2 and 3, then row 4 stops the run
    good = write_csv(tmp_path / "g.csv", invitation_rows(3))
    code, _, _ = run_cli("bulk", str(good), "--kind", "invitation", "-o", str(tmp_path / "good"), "--jobs", "1")
    assert code == 0
    code, _, err = run_cli("bulk", str(tmp_path / "nope.csv"), "--kind", "invitation")
    assert code == 3 and "sheet.not_found" in err


def test_name_collisions_are_never_overwritten(tmp_path):
    rows = invitation_rows(3)
    rows[1][0] = rows[0][0]  # two rows with the same case id
    sheet = write_csv(tmp_path / "k.csv", rows)
    run, outcomes = run_bulk(sheet, tmp_path / "out", jobs=1, name_pattern="{case_id}")
    status = {o.row: o.status for o in outcomes}
    assert status == {2: "ok", 3: "failed", 4: "ok"}
    assert [i.code for o in outcomes for i in o.issues] == ["bulk.name_collision"]
    # a second run into the same folder refuses to overwrite files it did not make
    (tmp_path / "out" / "manifest.jsonl").unlink()
    run, outcomes = run_bulk(sheet, tmp_path / "out", jobs=1, name_pattern="{case_id}")
    assert {i.code for o in outcomes for i in o.issues} >= {"bulk.output_exists"}


def test_zip_and_merged_print_pdf(tmp_path):
    import pypdf

    sheet = write_csv(tmp_path / "k.csv", invitation_rows(3))
    run, outcomes = run_bulk(sheet, tmp_path / "out", jobs=1, formats=("docx", "pdf"), zip=True,
                             merge_pdf=tmp_path / "print.pdf")
    assert run.summary.ok == 3
    names = zipfile.ZipFile(run.summary.zip).namelist()
    assert "row-0002-invitation.pdf" in names and "report.csv" in names and "manifest.json" in names
    reader = pypdf.PdfReader(tmp_path / "print.pdf")
    assert [o.title for o in reader.outline if not isinstance(o, list)] == ["Rad 2", "Rad 3", "Rad 4"]


def test_absurd_and_corrupt_spreadsheets_fail_fast(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Barnets namn"])
    wb.active["XFD1048576"] = "x"  # the last cell Excel allows
    wb.save(tmp_path / "huge.xlsx")
    start = time.perf_counter()
    with pytest.raises(SheetError) as exc:
        sipdocs.bulk(tmp_path / "huge.xlsx", "invitation", outdir=tmp_path / "o")
    assert exc.value.code == "sheet.too_large" and time.perf_counter() - start < 5
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    start = time.perf_counter()
    with pytest.raises(SheetError) as exc:
        sipdocs.bulk(tmp_path / "bad.xlsx", "invitation", outdir=tmp_path / "o")
    assert exc.value.code == "sheet.unreadable" and time.perf_counter() - start < 5


def _bulk_cmd(sheet: Path, outdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sipdocs", "bulk", str(sheet), "--kind", "invitation", "-o", str(outdir),
            "--jobs", "2", *extra]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO))


def test_kill_9_then_resume_renders_every_row_exactly_once(tmp_path):
    sheet = write_csv(tmp_path / "k.csv", invitation_rows(500))
    outdir = tmp_path / "out"
    proc = subprocess.Popen(_bulk_cmd(sheet, outdir), env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    manifest = outdir / "manifest.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        if manifest.is_file() and manifest.read_text().count("\n") >= 120:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run: main process, fork server, workers
    proc.wait()
    done_before = manifest.read_text().count("\n")
    assert 120 <= done_before < 500
    # a killed writer may leave its temporary ``.*.part`` file, never a partial final file
    for doc in outdir.glob("row-*-invitation.docx"):
        assert zipfile.ZipFile(doc).testzip() is None, doc.name
    result = subprocess.run(_bulk_cmd(sheet, outdir, "--resume"), env=_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    rows = [r["row"] for r in records]
    assert sorted(rows) == list(range(2, 502))  # every row exactly once
    assert all(r["status"] == "ok" for r in records)
    docs = sorted(outdir.glob("row-*-invitation.docx"))
    assert len(docs) == 500
    assert not [p for p in outdir.iterdir() if p.name.endswith(".part")]
    import hashlib

    for rec in records[:: 50]:
        for f in rec["files"]:
            assert hashlib.sha256((outdir / f["path"]).read_bytes()).hexdigest() == f["sha256"]


def _peak_rss(cmd: list[str]) -> float:
    import psutil

    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    peak = 0.0
    while proc.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    assert proc.returncode == 0
    return peak


def test_memory_stays_flat_from_100_to_1000_rows(tmp_path):
    small = write_csv(tmp_path / "s.csv", invitation_rows(100))
    large = write_csv(tmp_path / "l.csv", invitation_rows(1000))
    rss_small = _peak_rss(_bulk_cmd(small, tmp_path / "os"))
    rss_large = _peak_rss(_bulk_cmd(large, tmp_path / "ol"))
    assert rss_large <= 1.3 * rss_small, (rss_small / 1e6, rss_large / 1e6)
