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
same each time for the same style, and tests compare every sample, corpus case and every
tenth generated input byte for byte with plain WeasyPrint (every fast path off).

One more saving rides on the same hook: once laid out, the document's ``StyleFor`` is
emptied (:meth:`StyleMemo.release`), so the cascade's styles are freed by reference counting
instead of waiting for the cyclic garbage collector.

WeasyPrint itself is not patched: only ``HTML`` objects made for the PDF backend carry a
memo; they are laid out by a ``Document`` subclass whose ``_build_layout_context`` attaches
the memo to that document's ``StyleFor`` by giving it a subclass with a memo-aware
``__call__``. Everything this takes from WeasyPrint's internals goes through
:mod:`._weasyprint_compat` (the ``style_memo`` fast path): this module only decides which
styles are the same. With the fast path off, no memo is made.
"""

from __future__ import annotations

from typing import Any

from . import _weasyprint_compat as weasyprint_compat

# A pack whose documents keep producing new styles (values written into style="" attributes)
# would grow the memo without end; past this many kept styles it starts afresh.
MAX_STYLES = 20_000

_BY_IDENTITY, _SEQUENCE = object(), object()


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

    def __len__(self) -> int:
        return len(self._styles)

    def clear(self) -> None:
        self._styles.clear()
        self._kept.clear()
        self.page_sizes = {"box": None, "area": None}
        self._sizes_before = None

    def attach(self, style_for: Any) -> bool:
        """Make a freshly cascaded document's ``StyleFor`` hand out kept styles where keys match.

        The swap happens when layout first asks for a style: the cascade also makes styles for
        pseudo-elements of every element (``::marker``…) that layout only asks for on some.
        False when nothing was attached.
        """
        styles = weasyprint_compat.computed_styles(style_for)
        if styles is None:
            return False  # a WeasyPrint whose styles differ from 70.x: its ordinary path, unshared
        if weasyprint_compat.hides_root(styles):
            return False  # WeasyPrint then rewrites every element's display: nothing to keep
        if len(self._styles) > MAX_STYLES:
            self.clear()
        self._sizes_before = dict(self.page_sizes) if self._styles else None
        # Viewport units resolve against the first page's size, which layout stores in the
        # StyleFor's dict: one dict for the document's styles, the kept ones and later @page ones.
        weasyprint_compat.share_page_sizes(style_for, styles, self.page_sizes)
        weasyprint_compat.hand_out_kept_styles(style_for, self)
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
        weasyprint_compat.release(style_for)

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
        parent = weasyprint_compat.parent_style(style)
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
        pseudo_type, base_url, cascaded = weasyprint_compat.style_key(style)
        key = (id(kept_parent), pseudo_type, base_url,
               tuple([(name, value, weight) for name, (value, weight) in cascaded.items()]))
        try:
            kept = self._styles.get(key)
        except TypeError:  # an unhashable value or weight (lists in ``content``, @page specificities)
            key = key[:3] + (tuple([(name, _hashable(value), _hashable(weight))
                                    for name, (value, weight) in cascaded.items()]),)
            kept = self._styles.get(key)
        if kept is not None:
            return kept
        weasyprint_compat.inherit_from(style, kept_parent, self.page_sizes)
        self._styles[key] = style
        self._kept.add(id(style))
        return style
