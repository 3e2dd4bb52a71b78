"""Validation issues placed next to their fields (and in the summary at the top)."""

from __future__ import annotations

import re

from markupsafe import escape

from ..errors import Issue
from .formgen import Field, field_for_pointer
from .texts import T

# "(/child/personal_number)" in a library message: the pointer is for programs; on a page the
# message stands next to its field and links to it, so the pointer is left out.
_POINTER = re.compile(r" \(/[^()\s]*\)")


class IssueView:
    def __init__(self, issue: Issue, target: str | None, lang: str) -> None:
        self.code = issue.code
        self.pointer = issue.pointer
        self.is_error = issue.is_error
        self.message = _POINTER.sub("", issue.message(lang))
        self.target = target


def issue_views(fields: list[Field], issues: tuple[Issue, ...], lang: str) -> tuple[list[IssueView], dict[str, list[IssueView]]]:
    ids = {f.id for top in fields for f in top.walk()}
    views = [IssueView(i, field_for_pointer(i.pointer, ids), lang) for i in issues]
    by_field: dict[str, list[IssueView]] = {}
    for view in views:
        if view.target:
            by_field.setdefault(view.target, []).append(view)
    return views, by_field


def error_fragments(fields: list[Field], by_field: dict[str, list[IssueView]], t: T) -> str:
    """One out-of-band swap per field's error container: its messages now, or empty.

    Every container is sent so that a fixed field's old message disappears. Written
    without Jinja macros: a plan has over 300 fields and this runs on every autosave.
    """
    parts = []
    for f in fields:
        if f.widget == "hidden":
            continue
        inner = "".join(
            f'<span class="{"error-text" if i.is_error else "warning-text"}"><span class="visually-hidden">'
            f'{escape(t.error if i.is_error else t.warning)}: </span>{escape(i.message)}</span>'
            for i in by_field.get(f.id, ()))
        parts.append(f'<div id="{f.error_id}" hx-swap-oob="innerHTML">{inner}</div>\n')
    return "".join(parts)
