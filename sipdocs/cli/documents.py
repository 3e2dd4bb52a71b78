"""``sipdocs validate``, ``render``, ``new``, ``schema`` and ``kinds``: one document at a time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import api
from ..errors import InputError, InvalidInputError, OutputExistsError
from ..kinds import KINDS
from ..schemas import bundled_schema, load_schema
from ..skeleton import yaml_skeleton
from .common import (
    EXIT_EXISTS,
    EXIT_INVALID,
    EXIT_OK,
    PASSWORD_ENV,
    fast_paths_option,
    lang_alias_option,
    lang_option,
    messages_option,
    parse_formats,
    pdf_password,
    print_result,
    say,
    state,
)

__all__ = ["validate", "render", "new", "schema", "kinds"]


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format of the report.")
@click.option("--pack", default=None, help="Pack id or folder (default: the input's 'pack', then national).")
@messages_option
@lang_alias_option
def validate(files: tuple[str, ...], fmt: str, pack: str | None) -> None:
    """Validate FILE(s) (JSON or YAML) against the schema and the pack's rules.

    Every problem is reported at once, each with a code, a JSON pointer and a level.
    Exit code 0 when all files are valid (warnings allowed), 3 otherwise.
    """
    lang, debug = state().messages, state().debug
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
                click.echo(f"{path}: {say(lang, 'cli.error_upper')} {exc.code}: {exc.localized(lang)}")
            continue
        failed |= not result.ok
        for issue in result.issues:
            entry = issue.to_dict(lang, debug=debug)
            if len(files) > 1:
                entry["file"] = path
            all_issues.append(entry)
        if fmt == "text":
            print_result(path, result.ok, result.issues, lang, debug)
    if fmt == "json":
        click.echo(json.dumps(all_issues, ensure_ascii=False, indent=2))
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--outdir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the documents (created if missing).")
@click.option("--to", "to", default=None,
              help=f"Formats, comma-separated: {','.join(api.FORMATS)} (default: all; with --merge-pdf alone, "
                   "only the packet).")
@click.option("--pack", default=None, help="Pack id or folder (default: the input's 'pack', then national).")
@lang_option()
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
@fast_paths_option
@messages_option
def render(files: tuple[str, ...], outdir: str, to: str | None, pack: str | None, doc_lang: str | None,
           name_pattern: str | None, pdf_variant: str, merge_pdf: str | None, encrypt: bool,
           force: bool, fast_paths: bool) -> None:
    """Render FILE(s) to Word and PDF in OUTDIR.

    Invalid inputs are reported (as by 'validate') and skipped; the others are written.
    Files are written atomically and never overwritten without --force: when a file of an
    input exists already, none of that input's files is written, the others go on, and the
    exit code is 5. Exit code 3 when an input is invalid (it wins over 5).
    """
    from ..output import atomic_write, exists_error  # start-up: tempfile and shutil only when writing

    lang, debug = state().messages, state().debug
    formats = parse_formats(to) if to is not None else (() if merge_pdf else tuple(api.FORMATS))
    if encrypt and pdf_variant == "pdf/ua-1+a-2a":
        raise click.UsageError(say(lang, "pdf.encrypt_conflicts_pdfa"))
    if merge_pdf and not force and Path(merge_pdf).exists():
        raise exists_error([Path(merge_pdf)])  # before any work: exit 5, nothing written
    password = pdf_password(lang) if encrypt else None
    renderer = api.Renderer(api.RenderOptions(pdf_variant=pdf_variant, pdf_password=password,
                                              fast_paths=fast_paths))
    failed = exists = False
    valid: list[str] = []
    for path in files:
        try:
            result = renderer.render(Path(path), formats or ("pdf",), pack=pack, lang=doc_lang)
        except InvalidInputError as exc:
            failed = True
            print_result(path, False, exc.issues, lang, debug)
            continue
        except InputError as exc:
            failed = True
            click.echo(f"{path}: {say(lang, 'cli.error_upper')} {exc.code}: {exc.localized(lang)}")
            continue
        valid.append(path)
        for issue in result.warnings:
            click.echo(f"{path}: {say(lang, 'cli.warning')} {issue.code} {issue.pointer} "
                       f"{issue.message(lang)}")
        if formats:
            try:
                written = result.write(outdir, force=force, name_pattern=name_pattern)
            except OutputExistsError as exc:
                exists = True
                click.echo(f"{path}: {say(lang, 'cli.error_upper')} {exc.code}: {exc.localized(lang)}", err=True)
                continue
            for target in written:
                click.echo(str(target))
    if merge_pdf and valid:
        packet, _ = api.render_packet([Path(p) for p in valid], pack, doc_lang, renderer=renderer)
        click.echo(str(atomic_write(merge_pdf, packet, force=force)))
    sys.exit(EXIT_INVALID if failed else EXIT_EXISTS if exists else EXIT_OK)


@click.command("new")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("--from", "sources", multiple=True, type=click.Path(dir_okay=False),
              help="An earlier document of the case (JSON/YAML); repeat for several.")
@click.option("-o", "--output", default="-", show_default=True,
              help="The YAML file to write ('-' for standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@messages_option
def new(kind: str, sources: tuple[str, ...], output: str, force: bool) -> None:
    """Write a commented YAML skeleton of KIND, prefilled from earlier documents.

    Fields the earlier documents already give (child, guardians, services, consent …) are
    filled in; required fields still to fill in are marked OBLIGATORISK.
    """
    from ..output import atomic_write  # start-up: tempfile and shutil only when writing

    text = yaml_skeleton(kind, api.prefill(kind, *sources))
    if output == "-":
        click.echo(text, nl=False)
        return
    click.echo(str(atomic_write(output, text.encode("utf-8"), force=force)))


@click.command()
@click.argument("kind", type=click.Choice(list(KINDS) + ["common", "pack"]))
@click.option("--raw", is_flag=True, help="Print the schema as stored (refs into urn:sipdocs:schema:common).")
def schema(kind: str, raw: bool) -> None:
    """Print the JSON Schema of KIND (self-contained unless --raw)."""
    doc = load_schema(kind) if raw or kind in ("common", "pack") else bundled_schema(kind)
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))


@click.command()
@messages_option
@lang_alias_option
def kinds() -> None:
    """List the document kinds with their names."""
    lang = state().messages
    for kind in KINDS.values():
        click.echo(f"{kind.id:12} {kind.name(lang)}")
