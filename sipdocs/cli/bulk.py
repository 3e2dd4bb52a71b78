"""``sipdocs bulk`` and ``sipdocs sheet-template``: spreadsheets in, document sets out."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click

from .. import api
from ..catalogue import MESSAGES
from ..kinds import KINDS
from .common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_ROWS_FAILED,
    fast_paths_option,
    lang_option,
    messages_option,
    parse_formats,
    say,
    state,
)

if TYPE_CHECKING:  # the bulk machinery loads only when a sheet is rendered
    from ..bulk.runner import RowOutcome

__all__ = ["bulk", "sheet_template"]


class _Progress:
    """rows done / total, rows per second and time left, on stderr when it is a terminal.

    Lines about failed rows are printed above the bar (the bar is cleared and drawn again),
    so a terminal shows both; without a terminal there is no bar, only the lines.
    """

    def __init__(self, total: int, lang: str, enabled: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.start = time.perf_counter()
        self.lang = lang
        self.enabled = (sys.stderr.isatty() if enabled is None else enabled) and total > 0
        self._drawn = False

    def step(self) -> None:
        self.done += 1
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "·" * (width - filled)
        label = say(self.lang, "cli.rows_per_second")
        eta = say(self.lang, "cli.time_left")
        sys.stderr.write(f"\r{bar} {self.done}/{self.total}  {rate:5.1f} {label}  {eta} {left:4.0f} s ")
        sys.stderr.flush()
        self._drawn = True

    def line(self, text: str) -> None:
        """Count a row and print ``text`` on its own line (above the bar on a terminal)."""
        self.done += 1
        if self.enabled and self._drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
        click.echo(text, err=True)
        self._draw()

    def close(self) -> None:
        if self.enabled and self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _describe_sheet(info: dict[str, Any], lang: str) -> str:
    """``läsare: openpyxl, blad: Blad1``: what was read, each word from the catalogue (``cli.sheet.*``)."""
    def word(key: str) -> str:
        return say(lang, f"cli.sheet.{key}") if f"cli.sheet.{key}" in MESSAGES else key

    return ", ".join(f"{word(key)}: {value}" for key, value in info.items())


def _rows(n: int, lang: str) -> str:
    return say(lang, "cli.rows.one" if n == 1 else "cli.rows.many", count=n)


def _row_line(outcome: RowOutcome, lang: str) -> str:
    """``rad 5: Mötesdatum – Obligatoriskt fält saknas … (och 2 fel till)``: the first error of a
    failed row with its column, and how many more there are."""
    errors = [i for i in outcome.issues if i.is_error] or list(outcome.issues)
    head = say(lang, "cli.row", row=outcome.row)
    if not errors:
        return f"{head}: {say(lang, 'cli.row_not_rendered')}"
    first = errors[0]
    where = f"{first.column} – " if first.column else ""
    more = len(errors) - 1
    tail = " " + say(lang, "cli.more_errors.one" if more == 1 else "cli.more_errors.many", count=more) if more else ""
    return f"{head}: {where}{first.message(lang)}{tail}"


@click.command()
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option("--kind", required=True, type=click.Choice(list(KINDS)), help="The document kind of every row.")
@click.option("--pack", default=None, help="Pack id or folder (default: a 'pack' column, then national).")
@lang_option("Document language (default: a 'lang' column, then sv).")
@click.option("--to", "to", default="docx", show_default=True,
              help=f"Formats, comma-separated: {','.join(api.FORMATS)}.")
@click.option("-o", "--outdir", default=None, type=click.Path(file_okay=False),
              help="Output folder (default: a folder named after the sheet, beside it).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes (default: number of cores).")
@click.option("--layout", type=click.Choice(["flat", "folders"]), default="flat", show_default=True,
              help="Flat files, or a folder per row.")
@click.option("--name", "name_pattern", default=None,
              help="Name pattern (fields: row, kind, date, case_id, lang, pack). "
                   "Default: row-{row}-{kind} (flat) or row-{row}/KIND (folders).")
@click.option("--lists", "lists", default=None, type=click.Path(dir_okay=False),
              help="The list file (Ärende-id, Lista, item fields) for a CSV sheet "
                   "(default: NAME.listor.csv beside NAME.csv, when it exists).")
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
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1+a-2a", "plain"]), default="pdf/ua-1+a-2a",
              show_default=True, help="Accessible + archivable PDF, or a plain PDF.")
@fast_paths_option
@messages_option
def bulk(sheet: str, kind: str, pack: str | None, doc_lang: str | None, to: str, outdir: str | None,
         jobs: int | None, layout: str, name_pattern: str | None, lists: str | None, sheet_name: str | None,
         encoding: str | None, delimiter: str | None, make_zip: bool, merge_pdf: str | None, resume: bool,
         dry_run: bool, fail_fast: bool, force: bool, pdf_variant: str, fast_paths: bool) -> None:
    """Render SHEET (CSV, XLSX or ODS), one document set per row.

    A bad row never stops the others (unless --fail-fast): each failed row is named with its
    first problem, and OUTDIR/report.csv and report.json list every error and warning by row
    and column, without any personal values; OUTDIR/manifest.json lists each row's files
    with sha256. Exit code 0 when every row rendered, 4 when some failed, 3 when the sheet
    cannot be read.
    """
    from ..bulk import bulk as run_bulk  # start-up: the spreadsheet readers load with a sheet

    lang = state().messages
    formats = parse_formats(to)
    if merge_pdf and "pdf" not in formats:
        raise click.UsageError(say(lang, "cli.merge_needs_pdf"))
    run = run_bulk(sheet, kind, outdir=outdir, formats=formats, pack=pack, lang=doc_lang, jobs=jobs,
                   layout=layout, name_pattern=name_pattern, lists=lists, encoding=encoding, delimiter=delimiter,
                   sheet_name=sheet_name, resume=resume, dry_run=dry_run, fail_fast=fail_fast, force=force,
                   zip=make_zip, merge_pdf=merge_pdf, pdf_variant=pdf_variant, fast_paths=fast_paths)
    s = run.summary
    click.echo(say(lang, "cli.read_rows", rows=_rows(s.rows, lang), sheet=_describe_sheet(s.sheet, lang)), err=True)
    for issue in s.sheet_issues:
        where = f"{issue.column} – " if issue.column else ""
        label = say(lang, "cli.error" if issue.is_error else "cli.warning")
        click.echo(f"{label}: {where}{issue.message(lang)}", err=True)
    progress = _Progress(s.rows, lang)
    warnings = sum(1 for i in s.sheet_issues if not i.is_error)
    try:
        for outcome in run:
            warnings += sum(1 for i in outcome.issues if not i.is_error)
            if outcome.ok:
                progress.step()
            else:
                progress.line(_row_line(outcome, lang))
    except KeyboardInterrupt:
        progress.close()
        click.echo(say(lang, "cli.bulk_interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    progress.close()
    done = s.ok + s.skipped
    what = say(lang, "cli.checked" if dry_run else "cli.done")
    line = say(lang, "cli.rows_summary", done=done, rows=_rows(s.rows, lang), what=what, failed=s.failed)
    if warnings:
        line += ", " + say(lang, "cli.warnings.one" if warnings == 1 else "cli.warnings.many", count=warnings)
    line += f" ({s.seconds:.1f} s)"
    if s.interrupted:
        line += "; " + say(lang, "cli.stopped_fail_fast")
    click.echo(line)
    if (s.failed or warnings) and s.report_csv:
        click.echo(say(lang, "cli.report_csv", path=s.report_csv))
    for path in (s.report_json, s.manifest, s.zip, s.merged_pdf):
        if path:
            click.echo(str(path))
    sys.exit(s.exit_code if not s.interrupted else (EXIT_ROWS_FAILED if s.failed else EXIT_OK))


@click.command("sheet-template")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="FILE.xlsx (data, list and instruction sheets) or FILE.csv (+ FILE.listor.csv).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def sheet_template(kind: str, output: str | None, force: bool) -> None:
    """Write a ready-to-fill spreadsheet for KIND: Swedish headers, an example row, dropdowns
    for every choice (XLSX), and the list sheet (for CSV a second file, FILE.listor.csv), which
    'sipdocs bulk FILE --kind KIND' reads back with no other option."""
    from ..bulk.template import write_sheet_template  # start-up: bulk (~30 ms) loads only to write a template

    for path in write_sheet_template(kind, output or f"{kind}-mall.xlsx", force=force):
        click.echo(str(path))
