"""``sipdocs forms ...``: list, show, check and scaffold template packs."""

from __future__ import annotations

import sys

import click

from .cli import EXIT_FAILURE, EXIT_OK, cli


@cli.group()
def forms() -> None:
    """Template packs: list, show, check, new."""
