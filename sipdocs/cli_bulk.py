"""``sipdocs bulk`` and ``sipdocs sheet-template``: spreadsheets in, document sets out."""

from __future__ import annotations

import sys
import time

import click

from .cli import EXIT_OK, _formats, _lang, _t, cli
from .kinds import KINDS


class _Progress:
    """rows done / total, rows per second and time left, on stderr when it is a terminal."""

    def __init__(self, total: int, lang: str) -> None:
        self.total = total
        self.done = 0
        self.start = time.perf_counter()
        self.lang = lang
        self.enabled = sys.stderr.isatty() and total > 0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "·" * (width - filled)
        label = _t(self.lang, "rader/s", "rows/s")
        eta = _t(self.lang, "kvar", "left")
        sys.stderr.write(f"\r{bar} {self.done}/{self.total}  {rate:5.1f} {label}  {eta} {left:4.0f} s ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


@cli.command()
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(list(KINDS)), help="The document kind of every row.")
@click.option("--pack", default=None, help="Pack id or folder (default: a 'pack' column, then national).")
@click.option("--lang", "doc_lang", type=click.Choice(["sv", "en"]), default=None, help="Document language.")
@click.option("--to", "to", default="docx", show_default=True, help="Formats, comma-separated: docx,pdf.")
@click.option("-o", "--outdir", default="out", show_default=True, type=click.Path(file_okay=False))
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes (default: number of cores).")
@click.option("--layout", type=click.Choice(["flat", "folders"]), default="flat", show_default=True,
              help="Flat files, or a folder per row.")
@click.option("--name", "name_pattern", default=None,
              help="Name pattern (fields: row, kind, date, case_id, lang, pack). "
                   "Default: row-{row}-{kind} (flat) or row-{row}/KIND (folders).")
@click.option("--lists", "lists", default=None, type=click.Path(dir_okay=False),
              help="A second CSV/XLSX with list items (case_id, list, fields) — for CSV input.")
@click.option("--sheet", "sheet_name", default=None, help="The data sheet's name (XLSX/ODS).")
@click.option("--encoding", default=None, help="CSV encoding (default: detected: UTF-8 with BOM, UTF-8, cp1252).")
@click.option("--delimiter", default=None, help="CSV delimiter (default: detected among ; , tab).")
@click.option("--zip", "make_zip", is_flag=True, help="Also write a zip archive of the whole result.")
@click.option("--merge-pdf", "merge_pdf", default=None, type=click.Path(dir_okay=False),
              help="Also write one print PDF with a bookmark per row (needs pdf in --to).")
@click.option("--resume", is_flag=True, help="Skip rows whose outputs are complete (checked against the manifest).")
@click.option("--dry-run", is_flag=True, help="Validate every row; render nothing.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first row with errors.")
@click.option("--force", is_flag=True, help="Overwrite files that exist from elsewhere.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1+a-2a", "plain"]), default="pdf/ua-1+a-2a")
@click.option("--messages", "msg_lang", type=click.Choice(["sv", "en"]), default=None, help="Language of messages.")
def bulk(sheet: str, kind: str, pack: str | None, doc_lang: str | None, to: str, outdir: str, jobs: int | None,
         layout: str, name_pattern: str | None, lists: str | None, sheet_name: str | None, encoding: str | None,
         delimiter: str | None, make_zip: bool, merge_pdf: str | None, resume: bool, dry_run: bool,
         fail_fast: bool, force: bool, pdf_variant: str, msg_lang: str | None) -> None:
    """Render SHEET (CSV, XLSX or ODS), one document set per row.

    A bad row never stops the others (unless --fail-fast): OUTDIR/report.csv and
    report.json say which row and column is wrong and why, without any personal values;
    OUTDIR/manifest.json lists each row's files with sha256. Exit code 0 when every row
    rendered, 4 when some failed, 3 when the sheet cannot be read.
    """
    from .bulk import bulk as run_bulk

    lang = _lang(msg_lang)
    formats = _formats(to)
    if merge_pdf and "pdf" not in formats:
        raise click.UsageError(_t(lang, "--merge-pdf kräver pdf i --to.", "--merge-pdf needs pdf in --to."))
    run = run_bulk(sheet, kind, outdir=outdir, formats=formats, pack=pack, lang=doc_lang, jobs=jobs,
                   layout=layout, name_pattern=name_pattern, lists=lists, encoding=encoding, delimiter=delimiter,
                   sheet_name=sheet_name, resume=resume, dry_run=dry_run, fail_fast=fail_fast, force=force,
                   zip=make_zip, merge_pdf=merge_pdf, pdf_variant=pdf_variant)
    read = run.summary.sheet
    described = ", ".join(f"{k}: {v}" for k, v in read.items())
    click.echo(_t(lang, f"Läste {run.summary.rows} rader ({described})", f"Read {run.summary.rows} rows ({described})"),
               err=True)
    progress = _Progress(run.summary.rows, lang)
    try:
        for outcome in run:
            progress.step()
            if not outcome.ok and not progress.enabled:
                click.echo(_t(lang, f"rad {outcome.row}: {outcome.status}", f"row {outcome.row}: {outcome.status}"),
                           err=True)
    except KeyboardInterrupt:
        progress.close()
        click.echo(_t(lang, "Avbrutet; färdiga rader är sparade (fortsätt med --resume).",
                      "Interrupted; finished rows are kept (continue with --resume)."), err=True)
        sys.exit(130)
    progress.close()
    s = run.summary
    done = s.ok + s.skipped
    click.echo(_t(lang, f"{done} av {s.rows} rader klara, {s.failed} med fel ({s.seconds:.1f} s)",
                  f"{done} of {s.rows} rows done, {s.failed} with errors ({s.seconds:.1f} s)"))
    for issue in s.sheet_issues:
        click.echo(f"  {issue.code} {issue.column or ''}: {issue.message(lang)}", err=True)
    for path in (s.report_csv, s.report_json, s.manifest, s.zip, s.merged_pdf):
        if path:
            click.echo(str(path))
    sys.exit(s.exit_code if not s.interrupted else (4 if s.failed else EXIT_OK))


@cli.command("sheet-template")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="FILE.xlsx (data, list and instruction sheets) or FILE.csv (+ FILE.listor.csv).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def sheet_template(kind: str, output: str | None, force: bool) -> None:
    """Write a ready-to-fill spreadsheet for KIND with Swedish headers and an example row."""
    from .bulk.template import write_sheet_template

    for path in write_sheet_template(kind, output or f"{kind}-mall.xlsx", force=force):
        click.echo(str(path))
