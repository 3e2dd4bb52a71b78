"""The ``sipdocs`` command line: thin wrappers over the public API (:mod:`sipdocs.api`).

One module per command group — :mod:`.documents` (validate, render, new, schema, kinds),
:mod:`.bulk` (bulk, sheet-template), :mod:`.consent`, :mod:`.forms`, :mod:`.web` (serve) — over
the helpers they share in :mod:`.common`; :mod:`.program` assembles them and is the single
place where errors become messages and exit codes:

====  ==========================================================
0     success (warnings allowed)
1     unexpected failure (a bug, a broken pack or a render failure)
2     usage error (unknown option, unknown pack or kind)
3     invalid or unreadable input
4     bulk run finished but some rows failed
5     an output file exists already (nothing overwritten; --force)
====  ==========================================================

``sipdocs = "sipdocs.cli:main"`` is the console script; ``python -m sipdocs`` runs the same.
"""

from __future__ import annotations

from .program import cli as cli
from .program import main as main

__all__ = ["cli", "main"]
