"""``sipdocs consent read``: a filled-in consent PDF (or a packet) back to consent input."""

from __future__ import annotations

import json
import os
import sys

import click

from .. import api
from ..inputs import load_input
from .common import EXIT_INVALID, EXIT_OK, PASSWORD_ENV, lang_alias_option, messages_option, print_result, say, state

__all__ = ["consent"]


@click.group()
def consent() -> None:
    """Consent forms: read a filled-in consent PDF."""


@consent.command("read")
@click.argument("pdf", type=click.Path(dir_okay=False, exists=True))
@click.option("--input", "bases", type=click.Path(dir_okay=False, exists=True), multiple=True,
              help="The consent input the form was made from; the answers are applied to it. "
                   "For a packet read whole: once per consent, in the packet's order.")
@click.option("--document", type=click.IntRange(min=1), default=None,
              help="In a packet, read only the consent that is document N (1 = the first).")
@click.option("--password", "ask_password", is_flag=True,
              help=f"Ask for the password of an encrypted PDF (or set ${PASSWORD_ENV}; never on the command line).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the consent JSON here (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite --output.")
@messages_option
@lang_alias_option
def read(pdf: str, bases: tuple[str, ...], document: int | None, ask_password: bool, output: str | None,
         force: bool) -> None:
    """Read the answers of a filled consent PDF into consent JSON, and validate it.

    The JSON is printed (or written with -o): one object for a consent, a list of
    objects for a packet that holds several consents (or one with --document N).
    Problems — e.g. what is missing when no --input is given — are reported on standard
    error, per document of a packet. Exit code 0 when every consent read validates, 3
    otherwise.
    """
    from ..output import atomic_write  # start-up: tempfile and shutil only when writing

    lang = state().messages
    password = os.environ.get(PASSWORD_ENV) or None
    if ask_password and not password:
        password = click.prompt(say(lang, "cli.password_prompt"), hide_input=True, err=True)
    inputs = [load_input(path) for path in bases]
    if document is not None or len(inputs) == 1:
        if len(inputs) > 1:
            raise click.UsageError(say(lang, "cli.one_input_with_document"))
        results = [api.read_consent(pdf, inputs[0] if inputs else None, password=password, document=document)]
    else:
        results = api.read_consents(pdf, inputs or None, password=password)
    data = results[0].data if len(results) == 1 else [result.data for result in results]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        atomic_write(output, (text + "\n").encode("utf-8"), force=force)
    else:
        click.echo(text)
    for result in results:
        where = pdf if result.document is None else f"{pdf} ({say(lang, 'cli.document')} {result.document})"
        if result.issues or result.document is not None:
            print_result(where, result.ok, result.issues, lang, state().debug, err=True)
    sys.exit(EXIT_OK if all(result.ok for result in results) else EXIT_INVALID)
