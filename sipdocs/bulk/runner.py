"""Running a bulk job: rows → document sets, in worker processes, resumable.

Guarantees:

* **A bad row never costs the good ones** (unless ``fail_fast``): each row is validated
  and rendered on its own; its issues carry the row number and column header.
* **Nothing partial at a final path**: every file is written with
  :func:`sipdocs.output.atomic_write`; the manifest (``manifest.jsonl``) gets a line —
  written and fsynced by the main process — only after all of a row's files exist.
* **Resumable**: with ``resume`` a row whose manifest line is ``ok`` and whose files
  still exist with the recorded sha256 is skipped; everything else is rendered again.
  So a run killed at any point (``kill -9`` included) ends, after ``--resume``, with
  every row rendered exactly once.
* **Flat memory**: rows go to a process pool whose workers are recycled every
  :data:`RECYCLE_EVERY` rows (WeasyPrint keeps memory per document), and only a bounded
  window of rows is in flight.
* **No accidental overwrite**: all output names are computed before rendering; two rows
  that would write the same file, or a file that exists from elsewhere, are reported
  (``bulk.name_collision``, ``bulk.output_exists``) instead of overwritten.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import api
from ..archive import deterministic_zip
from ..catalogue import phrase
from ..errors import InvalidInputError, Issue, OutputError, SipdocsError
from ..exit_codes import EXIT_OK, EXIT_ROWS_FAILED
from ..kinds import KIND_IDS
from ..messages import make_issue
from ..output import atomic_write, format_name, map_os_error
from ..schemas import resolved_schema
from .columns import columns_for
from .mapping import RowInput, map_rows
from .sheets import read_workbook
from .template import companion_path

RECYCLE_EVERY = 200
MANIFEST = "manifest.jsonl"


@dataclass(frozen=True)
class FileRecord:
    path: str      # relative to the output folder
    sha256: str
    size: int


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row.

    ``status``: ``ok`` (rendered), ``valid`` (dry run), ``invalid`` (input errors),
    ``failed`` (rendering failed), ``skipped`` (done in an earlier run, ``resume``).
    """

    row: int
    status: str
    files: tuple[FileRecord, ...] = ()
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "valid", "skipped")


@dataclass
class BulkOptions:
    kind: str
    outdir: Path
    formats: tuple[str, ...] = ("docx",)
    pack: str | None = None
    lang: str | None = None
    jobs: int = 1
    layout: str = "flat"                 # or "folders"
    name_pattern: str | None = None
    resume: bool = False
    dry_run: bool = False
    fail_fast: bool = False
    force: bool = False
    zip: bool = False
    merge_pdf: Path | None = None
    pdf_variant: str = "pdf/ua-1+a-2a"
    fast_paths: bool = True
    recycle_every: int = RECYCLE_EVERY

    def render_options(self) -> api.RenderOptions:
        """What each worker's renderer is made with."""
        return api.RenderOptions(pdf_variant=self.pdf_variant, fast_paths=self.fast_paths)


@dataclass
class BulkSummary:
    rows: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    sheet: dict[str, Any] = field(default_factory=dict)
    sheet_issues: list[Issue] = field(default_factory=list)
    report_csv: Path | None = None
    report_json: Path | None = None
    manifest: Path | None = None
    zip: Path | None = None
    merged_pdf: Path | None = None
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_ROWS_FAILED if self.failed else EXIT_OK


# --- worker side ------------------------------------------------------------------------------------

_RENDERER: Any = None


def _init_worker(options: api.RenderOptions) -> None:
    global _RENDERER
    _RENDERER = api.Renderer(options)


@dataclass(frozen=True)
class _Job:
    row: int
    data: dict[str, Any]
    formats: tuple[str, ...]
    targets: dict[str, str]   # format → relative path
    outdir: str
    dry_run: bool


