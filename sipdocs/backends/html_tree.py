"""HTML5 parsing for WeasyPrint in C: Lexbor (selectolax) instead of tinyhtml5.

WeasyPrint parses its input with tinyhtml5, a pure-Python implementation of the WHATWG
parsing algorithm: about 12 ms for an invitation, every document. Lexbor implements the
same algorithm in C (0.3 ms); the tree is copied into the ``xml.etree`` elements WeasyPrint
works on (another 0.3 ms) and handed to WeasyPrint as an already-parsed :class:`HTML`.

The two parsers build the same tree — a test compares them on every sample, pack, corpus
and generated input — with two differences that do not reach the layout: comments are
left out (WeasyPrint skips them), and text on either side of one becomes one string.
Sources with foreign content (inline ``<svg>``, ``<math>``, where tinyhtml5 namespaces the
tags), ``<template>`` or the obsolete ``<isindex>``, and anything Lexbor cannot take, go to
WeasyPrint's own parser.
"""

from __future__ import annotations

import inspect
import re
from typing import Any
from xml.etree import ElementTree as ET

from .style_memo import FullStylesheetNeeded, StyleMemo, trimmed_ua_stylesheet

# foreign content (namespaced tags in tinyhtml5), template contents, and the obsolete <isindex>
# (which tinyhtml5 still expands into a form) are left to WeasyPrint's parser
_FOREIGN = re.compile(r"<\s*(svg|math|template|isindex)\b", re.IGNORECASE)


def parse_html(source: str, base_url: str, url_fetcher: Any, style_memo: StyleMemo | None = None) -> Any:
    """A WeasyPrint ``HTML`` for ``source``, parsed by Lexbor when it can be.

    With ``style_memo``, the document's computed styles are shared with the documents laid
    out before it with the same memo (see :mod:`.style_memo`); only for Lexbor-parsed HTML.
    """
    from weasyprint import HTML

    root = None if _FOREIGN.search(source) else _lexbor_tree(source)
    if root is None or _PreParsedHTML is None:
        return HTML(string=source, base_url=base_url, url_fetcher=url_fetcher)
    return _PreParsedHTML(root, base_url, url_fetcher, style_memo)


def _lexbor_tree(source: str) -> ET.Element | None:
    try:
        from selectolax.lexbor import LexborHTMLParser

        # UTF-8 first: a lone surrogate raises here, where Lexbor would silently drop it
        top = LexborHTMLParser(source.encode("utf-8")).root
        if top is None or not top.is_element_node:
            return None
        root = ET.Element(top.tag, _attributes(top))
        _copy_children(top, root)
        return root
    except Exception:  # noqa: BLE001 - anything Lexbor (or another selectolax) cannot take: WeasyPrint's parser
        return None


def _attributes(node: Any) -> dict[str, str]:
    # Lexbor gives None for an attribute without a value (``<input checked>``); HTML says "".
    return {name: "" if value is None else value for name, value in node.attributes.items()}


def _copy_children(node: Any, parent: ET.Element) -> None:
    """Copy ``node``'s children under ``parent``: elements, and text as ``.text``/``.tail``."""
    last: ET.Element | None = None
    child = node.child
    while child is not None:
        if child.is_element_node:
            last = ET.SubElement(parent, child.tag, _attributes(child))
            _copy_children(child, last)
        elif child.is_text_node:
            text = child.text_content or ""
            if last is None:
                parent.text = (parent.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        child = child.next


def _pre_parsed_class() -> type | None:
    """``weasyprint.HTML`` taking a parsed tree; None if this WeasyPrint differs from 70.x."""
    try:
        import cssselect2
        from weasyprint import DEFAULT_OPTIONS, HTML
        from weasyprint import _find_base_url as find_base_url
        from weasyprint.document import Document
        from weasyprint.html import UA_STYLESHEET
    except ImportError:
        return None

    class SharedStyleDocument(Document):  # type: ignore[misc, valid-type]
        """A ``Document`` whose styles go through the HTML's :class:`StyleMemo`, if it has one."""

        @classmethod
        def _build_layout_context(cls, html: Any, *args: Any, **kwargs: Any) -> Any:
            context = super()._build_layout_context(html, *args, **kwargs)
            if html.style_memo is not None:
                html.laid_out_by = context.style_for
                if not html.style_memo.attach(context.style_for, html.ua_trimmed) and html.ua_trimmed:
                    raise FullStylesheetNeeded(notes=False)  # nothing would notice a footnote
            return context

    class PreParsedHTML(HTML):  # type: ignore[misc, valid-type]
        """What ``HTML.__init__`` sets up after parsing, from a tree parsed elsewhere."""

        def __init__(self, root: ET.Element, base_url: str, url_fetcher: Any,
                     style_memo: StyleMemo | None = None) -> None:
            self.base_url = find_base_url(root, base_url)
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element
            self.style_memo = style_memo
            self.laid_out_by: Any = None  # the StyleFor of the last layout, until it is released
            self.trim_ua = self.ua_trimmed = False

        def _ua_stylesheets(self, forms: bool = False) -> Any:
            sheets = super()._ua_stylesheets(forms)
            trimmed = trimmed_ua_stylesheet() if self.trim_ua and sheets and sheets[0] is UA_STYLESHEET else None
            self.ua_trimmed = trimmed is not None
            return [trimmed, *sheets[1:]] if trimmed is not None else sheets

        def render(self, font_config: Any = None, counter_style: Any = None, color_profiles: Any = None,
                   **options: Any) -> Any:
            """``HTML.render``, laid out by ``SharedStyleDocument`` when there is a memo.

            With a memo the document is first laid out with the trimmed UA stylesheet (see
            ``trimmed_ua_stylesheet``), unless its pack already showed footnotes or notes. It is
            laid out again with the whole sheet if it has some, and again without kept styles if
            its first page has another size than the documents before it (at most three times:
            each retry turns its cause off).
            """
            memo = self.style_memo
            if memo is None or not memo_hooks or not set(options) <= set(DEFAULT_OPTIONS):
                return super().render(font_config, counter_style, color_profiles, **options)
            self.trim_ua = not memo.notes_seen
            while True:
                try:
                    document = SharedStyleDocument._render(self, font_config, counter_style, color_profiles,
                                                           {**DEFAULT_OPTIONS, **options})
                except FullStylesheetNeeded as signal:
                    memo.notes_seen |= signal.notes
                    self.trim_ua = False
                    continue
                finally:
                    self._release()
                if not memo.sizes_changed():
                    return document
                memo.clear()  # kept styles may hold viewport units of another page size

        def _release(self) -> None:
            if self.laid_out_by is not None:
                StyleMemo.release(self.laid_out_by)
                self.laid_out_by = None

    # The memo hooks into Document._render and _build_layout_context as WeasyPrint 70 has them.
    memo_hooks = (callable(getattr(Document, "_build_layout_context", None))
                  and list(inspect.signature(Document._render).parameters)
                  == ["html", "font_config", "counter_style", "color_profiles", "options"])

    # A WeasyPrint whose HTML keeps more than these attributes would meet a half-built object:
    # then every document takes WeasyPrint's own path (a test fails, so it is noticed).
    try:
        expected = set(vars(HTML(string="<p>probe</p>", base_url="/")))
        built = set(vars(PreParsedHTML(ET.fromstring("<html><body/></html>"), "/", None)))
    except Exception:  # noqa: BLE001
        return None
    return PreParsedHTML if expected <= built else None


_PreParsedHTML = _pre_parsed_class()
