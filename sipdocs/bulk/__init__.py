"""Bulk rendering from spreadsheets (CSV, XLSX, ODS): see :func:`bulk`.

``sipdocs.bulk`` is the public function, but it is also the name of this package: once any
of its modules is imported (``import sipdocs.bulk.columns``), Python's import system sets the
attribute ``sipdocs.bulk`` to the package, hiding the function. So the package itself is
callable and runs :func:`bulk`, whichever of the two ``sipdocs.bulk`` is.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .runner import BulkOptions as BulkOptions
from .runner import BulkRun as BulkRun
from .runner import BulkSummary as BulkSummary
from .runner import FileRecord as FileRecord
from .runner import RowOutcome as RowOutcome
from .runner import bulk as bulk

__all__ = ["bulk", "BulkRun", "BulkOptions", "BulkSummary", "RowOutcome", "FileRecord"]


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`bulk`."""

    def __call__(self, *args: Any, **kwargs: Any) -> BulkRun:
        return bulk(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
