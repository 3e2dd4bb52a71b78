"""The ``sipdocs`` program: the command group, its commands, and the single catch site.

:func:`main` is the one place where errors become messages and exit codes
(:mod:`sipdocs.exit_codes`, documented in the README). Personal values never reach the terminal
unless ``--debug`` is given. The run's state (``--debug``, the message language) lives in
click's context object, a :class:`~.common.CliState` that :func:`main` makes and reads back.
"""

from __future__ import annotations

import sys
import traceback
from typing import NoReturn

import click

from ..errors import SipdocsError
from .bulk import bulk, sheet_template
from .common import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CliState, say
from .consent import consent
from .documents import kinds, new, render, schema, validate
from .forms import forms
from .web import serve

__all__ = ["cli", "main"]


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
    ctx.ensure_object(CliState).debug = debug


for _command in (validate, render, new, schema, kinds, bulk, sheet_template, consent, forms, serve):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; maps sipdocs errors to messages and exit codes."""
    state = CliState()
    try:
        cli.main(args=argv, prog_name="sipdocs", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo(say(state.messages, "cli.aborted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code)
    except SipdocsError as exc:
        _fail(exc, state)
    except KeyboardInterrupt:
        click.echo(say(state.messages, "cli.interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception:
        if state.debug:
            raise
        click.echo(say(state.messages, "cli.internal_error"), err=True)
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_OK)


def _fail(exc: SipdocsError, state: CliState) -> NoReturn:
    lang = state.messages
    click.echo(f"{say(lang, 'cli.error_title')} [{exc.code}]: {exc.localized(lang)}", err=True)
    if state.debug and exc.__cause__ is not None:
        traceback.print_exception(exc.__cause__, file=sys.stderr)
    sys.exit(exc.exit_code)
