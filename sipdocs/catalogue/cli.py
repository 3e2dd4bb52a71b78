"""What the command line prints (its ``--help`` texts stay English, in the commands)."""

from __future__ import annotations

from .message import Message as M

CLI: dict[str, M] = {
    # --- every command ---------------------------------------------------------------------------
    "cli.error_title": M("Fel", "Error"),
    "cli.error_upper": M("FEL", "ERROR"),
    "cli.error": M("fel", "error"),
    "cli.warning": M("varning", "warning"),
    "cli.aborted": M("Avbrutet.", "Aborted."),
    "cli.interrupted": M("Avbrutet.", "Interrupted."),
    "cli.internal_error": M("Internt fel i sipdocs. Kör med --debug för detaljer.",
                            "Internal error in sipdocs. Run with --debug for details."),
    "cli.lang_deprecated": M("sipdocs {command}: --lang är utfasat här, använd --messages {value} "
                             "(--lang är dokumentets språk).",
                             "sipdocs {command}: --lang is deprecated here, use --messages {value} "
                             "(--lang is the document language)."),
    "cli.password_needs_terminal": M("Sätt {env} eller kör i en terminal för att ange lösenordet.",
                                     "Set {env} or run in a terminal to type the password."),
    "cli.password_prompt": M("Lösenord för PDF", "PDF password"),
    # --- validate --------------------------------------------------------------------------------
    "cli.valid": M("giltig", "valid"),
    "cli.invalid": M("OGILTIG ({count} fel)", "INVALID ({count} errors)"),
    "cli.warning_count": M("{count} varning(ar)", "{count} warning(s)"),
    # --- consent ---------------------------------------------------------------------------------
    "cli.one_input_with_document": M("Ange ett --input med --document.", "Give one --input with --document."),
    "cli.document": M("dokument", "document"),
    # --- serve -----------------------------------------------------------------------------------
    "cli.web_extra_missing": M("Webbappen behöver tilläggspaketen: pip install 'sipdocs[web]'",
                               "The web app needs its extra packages: pip install 'sipdocs[web]'"),
    # --- bulk ------------------------------------------------------------------------------------
    "cli.rows_per_second": M("rader/s", "rows/s"),
    "cli.time_left": M("kvar", "left"),
    "cli.rows.one": M("{count} rad", "{count} row"),
    "cli.rows.many": M("{count} rader", "{count} rows"),
    "cli.row": M("rad {row}", "row {row}"),
    "cli.row_not_rendered": M("kunde inte renderas", "could not be rendered"),
    "cli.more_errors.one": M("(och {count} fel till)", "(and {count} more error)"),
    "cli.more_errors.many": M("(och {count} fel till)", "(and {count} more errors)"),
    "cli.merge_needs_pdf": M("--merge-pdf kräver pdf i --to.", "--merge-pdf needs pdf in --to."),
    "cli.read_rows": M("Läste {rows} ({sheet})", "Read {rows} ({sheet})"),
    "cli.sheet.engine": M("läsare", "reader"),
    "cli.sheet.sheet": M("blad", "sheet"),
    "cli.sheet.list_sheet": M("listblad", "list sheet"),
    "cli.sheet.lists_file": M("listfil", "list file"),
    "cli.sheet.encoding": M("teckenkodning", "encoding"),
    "cli.sheet.delimiter": M("avgränsare", "delimiter"),
    "cli.bulk_interrupted": M("Avbrutet; färdiga rader är sparade (fortsätt med --resume).",
                              "Interrupted; finished rows are kept (continue with --resume)."),
    "cli.checked": M("kontrollerade", "checked"),
    "cli.done": M("klara", "done"),
    "cli.rows_summary": M("{done} av {rows} {what}, {failed} med fel", "{done} of {rows} {what}, {failed} with errors"),
    "cli.warnings.one": M("{count} varning", "{count} warning"),
    "cli.warnings.many": M("{count} varningar", "{count} warnings"),
    "cli.stopped_fail_fast": M("stoppad vid första raden med fel (--fail-fast)",
                               "stopped at the first row with errors (--fail-fast)"),
    "cli.report_csv": M("Alla fel och varningar per rad och kolumn: {path}",
                        "Every error and warning by row and column: {path}"),
}
