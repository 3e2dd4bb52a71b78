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
WeasyPrint's own parser — and so does every document when the ``html_tree`` fast path is off
(:mod:`._weasyprint_compat`: handing WeasyPrint a parsed tree bypasses ``HTML.__init__``).
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from . import _weasyprint_compat as weasyprint_compat
from ._compat import usable
from .style_memo import StyleMemo

# foreign content (namespaced tags in tinyhtml5), template contents, and the obsolete <isindex>
# (which tinyhtml5 still expands into a form) are left to WeasyPrint's parser
_FOREIGN = re.compile(r"<\s*(svg|math|template|isindex)\b", re.IGNORECASE)


def parse_html(source: str, base_url: str, url_fetcher: Any, style_memo: StyleMemo | None = None,
               fast_paths: bool = True) -> Any:
    """A WeasyPrint ``HTML`` for ``source``, parsed by Lexbor when it can be.

    With ``style_memo``, the document's computed styles are shared with the documents laid
    out before it with the same memo (see :mod:`.style_memo`).
    """
    if not _FOREIGN.search(source) and usable(weasyprint_compat.HTML_TREE, fast_paths):
        root = _lexbor_tree(source)
        html = (None if root is None
                else weasyprint_compat.html_from_tree(root, base_url, url_fetcher, style_memo, fast_paths))
        if html is not None:
            return html
    return weasyprint_compat.html_from_string(source, base_url, url_fetcher, style_memo)


def _lexbor_tree(source: str) -> ET.Element | None:
    try:
        from selectolax.lexbor import LexborHTMLParser  # start-up: Lexbor loads only when this fast path parses HTML

        # UTF-8 first: a lone surrogate raises here, where Lexbor would silently drop it
        top = LexborHTMLParser(source.encode("utf-8")).root
        if top is None or not top.is_element_node:
            return None
        root = ET.Element(str(top.tag), _attributes(top))
        _copy_children(top, root)
        return root
    except Exception:
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
