"""``python -m sipdocs`` runs the command-line interface."""

from .cli import main

main()