def _run_job(job: _Job) -> RowOutcome:
    """Validate and render one row (runs in a worker process, or in-process with jobs=1)."""
    try:
        if job.dry_run:
            result = api.validate(job.data)
            issues = tuple(i.without_value() for i in result.issues)
            return RowOutcome(job.row, "valid" if result.ok else "invalid", (), issues)
        rendered = _RENDERER.render(job.data, job.formats)
        files = []
        for fmt, rel in job.targets.items():
            blob = rendered[fmt]
            atomic_write(Path(job.outdir) / rel, blob, force=True)
            files.append(FileRecord(rel, hashlib.sha256(blob).hexdigest(), len(blob)))
        return RowOutcome(job.row, "ok", tuple(files), tuple(i.without_value() for i in rendered.warnings))
    except InvalidInputError as exc:
        return RowOutcome(job.row, "invalid", (), tuple(i.without_value() for i in exc.issues))
    except SipdocsError as exc:
        issue = make_issue("bulk.render_failed", exc.pointer or "", "error", reason=exc.code)
        return RowOutcome(job.row, "failed", (), (issue,))


# --- main side --------------------------------------------------------------------------------------

def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def read_manifest(outdir: Path) -> dict[int, dict[str, Any]]:
    """The last manifest record of each row (later lines win)."""
    records: dict[int, dict[str, Any]] = {}
    path = outdir / MANIFEST
    if not path.is_file():
        return records
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill: that row is simply done again
        if isinstance(rec, dict) and isinstance(rec.get("row"), int):
            records[rec["row"]] = rec
    return records


def _remove_stale_temporaries(outdir: Path) -> None:
    """Delete the temporary files (``.<name>.<random>.part``) a killed run left behind."""
    for tmp in outdir.rglob(".*.part"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)


def _complete(outdir: Path, record: dict[str, Any]) -> bool:
    return record.get("status") == "ok" and bool(record.get("files")) and all(
        _sha256(outdir / f["path"]) == f["sha256"] for f in record["files"])


