"""Bulk rendering from spreadsheets (CSV, XLSX, ODS): see :func:`bulk`."""

from __future__ import annotations

from .runner import BulkOptions as BulkOptions
from .runner import BulkRun as BulkRun
from .runner import BulkSummary as BulkSummary
from .runner import FileRecord as FileRecord
from .runner import RowOutcome as RowOutcome
from .runner import bulk as bulk

__all__ = ["bulk", "BulkRun", "BulkOptions", "BulkSummary", "RowOutcome", "FileRecord"]
