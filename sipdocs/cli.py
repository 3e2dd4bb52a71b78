"""The ``sipdocs`` command line: thin wrappers over the public API.

Exit codes (documented in the README):

====  ==========================================================
0     success (warnings allowed)
1     unexpected failure (a bug, a broken pack or a render failure)
2     usage error (unknown option, unknown pack or kind)
3     invalid or unreadable input
4     bulk run finished but some rows failed
5     an output file exists already (nothing overwritten; --force)
====  ==========================================================

``main`` is the single place where errors become messages and exit codes. Personal
values never reach the terminal unless ``--debug`` is given.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import api
from .errors import InputError, Issue, SipdocsError
from .kinds import KINDS

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INVALID, EXIT_ROWS_FAILED, EXIT_EXISTS = 0, 1, 2, 3, 4, 5

_LANG = click.option("--lang", type=click.Choice(["sv", "en"]), default=None,
                     help="Language of messages (default: SIPDOCS_LANG or sv).")


class _State:
    debug: bool = False


def _lang(value: str | None) -> str:
    return value or os.environ.get("SIPDOCS_LANG", "sv")


def _t(lang: str, sv: str, en: str) -> str:
    return en if lang.startswith("en") else sv


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sipdocs", message="sipdocs %(version)s")
@click.option("--debug", is_flag=True, envvar="SIPDOCS_DEBUG",
              help="Show tracebacks and offending values (may print personal data).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """sipdocs – documents for SIP (samordnad individuell plan) for children.

    Validate inputs, render Word and PDF documents from county template packs, and
    bulk-render from spreadsheets.
    """
    _State.debug = debug
    ctx.obj = _State


# --- validate -----------------------------------------------------------------------------------

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format of the report.")
@click.option("--pack", default=None, help="Pack id or folder (default: the input's 'pack', then national).")
@_LANG
def validate(files: tuple[str, ...], fmt: str, pack: str | None, lang: str | None) -> None:
    """Validate FILE(s) (JSON or YAML) against the schema and the pack's rules.

    Every problem is reported at once, each with a code, a JSON pointer and a level.
    Exit code 0 when all files are valid (warnings allowed), 3 otherwise.
    """
    lang = _lang(lang)
    debug = _State.debug
    all_issues: list[dict[str, Any]] = []
    failed = False
    for path in files:
        try:
            result = api.validate(Path(path), pack, debug=debug)
        except InputError as exc:
            failed = True
            entry = exc.to_dict(lang)
            if len(files) > 1 or fmt == "json":
                entry["file"] = path
            all_issues.append(entry)
            if fmt == "text":
                click.echo(f"{path}: {_t(lang, 'FEL', 'ERROR')} {exc.code}: {exc.localized(lang)}")
            continue
        failed |= not result.ok
        for issue in result.issues:
            entry = issue.to_dict(lang, debug=debug)
            if len(files) > 1:
                entry["file"] = path
            all_issues.append(entry)
        if fmt == "text":
            _print_result(path, result.ok, result.issues, lang, debug)
    if fmt == "json":
        click.echo(json.dumps(all_issues, ensure_ascii=False, indent=2))
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _print_result(path: str, ok: bool, issues: tuple[Issue, ...], lang: str, debug: bool,
                  err: bool = False) -> None:
    n_err = sum(1 for i in issues if i.is_error)
    n_warn = len(issues) - n_err
    if ok:
        status = _t(lang, "giltig", "valid")
    else:
        status = _t(lang, f"OGILTIG ({n_err} fel)", f"INVALID ({n_err} errors)")
    if n_warn:
        status += _t(lang, f", {n_warn} varning(ar)", f", {n_warn} warning(s)")
    click.echo(f"{path}: {status}", err=err)
    for issue in issues:
        level = _t(lang, "fel", "error") if issue.is_error else _t(lang, "varning", "warning")
        line = f"  {level:8} {issue.code:36} {issue.pointer or '/'}  {issue.message(lang)}"
        if debug and issue.value is not None:
            line += f"  [value: {issue.value!r}]"
        click.echo(line, err=err)


# --- render -------------------------------------------------------------------------------------

def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in formats if f not in ("docx", "pdf")]
    if bad or not formats:
        raise click.BadParameter(f"unknown format(s): {', '.join(bad) or '(none)'}; use docx, pdf",
                                 param_hint="--to")
    return formats


PASSWORD_ENV = "SIPDOCS_PDF_PASSWORD"


def _pdf_password(lang: str) -> str:
    """The encryption password: from SIPDOCS_PDF_PASSWORD or a hidden prompt, never argv."""
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise click.UsageError(_t(lang, f"Sätt {PASSWORD_ENV} eller kör i en terminal för att ange lösenordet.",
                                  f"Set {PASSWORD_ENV} or run in a terminal to type the password."))
    return click.prompt(_t(lang, "Lösenord för PDF", "PDF password"), hide_input=True,
                        confirmation_prompt=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--outdir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the documents (created if missing).")
@click.option("--to", "to", default=None,
              help="Formats, comma-separated: docx,pdf (default: both; with --merge-pdf alone, only the packet).")
@click.option("--pack", default=None, help="Pack id or folder (default: the input's 'pack', then national).")
@click.option("--lang", "doc_lang", type=click.Choice(["sv", "en"]), default=None,
              help="Document language (default: the input's 'lang', then sv).")
@click.option("--name", "name_pattern", default=None,
              help="File name pattern, e.g. '{kind}-{case_id}-{date}'. Fields: kind, date, hash, "
                   "case_id, lang, pack, title. Default: {kind}-{date}-{hash}.")
@click.option("--pdf-variant", type=click.Choice(["auto", "pdf/ua-1+a-2a", "pdf/ua-1", "plain"]), default="auto",
              show_default=True, help="auto: accessible + archivable (pdf/ua-1+a-2a), or accessible "
                                      "(pdf/ua-1) with --encrypt; plain: an untagged PDF.")
@click.option("--merge-pdf", "merge_pdf", default=None, type=click.Path(dir_okay=False),
              help="Also write all documents as one PDF packet (one bookmark per document).")
@click.option("--encrypt", is_flag=True,
              help=f"Encrypt PDFs with AES-256; password from ${PASSWORD_ENV} or a prompt. The PDF "
                   "stays tagged PDF/UA-1 but does not claim PDF/A (which forbids encryption).")
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def render(files: tuple[str, ...], outdir: str, to: str | None, pack: str | None, doc_lang: str | None,
           name_pattern: str | None, pdf_variant: str, merge_pdf: str | None, encrypt: bool,
           force: bool) -> None:
    """Render FILE(s) to Word and PDF in OUTDIR.

    Invalid inputs are reported (as by 'validate') and skipped; the others are written.
    Files are written atomically and never overwritten without --force: when a file of an
    input exists already, none of that input's files is written, the others go on, and the
    exit code is 5. Exit code 3 when an input is invalid (it wins over 5).
    """
    from .backends import RenderOptions
    from .errors import InvalidInputError, OutputExistsError
    from .output import atomic_write, exists_error
    from .renderer import Renderer, render_packet

    lang = _lang(None)
    formats = _formats(to) if to is not None else (() if merge_pdf else ("docx", "pdf"))
    if encrypt and pdf_variant == "pdf/ua-1+a-2a":
        raise click.UsageError(_t(
            lang, "PDF/A tillåter inte kryptering: utelämna --pdf-variant (krypterad PDF blir pdf/ua-1) "
                  "eller välj pdf/ua-1 eller plain.",
            "PDF/A forbids encryption: leave out --pdf-variant (an encrypted PDF is pdf/ua-1) "
            "or choose pdf/ua-1 or plain."))
    if merge_pdf and not force and Path(merge_pdf).exists():
        raise exists_error([Path(merge_pdf)])  # before any work: exit 5, nothing written
    password = _pdf_password(lang) if encrypt else None
    renderer = Renderer(RenderOptions(pdf_variant=pdf_variant, pdf_password=password))
    failed = exists = False
    valid: list[str] = []
    for path in files:
        try:
            result = renderer.render(Path(path), formats or ("pdf",), pack=pack, lang=doc_lang)
        except InvalidInputError as exc:
            failed = True
            _print_result(path, False, exc.issues, lang, _State.debug)
            continue
        except InputError as exc:
            failed = True
            click.echo(f"{path}: {_t(lang, 'FEL', 'ERROR')} {exc.code}: {exc.localized(lang)}")
            continue
        valid.append(path)
        for issue in result.warnings:
            click.echo(f"{path}: {_t(lang, 'varning', 'warning')} {issue.code} {issue.pointer} "
                       f"{issue.message(lang)}")
        if formats:
            try:
                written = result.write(outdir, force=force, name_pattern=name_pattern)
            except OutputExistsError as exc:
                exists = True
                click.echo(f"{path}: {_t(lang, 'FEL', 'ERROR')} {exc.code}: {exc.localized(lang)}", err=True)
                continue
            for target in written:
                click.echo(str(target))
    if merge_pdf and valid:
        packet, _ = render_packet([Path(p) for p in valid], pack, doc_lang, renderer=renderer)
        click.echo(str(atomic_write(merge_pdf, packet, force=force)))
    sys.exit(EXIT_INVALID if failed else EXIT_EXISTS if exists else EXIT_OK)


# --- schema and kinds ---------------------------------------------------------------------------

@cli.command()
@click.argument("kind", type=click.Choice(list(KINDS) + ["common", "pack"]))
@click.option("--raw", is_flag=True, help="Print the schema as stored (refs into urn:sipdocs:schema:common).")
def schema(kind: str, raw: bool) -> None:
    """Print the JSON Schema of KIND (self-contained unless --raw)."""
    from .schemas import bundled_schema, load_schema

    doc = load_schema(kind) if raw or kind in ("common", "pack") else bundled_schema(kind)
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))


@cli.command()
@_LANG
def kinds(lang: str | None) -> None:
    """List the document kinds with their names."""
    lang = _lang(lang)
    for kind in KINDS.values():
        click.echo(f"{kind.id:12} {kind.name(lang)}")


# Sub-command modules register themselves on `cli` when imported (kept light: click only).
from . import cli_bulk, cli_consent, cli_forms, cli_web  # noqa: E402,F401

# --- the single catch site ----------------------------------------------------------------------

def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; maps sipdocs errors to messages and exit codes."""
    lang = _lang(None)
    try:
        cli.main(args=argv, prog_name="sipdocs", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo(_t(lang, "Avbrutet.", "Aborted."), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code)
    except SipdocsError as exc:
        _fail(exc, lang)
    except KeyboardInterrupt:
        click.echo(_t(lang, "Avbrutet.", "Interrupted."), err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - the one place unexpected errors are reported
        if _State.debug:
            raise
        click.echo(_t(lang, "Internt fel i sipdocs. Kör med --debug för detaljer.",
                      "Internal error in sipdocs. Run with --debug for details."), err=True)
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_OK)


def _fail(exc: SipdocsError, lang: str) -> NoReturn:
    click.echo(f"{_t(lang, 'Fel', 'Error')} [{exc.code}]: {exc.localized(lang)}", err=True)
    if _State.debug and exc.__cause__ is not None:
        import traceback

        traceback.print_exception(exc.__cause__, file=sys.stderr)
    sys.exit(exc.exit_code)
