"""``sipdocs bulk`` and ``sipdocs sheet-template``: spreadsheets in, document sets out."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click

from .. import api
from ..kinds import KINDS
from .common import (EXIT_INTERRUPTED, EXIT_OK, EXIT_ROWS_FAILED, fast_paths_option, lang_option, messages_option,
                     parse_formats, state, t)

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
        label = t(self.lang, "rader/s", "rows/s")
        eta = t(self.lang, "kvar", "left")
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


_INFO_WORDS = {
    "engine": ("läsare", "reader"), "sheet": ("blad", "sheet"), "list_sheet": ("listblad", "list sheet"),
    "lists_file": ("listfil", "list file"), "encoding": ("teckenkodning", "encoding"),
    "delimiter": ("avgränsare", "delimiter"),
}


def _describe_sheet(info: dict[str, Any], lang: str) -> str:
    return ", ".join(f"{t(lang, *_INFO_WORDS.get(key, (key, key)))}: {value}" for key, value in info.items())


def _rows(n: int, lang: str) -> str:
    return f"{n} " + t(lang, "rad" if n == 1 else "rader", "row" if n == 1 else "rows")


def _row_line(outcome: "RowOutcome", lang: str) -> str:
    """``rad 5: Mötesdatum – Obligatoriskt fält saknas … (och 2 fel till)``: the first error of a
    failed row with its column, and how many more there are."""
    errors = [i for i in outcome.issues if i.is_error] or list(outcome.issues)
    head = t(lang, f"rad {outcome.row}", f"row {outcome.row}")
    if not errors:
        return f"{head}: {t(lang, 'kunde inte renderas', 'could not be rendered')}"
    first = errors[0]
    where = f"{first.column} – " if first.column else ""
    more = len(errors) - 1
    tail = t(lang, f" (och {more} fel till)", f" (and {more} more error{'s' if more > 1 else ''})") if more else ""
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
        raise click.UsageError(t(lang, "--merge-pdf kräver pdf i --to.", "--merge-pdf needs pdf in --to."))
    run = run_bulk(sheet, kind, outdir=outdir, formats=formats, pack=pack, lang=doc_lang, jobs=jobs,
                   layout=layout, name_pattern=name_pattern, lists=lists, encoding=encoding, delimiter=delimiter,
                   sheet_name=sheet_name, resume=resume, dry_run=dry_run, fail_fast=fail_fast, force=force,
                   zip=make_zip, merge_pdf=merge_pdf, pdf_variant=pdf_variant, fast_paths=fast_paths)
    s = run.summary
    click.echo(t(lang, f"Läste {_rows(s.rows, lang)} ({_describe_sheet(s.sheet, lang)})",
                  f"Read {_rows(s.rows, lang)} ({_describe_sheet(s.sheet, lang)})"), err=True)
    for issue in s.sheet_issues:
        where = f"{issue.column} – " if issue.column else ""
        label = t(lang, "fel", "error") if issue.is_error else t(lang, "varning", "warning")
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
        click.echo(t(lang, "Avbrutet; färdiga rader är sparade (fortsätt med --resume).",
                      "Interrupted; finished rows are kept (continue with --resume)."), err=True)
        sys.exit(EXIT_INTERRUPTED)
    progress.close()
    done = s.ok + s.skipped
    what = t(lang, "kontrollerade", "checked") if dry_run else t(lang, "klara", "done")
    line = t(lang, f"{done} av {_rows(s.rows, lang)} {what}, {s.failed} med fel",
              f"{done} of {_rows(s.rows, lang)} {what}, {s.failed} with errors")
    if warnings:
        line += ", " + t(lang, f"{warnings} varning{'ar' if warnings > 1 else ''}",
                          f"{warnings} warning{'s' if warnings > 1 else ''}")
    line += f" ({s.seconds:.1f} s)"
    if s.interrupted:
        line += t(lang, "; stoppad vid första raden med fel (--fail-fast)",
                   "; stopped at the first row with errors (--fail-fast)")
    click.echo(line)
    if (s.failed or warnings) and s.report_csv:
        click.echo(t(lang, f"Alla fel och varningar per rad och kolumn: {s.report_csv}",
                      f"Every error and warning by row and column: {s.report_csv}"))
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
