"""``sipdocs consent read``: a filled-in consent PDF back to a consent input."""

from __future__ import annotations

import json
import sys

import click

from .cli import EXIT_INVALID, EXIT_OK, _lang, _print_result, _State, cli


@cli.group()
def consent() -> None:
    """Consent forms: read a filled-in consent PDF."""


@consent.command("read")
@click.argument("pdf", type=click.Path(dir_okay=False, exists=True))
@click.option("--input", "base", type=click.Path(dir_okay=False, exists=True), default=None,
              help="The consent input the form was made from; the answers are applied to it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the consent JSON here (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite --output.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None, help="Language of messages.")
def read(pdf: str, base: str | None, output: str | None, force: bool, lang: str | None) -> None:
    """Read the answers of a filled consent PDF into consent JSON, and validate it.

    The JSON is printed (or written with -o); problems — e.g. what is missing when no
    --input is given — are reported on standard error. Exit code 0 when the result
    validates, 3 otherwise.
    """
    from .consent_form import read_consent
    from .inputs import load_input
    from .output import atomic_write

    lang = _lang(lang)
    result = read_consent(pdf, load_input(base) if base else None)
    text = json.dumps(result.data, ensure_ascii=False, indent=2)
    if output:
        atomic_write(output, (text + "\n").encode("utf-8"), force=force)
    else:
        click.echo(text)
    if result.issues:
        _print_result(pdf, result.ok, result.issues, lang, _State.debug, err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_INVALID)
