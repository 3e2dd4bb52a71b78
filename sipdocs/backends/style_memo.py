"""Computed CSS styles shared between the documents of one pack.

WeasyPrint computes styles lazily: a ``ComputedStyle`` starts empty and computes each
property the first time layout asks for it (inheritance, ``em``/``%``/``vw`` resolution,
colours, fonts) — some 12,000 property computations per invitation, plus a fresh style for
every page and page-margin box. Inside one document WeasyPrint already lets elements share a
style object when their parent style and matched declarations are the same. Between
documents nothing is shared, although a pack's documents come from the same templates and
one parsed stylesheet, so nearly all of their styles are the same from one document to the
next.

:class:`StyleMemo` extends WeasyPrint's own sharing rule across documents. When layout
first asks the document's ``StyleFor`` for a style, that style is replaced by one kept from
an earlier document with the same *key*: the (already shared) parent style, the
pseudo-element, the base URL, and the cascaded declarations — each property's parsed value
and its weight. A computed value is a function of exactly those plus the font configuration
and the first page's size; the font configuration is the renderer's, and the page size is
checked after layout (:meth:`StyleMemo.sizes_changed`: the document is laid out again
without kept styles when it differs). A style met for the first time is re-pointed at the
kept parent and kept. The swap is lazy because the cascade also gives every element
``::marker``, ``::footnote-call`` and four more pseudo-element styles that layout asks for
only on list items and footnotes.

Values are compared by value where they hash; lists by their items; anything else by
identity, which is sound because a kept style's declarations keep those objects alive, so
their identities cannot be reused by other objects. What WeasyPrint writes into a style
during layout (zero padding on collapsed tables, page counters on ``@page`` styles) is the
same each time for the same style, and a test compares every sample, corpus case and every
tenth generated input byte for byte with a renderer that keeps nothing.

Two more savings ride on the same hook. The cascade of a document with kept styles runs
on :func:`trimmed_ua_stylesheet` — WeasyPrint's UA stylesheet without the footnote and note
marker rules that give every element five styles layout hardly ever asks for — and a
document that does ask is laid out again with the whole sheet. And once laid out, the
document's ``StyleFor`` is emptied (:meth:`StyleMemo.release`), so the cascade's styles
are freed by reference counting instead of waiting for the cyclic garbage collector.

WeasyPrint itself is not patched: only ``HTML`` objects made by :mod:`.html_tree` carry a
memo; they are laid out by a ``Document`` subclass whose ``_build_layout_context`` attaches
the memo to that document's ``StyleFor`` by giving it a subclass with a memo-aware
``__call__``. On a WeasyPrint whose internals differ from 70.x, nothing is attached.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# A pack whose documents keep producing new styles (values written into style="" attributes)
# would grow the memo without end; past this many kept styles it starts afresh.
MAX_STYLES = 20_000
# What the memo reads and re-points on WeasyPrint's ComputedStyle (checked before each use).
_STYLE_ATTRIBUTES = ("parent_style", "root_style", "cascaded", "pseudo_type", "base_url", "cache",
                     "initial_page_sizes")


_BY_IDENTITY, _SEQUENCE = object(), object()

# Pseudo-elements that WeasyPrint's UA stylesheet gives every element, and that layout only
# asks for on footnotes (``float: footnote``) and notes (``position: note()``).
NOTE_PSEUDO_ELEMENTS = frozenset({"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"})
_NOTE_RULE = re.compile(r"^::(%s)\s*\{[^{}]*\}[ \t]*$" % "|".join(sorted(NOTE_PSEUDO_ELEMENTS)), re.MULTILINE)


class FullStylesheetNeeded(Exception):
    """A document laid out with :func:`trimmed_ua_stylesheet` turned out to need the whole one."""

    def __init__(self, notes: bool) -> None:
        super().__init__("footnote or note" if notes else "styles not shared")
        self.notes = notes


@functools.cache
def trimmed_ua_stylesheet() -> Any:
    """WeasyPrint's UA stylesheet without its five footnote and note pseudo-element rules.

    Those rules match every element, so the cascade makes five styles per element that
    layout never asks for unless the document has footnotes or notes (≈ 10 ms for an
    invitation). A document laid out with this sheet that does ask for one is laid out
    again with the whole sheet (the memo's ``StyleFor`` raises :class:`FullStylesheetNeeded`
    at the request), and its pack keeps the whole sheet from then on. None when this
    WeasyPrint's sheet does not have exactly those rules as 70.x has them.
    """
    from weasyprint import CSS
    from weasyprint.html import UA, UA_COUNTER_STYLE

    text, removed = _NOTE_RULE.subn("", UA)
    if removed != len(NOTE_PSEUDO_ELEMENTS):
        return None
    return CSS(string=text, counter_style=UA_COUNTER_STYLE.copy())


def _hashable(value: Any) -> Any:
    """``value``, or a hashable stand-in for it: lists and tuples holding unhashable items
    (``content`` values, ``@page`` specificities) by their items, anything else by identity.

    Identity is sound because a kept style's cascaded declarations keep their values alive,
    and two live objects never share an identity; values from the pack's parsed stylesheet
    are the same objects in every document, so they still match.
    """
    try:
        hash(value)
    except TypeError:
        if isinstance(value, (list, tuple)):
            return (_SEQUENCE, type(value), tuple([_hashable(item) for item in value]))
        return (_BY_IDENTITY, id(value))
    return value


class StyleMemo:
    """Styles kept between the documents of one pack in one renderer (see the module docstring)."""

    def __init__(self) -> None:
        self._styles: dict[tuple[Any, ...], Any] = {}
        self._kept: set[int] = set()  # ids of the kept styles (alive in _styles, so unique)
        self.page_sizes: dict[str, Any] = {"box": None, "area": None}
        self._sizes_before: dict[str, Any] | None = None
        self.notes_seen = False  # a document of the pack had footnotes or notes: whole UA sheet

    def __len__(self) -> int:
        return len(self._styles)

    def clear(self) -> None:
        self._styles.clear()
        self._kept.clear()
        self.page_sizes = {"box": None, "area": None}
        self._sizes_before = None

    def attach(self, style_for: Any, ua_trimmed: bool = False) -> bool:
        """Make a freshly cascaded document's ``StyleFor`` hand out kept styles where keys match.

        The swap happens when layout first asks for a style: the cascade also makes styles for
        pseudo-elements of every element (``::marker``…) that layout only asks for on some.
        ``ua_trimmed``: the cascade used :func:`trimmed_ua_stylesheet`, so a request for a
        footnote or note pseudo-element stops the layout. False when nothing was attached.
        """
        styles = getattr(style_for, "_computed_styles", None)
        root = next(iter(styles.values()), None) if styles else None
        if root is None or not all(hasattr(root, name) for name in _STYLE_ATTRIBUTES):
            return False  # a WeasyPrint whose styles differ from 70.x: its ordinary path, unshared
        if root["display"] == ("none",):
            return False  # WeasyPrint then rewrites every element's display: nothing to keep
        if len(self._styles) > MAX_STYLES:
            self.clear()
        self._sizes_before = dict(self.page_sizes) if self._styles else None
        # Viewport units resolve against the first page's size, which layout stores in the
        # StyleFor's dict: one dict for the document's styles, the kept ones and later @page ones.
        style_for.initial_page_sizes = self.page_sizes
        for style in styles.values():
            style.initial_page_sizes = self.page_sizes
        style_for._sipdocs_memo = self
        style_for._sipdocs_swapped = {}
        style_for._sipdocs_ua_trimmed = ua_trimmed
        style_for.__class__ = _shared_style_for(type(style_for))
        return True

    @staticmethod
    def release(style_for: Any) -> None:
        """Empty a laid-out document's ``StyleFor`` so its styles are freed at once.

        Once a document is laid out, nothing reaches its ``StyleFor`` any more, but it sits in
        a reference cycle of WeasyPrint's layout context, and it holds the ~1,800 styles the
        cascade made for the document (most of them swapped for kept ones) with their
        declarations: ~17,000 objects left to the cyclic garbage collector. Emptied, they are
        freed by reference counting and the collection after the document has little to walk.
        """
        for name in ("_computed_styles", "_cascaded_styles", "_sipdocs_swapped"):
            table = getattr(style_for, name, None)
            if isinstance(table, dict):
                table.clear()

    def sizes_changed(self) -> bool:
        """Whether the document just laid out had another first-page size than the ones before.

        Styles kept from those documents may have resolved viewport units (``vw``, ``vh``…)
        against the old size, so the memo is cleared and the document laid out again.
        """
        return self._sizes_before is not None and self._sizes_before != self.page_sizes

    def swap(self, style: Any, swapped: dict[int, tuple[Any, Any]]) -> Any:
        """The style to use for the document's ``style``: a kept equal one, or ``style`` itself.

        ``swapped`` maps the identity of each document style seen so far to (that style, the
        style used); it holds the document style too, so its identity cannot be reused.
        """
        entry = swapped.get(id(style))
        if entry is not None:
            return entry[1]
        used = style
        parent = style.parent_style
        if parent is None:
            used = self._kept_or_keep(style, None)
        else:
            kept_parent = self.swap(parent, swapped)
            if id(kept_parent) in self._kept:  # else not shareable, nor anything below it
                used = self._kept_or_keep(style, kept_parent)
        swapped[id(style)] = (style, used)
        swapped[id(used)] = (used, used)
        return used

    def _kept_or_keep(self, style: Any, kept_parent: Any) -> Any:
        cascaded = style.cascaded
        key = (id(kept_parent), style.pseudo_type, style.base_url,
               tuple([(name, value, weight) for name, (value, weight) in cascaded.items()]))
        try:
            kept = self._styles.get(key)
        except TypeError:  # an unhashable value or weight (lists in ``content``, @page specificities)
            key = key[:3] + (tuple([(name, _hashable(value), _hashable(weight))
                                    for name, (value, weight) in cascaded.items()]),)
            kept = self._styles.get(key)
        if kept is not None:
            return kept
        if kept_parent is not None:
            style.parent_style = kept_parent
            style.root_style = kept_parent.root_style if kept_parent.parent_style is not None else kept_parent
            style.cache = kept_parent.cache
        style.initial_page_sizes = self.page_sizes
        self._styles[key] = style
        self._kept.add(id(style))
        return style


@functools.cache
def _shared_style_for(base: type) -> type:
    """``StyleFor`` (``base``) whose lookups go through the attached :class:`StyleMemo`."""

    class SharedStyleFor(base):  # type: ignore[misc, valid-type]
        def __call__(self, element: Any, pseudo_type: Any = None) -> Any:
            if pseudo_type in NOTE_PSEUDO_ELEMENTS and self._sipdocs_ua_trimmed:
                raise FullStylesheetNeeded(notes=True)
            styles = self._computed_styles
            style = styles.get((element, pseudo_type))
            if style is not None:
                used = self._sipdocs_memo.swap(style, self._sipdocs_swapped)
                if used is not style:
                    styles[element, pseudo_type] = used
            return super().__call__(element, pseudo_type)

    return SharedStyleFor
