"""Validation issues placed next to their fields (and in the summary at the top)."""

from __future__ import annotations

import re

from markupsafe import escape

from ..errors import Issue
from .formgen import Field, field_for_pointer, field_id
from .texts import T

# "(/child/personal_number)" in a library message: the pointer is for programs; on a page the
# message stands next to its field and links to it, so the pointer is left out. Where a
# message names a field by its pointer alone ("Required field missing: /meeting/date" — the
# English messages do not use the Swedish titles), the field's label takes its place.
_POINTER = re.compile(r" \(/[^()\s]*\)")
_BARE_POINTER = re.compile(r"(?<![\w(])/[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*")


class IssueView:
    """An issue as a page shows it: the message in the UI language, and the field it belongs to."""

    def __init__(self, issue: Issue, target: str | None, lang: str, labels: dict[str, str]) -> None:
        self.code = issue.code
        self.pointer = issue.pointer
        self.is_error = issue.is_error
        message = _POINTER.sub("", issue.message(lang))
        self.message = _BARE_POINTER.sub(lambda m: labels.get(field_id(m.group(0)), m.group(0)), message)
        self.target = target


def field_labels(fields: list[Field]) -> dict[str, str]:
    """Field id → its label, with the rows it sits in ("Insatser 1 › Insats/åtgärd")."""
    out: dict[str, str] = {}

    def walk(field: Field, prefix: str) -> None:
        own = field.row_label if field.path and isinstance(field.path[-1], int) else field.label
        label = f"{prefix} › {own}" if prefix else own
        out[field.id] = label
        for child in field.children:  # a group's or a row's fields
            walk(child, label)
        for row in field.rows:  # "Insatser 1" already names its list
            walk(row, prefix)

    for top in fields:
        walk(top, "")
    return out


def issue_views(fields: list[Field], issues: tuple[Issue, ...],
                lang: str) -> tuple[list[IssueView], dict[str, list[IssueView]]]:
    labels = field_labels(fields)
    views = [IssueView(i, field_for_pointer(i.pointer, set(labels)), lang, labels) for i in issues]
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