class BulkRun:
    """A bulk job; iterate it to run (outcomes arrive as rows finish), then read ``summary``."""

    def __init__(self, sheet: str | os.PathLike[str], options: BulkOptions, *,
                 lists: str | os.PathLike[str] | None = None, encoding: str | None = None,
                 delimiter: str | None = None, sheet_name: str | None = None) -> None:
        self.options = options
        self.summary = BulkSummary()
        self.book = read_workbook(sheet, encoding=encoding, delimiter=delimiter, sheet=sheet_name, lists=lists)
        self.sheet_path = Path(sheet)
        self.rows, sheet_issues = map_rows(self.book, options.kind, pack=options.pack, lang=options.lang)
        sheet_issues.extend(self._missing_lists())
        self.summary.sheet = dict(self.book.info)
        self.summary.sheet_issues = sheet_issues
        self.summary.rows = len(self.rows)
        self._by_row = {r.row: r for r in self.rows}
        self.outcomes: dict[int, RowOutcome] = {}

    def _missing_lists(self) -> list[Issue]:
        """A hint when the kind's required lists are in no row and no list sheet was found:
        the lists live on the Listor sheet, in NAME.listor.csv beside a CSV, or in --lists."""
        if self.book.lists is not None or not self.rows:
            return []

        schema = resolved_schema(self.options.kind)
        required = set(schema.get("required", []))
        specs = [spec for key, spec in columns_for(self.options.kind).lists.items()
                 if len(spec.path) == 1 and key in required and key != "guardians"]
        missing = [spec for spec in specs if not any(row.data.get(spec.key) for row in self.rows)]
        if not missing:
            return []
        titles = ", ".join(spec.title for spec in missing)
        companion = companion_path(self.sheet_path).name if self.sheet_path.suffix.lower() == ".csv" else None
        issue = make_issue("sheet.lists_missing", "", "warning", lists=titles,
                           where=phrase("where.companion_file", file=companion) if companion
                           else phrase("where.lists_sheet"))
        return [issue]

    # -- names -------------------------------------------------------------------------------------
    def _targets(self, item: RowInput) -> dict[str, str]:
        o = self.options
        data = item.data
        fields = {"row": f"{item.row:04d}", "kind": o.kind, "date": str(data.get("document_date") or ""),
                  "case_id": str(data.get("case_id") or ""), "lang": str(data.get("lang") or o.lang or "sv"),
                  "pack": str(data.get("pack") or o.pack or "national")}
        if o.layout == "folders":
            folder = format_name(o.name_pattern or "row-{row}", fields)
            return {fmt: f"{folder}/{o.kind}.{api.output_format(fmt).extension}" for fmt in o.formats}
        stem = format_name(o.name_pattern or "row-{row}-{kind}", fields)
        return {fmt: f"{stem}.{api.output_format(fmt).extension}" for fmt in o.formats}

    def _plan(self) -> tuple[list[_Job], list[RowOutcome]]:
        o = self.options
        previous = read_manifest(o.outdir) if o.resume else {}
        jobs, settled = [], []
        owner: dict[str, int] = {}
        known_files = {f["path"] for rec in previous.values() for f in rec.get("files", [])}
        for item in self.rows:
            targets = self._targets(item) if not o.dry_run else {}
            record = previous.get(item.row)
            if record is not None and _complete(o.outdir, record) and \
                    {f["path"] for f in record["files"]} == set(targets.values()):
                settled.append(RowOutcome(item.row, "skipped", tuple(FileRecord(**f) for f in record["files"])))
                for rel in targets.values():
                    owner[rel] = item.row
                continue
            problems = []
            for rel in targets.values():
                if rel in owner:
                    problems.append(make_issue("bulk.name_collision", "", "error", name=rel, other=owner[rel]))
                # with resume, a file at this row's own target without a manifest line was
                # written by the interrupted run just before it was killed: render it again
                elif (o.outdir / rel).exists() and not (o.force or o.resume) and rel not in known_files:
                    problems.append(make_issue("bulk.output_exists", "", "error", name=rel))
                owner.setdefault(rel, item.row)
            if problems:
                located = tuple(p.with_location(row=item.row) for p in problems)
                settled.append(RowOutcome(item.row, "failed", (), located))
                continue
            jobs.append(_Job(item.row, item.data, o.formats, targets, str(o.outdir), o.dry_run))
        return jobs, settled

    # -- running -----------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[RowOutcome]:
        o = self.options
        start = time.perf_counter()
        try:
            o.outdir.mkdir(parents=True, exist_ok=True)
            if o.resume:
                _remove_stale_temporaries(o.outdir)
            jobs, settled = self._plan()
            manifest = None if o.dry_run else open(o.outdir / MANIFEST, "a", encoding="utf-8")
        except OSError as exc:  # a read-only or full output folder stops the run before any row
            raise map_os_error(exc, o.outdir / MANIFEST) from exc
        failed = True
        try:
            for outcome in settled:
                yield self._finish(outcome, manifest, record=outcome.status != "skipped")
            stop = False
            for outcome in self._execute(jobs):
                yield self._finish(outcome, manifest)
                if o.fail_fast and not outcome.ok:
                    stop = True
                    break
            if stop:
                self.summary.interrupted = True
            failed = False
        except KeyboardInterrupt:
            self.summary.interrupted = True
            raise
        finally:
            if manifest is not None:
                with contextlib.suppress(OSError):  # a failed write was reported already
                    manifest.close()
            self.summary.seconds = time.perf_counter() - start
            try:
                self._write_reports()
            except OutputError:
                if not failed:  # else keep the error that stopped the run
                    raise
        if not self.summary.interrupted:
            self._post_outputs()

    def _finish(self, outcome: RowOutcome, manifest: Any, record: bool = True) -> RowOutcome:
        item = self._by_row[outcome.row]
        located = tuple(item.locate(i) for i in outcome.issues)
        outcome = RowOutcome(outcome.row, outcome.status, outcome.files, located)
        self.outcomes[outcome.row] = outcome
        if outcome.status == "skipped":
            self.summary.skipped += 1
        elif outcome.ok:
            self.summary.ok += 1
        else:
            self.summary.failed += 1
        if manifest is not None and record:
            line = {"row": outcome.row, "status": outcome.status,
                    "files": [asdict(f) for f in outcome.files],
                    "errors": sum(1 for i in outcome.issues if i.is_error)}
            try:
                manifest.write(json.dumps(line) + "\n")
                manifest.flush()
                os.fsync(manifest.fileno())
            except OSError as exc:  # without its manifest the run could not be resumed: stop
                raise map_os_error(exc, self.options.outdir / MANIFEST) from exc
        return outcome

    def _execute(self, jobs: list[_Job]) -> Iterator[RowOutcome]:
        o = self.options
        if not jobs:
            return
        if o.jobs <= 1:
            if not o.dry_run:
                _init_worker(o.render_options())
            for job in jobs:
                yield _run_job(job)
            return

        ctx = multiprocessing.get_context("forkserver")
        # the front, and the backend modules of the formats (their libraries load with them)
        preload = ["sipdocs.api"] + ([] if o.dry_run else
                                     [api.output_format(fmt).module(o.render_options()) for fmt in o.formats])
        ctx.set_forkserver_preload(preload)
        window = max(4, o.jobs * 4)
        queue = iter(jobs)
        start: dict[str, Any] = {} if o.dry_run else {"initializer": _init_worker, "initargs": (o.render_options(),)}
        with ProcessPoolExecutor(max_workers=o.jobs, mp_context=ctx, max_tasks_per_child=o.recycle_every,
                                 **start) as pool:
            pending: dict[Future[RowOutcome], _Job] = {}

            def submit() -> None:
                for job in queue:
                    pending[pool.submit(_run_job, job)] = job
                    if len(pending) >= window:
                        return

            submit()
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=lambda f: pending[f].row):
                        job = pending.pop(future)
                        try:
                            outcome = future.result()
                        except Exception as exc:
                            outcome = RowOutcome(job.row, "failed", (), (make_issue(
                                "bulk.render_failed", "", "error", reason=type(exc).__name__),))
                        yield outcome
                    submit()
            finally:
                for future in pending:
                    future.cancel()
                pool.shutdown(wait=True, cancel_futures=True)

    # -- reports and extras ------------------------------------------------------------------------
    def all_issues(self) -> list[Issue]:
        issues = list(self.summary.sheet_issues)
        for row in sorted(self.outcomes):
            issues.extend(self.outcomes[row].issues)
        return issues

    def _write_reports(self) -> None:
        o = self.options
        issues = self.all_issues()
        report = {
            "sheet": self.sheet_path.name, "kind": o.kind, "read": self.summary.sheet,
            "rows": self.summary.rows, "ok": self.summary.ok, "failed": self.summary.failed,
            "skipped": self.summary.skipped, "dry_run": o.dry_run, "interrupted": self.summary.interrupted,
            "row_status": {str(r): out.status for r, out in sorted(self.outcomes.items())},
            "issues": [_report_row(i) for i in issues],
        }
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        self.summary.report_json = atomic_write(o.outdir / "report.json", text.encode("utf-8"), force=True)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(["row", "column", "pointer", "code", "level", "message_sv", "message_en"])
        for issue in issues:
            r = _report_row(issue)
            writer.writerow([r[name] for name in ("row", "column", "pointer", "code", "level", "message_sv",
                                                  "message_en")])
        # UTF-8 with BOM so that Swedish Excel opens it with å, ä, ö intact
        self.summary.report_csv = atomic_write(o.outdir / "report.csv", ("\ufeff" + buf.getvalue()).encode("utf-8"),
                                               force=True)
        if not o.dry_run:
            self._write_manifest_json()

    def _write_manifest_json(self) -> None:
        o = self.options
        records = read_manifest(o.outdir)
        rows = [{"row": r, "status": rec["status"], "files": rec.get("files", [])}
                for r, rec in sorted(records.items())]
        text = json.dumps({"kind": o.kind, "rows": rows}, indent=2) + "\n"
        self.summary.manifest = atomic_write(o.outdir / "manifest.json", text.encode("utf-8"), force=True)

    def _post_outputs(self) -> None:
        o = self.options
        if o.dry_run:
            return
        done = [(r, out) for r, out in sorted(self.outcomes.items()) if out.status in ("ok", "skipped")]
        if o.merge_pdf is not None:
            from .. import pdfpost  # start-up: pikepdf loads only when a packet is merged

            items = []
            for row, out in done:
                pdf = next((f for f in out.files if f.path.endswith(".pdf")), None)
                if pdf is not None:
                    items.append((f"Rad {row}", (o.outdir / pdf.path).read_bytes()))
            if items:
                packet = pdfpost.merge_pdfs(items, title="SIP – dokument")
                self.summary.merged_pdf = atomic_write(o.merge_pdf, packet, force=o.force or o.resume)
        if o.zip:
            entries = [(f.path, (o.outdir / f.path).read_bytes()) for _, out in done for f in out.files]
            for extra in ("report.csv", "report.json", "manifest.json"):
                if (o.outdir / extra).is_file():
                    entries.append((extra, (o.outdir / extra).read_bytes()))
            name = f"{self.sheet_path.stem}.zip"
            self.summary.zip = atomic_write(o.outdir / name, deterministic_zip(entries), force=True)


