"""The exit codes of the ``sipdocs`` command (documented in the README), in one place.

The exceptions carry theirs (:attr:`sipdocs.errors.SipdocsError.exit_code`), a bulk run's summary
its own (:attr:`sipdocs.bulk.BulkSummary.exit_code`); the CLI turns both into the process's.
"""

from __future__ import annotations

EXIT_OK = 0            # success (warnings allowed)
EXIT_FAILURE = 1       # unexpected failure (a bug, a broken pack or a render failure)
EXIT_USAGE = 2         # usage error (unknown option, unknown pack or kind)
EXIT_INVALID = 3       # invalid or unreadable input
EXIT_ROWS_FAILED = 4   # a bulk run finished but some rows failed
EXIT_EXISTS = 5        # an output file exists already (nothing overwritten; --force)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
