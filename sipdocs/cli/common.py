"""What every command shares: the state in click's context object, the option names, the
message language, printing a validation result, exit codes.

The command modules import this module and the library's front (:mod:`sipdocs.api`); none
imports another command module, and nothing imports a command module but
:mod:`.program`, which assembles them.

**Option names** are the same in every command: ``--lang`` is the *document* language (what a
rendered document is written in), ``--messages`` the language of what sipdocs prints (default
``SIPDOCS_LANG``, then Swedish). Where ``--lang`` used to mean the message language
(``validate``, ``kinds``, ``consent read``) it is kept as a hidden alias of ``--messages`` that
prints a one-line notice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ..api import FORMATS
from ..catalogue import say  # what a command prints: say(lang, "cli.aborted"), from sipdocs.catalogue
from ..errors import Issue
from ..exit_codes import (
    EXIT_EXISTS,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_ROWS_FAILED,
    EXIT_USAGE,
)

__all__ = ["CliState", "state", "say", "message_language", "print_result", "parse_formats", "pdf_password",
           "messages_option", "lang_option", "lang_alias_option", "fast_paths_option", "PASSWORD_ENV",
           "EXIT_OK", "EXIT_FAILURE", "EXIT_USAGE", "EXIT_INVALID", "EXIT_ROWS_FAILED", "EXIT_EXISTS",
           "EXIT_INTERRUPTED"]

F = TypeVar("F", bound=Callable[..., Any])

LANGUAGES = ("sv", "en")
PASSWORD_ENV = "SIPDOCS_PDF_PASSWORD"


def message_language(value: str | None = None) -> str:
    """``value``, else ``SIPDOCS_LANG``, else Swedish."""
    return value or os.environ.get("SIPDOCS_LANG", "sv")


@dataclass
class CliState:
    """One run's state, kept in click's context object (``ctx.obj``).

    :param debug: ``--debug``: tracebacks and offending values (may print personal data).
    :param messages: the message language (``--messages``).
    """

    debug: bool = False
    messages: str = ""

    def __post_init__(self) -> None:
        self.messages = self.messages or message_language()


def state() -> CliState:
    """The running command's state (made when a command is invoked without :func:`main`)."""
    return click.get_current_context().ensure_object(CliState)


# --- options ------------------------------------------------------------------------------------

def _set_messages(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(CliState).messages = value


def messages_option(f: F) -> F:
    """``--messages sv|en``: the language of what the command prints (``state().messages``)."""
    return click.option("--messages", type=click.Choice(LANGUAGES), default=None, expose_value=False,
                        callback=_set_messages, is_eager=True,
                        help="Language of messages (default: SIPDOCS_LANG or sv).")(f)


def _deprecated_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    current = ctx.ensure_object(CliState)
    current.messages = value
    command = ctx.command_path.removeprefix(f"{ctx.find_root().info_name} ")
    click.echo(say(value, "cli.lang_deprecated", command=command, value=value), err=True)


def lang_alias_option(f: F) -> F:
    """The old ``--lang`` of commands where it meant the message language: hidden, deprecated."""
    return click.option("--lang", "deprecated_lang", type=click.Choice(LANGUAGES), default=None, hidden=True,
                        expose_value=False, callback=_deprecated_lang, is_eager=True)(f)


def lang_option(help_text: str = "Document language (default: the input's 'lang', then sv).") -> Callable[[F], F]:
    """``--lang sv|en``: the document language (the ``doc_lang`` parameter)."""
    return click.option("--lang", "doc_lang", type=click.Choice(LANGUAGES), default=None, help=help_text)


def fast_paths_option(f: F) -> F:
    """``--no-fast-paths``: render through the libraries' public API only (the ``fast_paths``
    parameter; :class:`sipdocs.RenderOptions`)."""
    return click.option("--no-fast-paths", "fast_paths", is_flag=True, flag_value=False, default=True,
                        help="Render without the speed-ups that reach into WeasyPrint, pydyf or docxtpl "
                             "internals (slower; for checking a library upgrade).")(f)


# --- values -------------------------------------------------------------------------------------

def parse_formats(value: str) -> tuple[str, ...]:
    """``"docx,pdf"`` → ``("docx", "pdf")``, each a registered output format."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"unknown format(s): {', '.join(bad) or '(none)'}; use {', '.join(FORMATS)}",
                                 param_hint="--to")
    return formats


def pdf_password(lang: str) -> str:
    """The encryption password: from SIPDOCS_PDF_PASSWORD or a hidden prompt, never argv."""
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise click.UsageError(say(lang, "cli.password_needs_terminal", env=PASSWORD_ENV))
    return str(click.prompt(say(lang, "cli.password_prompt"), hide_input=True,
                            confirmation_prompt=True))


# --- printing -----------------------------------------------------------------------------------

def print_result(path: str, ok: bool, issues: tuple[Issue, ...], lang: str, debug: bool,
                 err: bool = False) -> None:
    """A file's verdict and its issues, one per line (values only with ``debug``)."""
    n_err = sum(1 for i in issues if i.is_error)
    n_warn = len(issues) - n_err
    if ok:
        status = say(lang, "cli.valid")
    else:
        status = say(lang, "cli.invalid", count=n_err)
    if n_warn:
        status += ", " + say(lang, "cli.warning_count", count=n_warn)
    click.echo(f"{path}: {status}", err=err)
    for issue in issues:
        level = say(lang, "cli.error" if issue.is_error else "cli.warning")
        line = f"  {level:8} {issue.code:36} {issue.pointer or '/'}  {issue.message(lang)}"
        if debug and issue.value is not None:
            line += f"  [value: {issue.value!r}]"
        click.echo(line, err=err)