def _report_row(issue: Issue) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "pointer": issue.pointer, "code": issue.code,
            "level": issue.level, "message_sv": issue.message_sv, "message_en": issue.message_en}


def default_outdir(sheet: str | os.PathLike[str]) -> Path:
    """Where a run writes when no folder is given: beside the sheet, named after it
    (``kallelser.xlsx`` → ``kallelser/``)."""
    path = Path(sheet)
    return path.with_name(path.stem or "bulk")


def bulk(sheet: str | os.PathLike[str], kind: str, *, outdir: str | os.PathLike[str] | None = None,
         formats: tuple[str, ...] = ("docx",), pack: str | None = None, lang: str | None = None,
         jobs: int | None = None, layout: str = "flat", name_pattern: str | None = None,
         lists: str | os.PathLike[str] | None = None, encoding: str | None = None, delimiter: str | None = None,
         sheet_name: str | None = None, resume: bool = False, dry_run: bool = False,
         fail_fast: bool = False, force: bool = False, zip: bool = False,
         merge_pdf: str | os.PathLike[str] | None = None, pdf_variant: str = "pdf/ua-1+a-2a",
         fast_paths: bool = True) -> BulkRun:
    """Render a spreadsheet, one document set per row (public API).

    Iterate the returned :class:`BulkRun` to run it; each :class:`RowOutcome` arrives as its
    row finishes. Afterwards ``run.summary`` has the counts, the report and manifest paths.
    Without ``outdir`` the files go to a folder named after the sheet, beside it
    (:func:`default_outdir`); a CSV's list file ``NAME.listor.csv`` is found without ``lists``.
    ``pdf_variant`` and ``fast_paths`` are those of :class:`~sipdocs.RenderOptions`.

    :raises SheetError: the spreadsheet cannot be read at all.
    """
    if kind not in KIND_IDS:
        raise ValueError(f"unknown kind {kind!r}")
    options = BulkOptions(kind=kind, outdir=Path(outdir) if outdir is not None else default_outdir(sheet),
                          formats=tuple(formats), pack=pack, lang=lang,
                          jobs=jobs if jobs is not None else (os.cpu_count() or 1), layout=layout,
                          name_pattern=name_pattern, resume=resume, dry_run=dry_run, fail_fast=fail_fast,
                          force=force, zip=zip, merge_pdf=Path(merge_pdf) if merge_pdf else None,
                          pdf_variant=pdf_variant, fast_paths=fast_paths)
    return BulkRun(sheet, options, lists=lists, encoding=encoding, delimiter=delimiter, sheet_name=sheet_name)
