"""Clickable links in Word output: the ``link`` and ``mailto`` filters and their relationships.

A Word hyperlink is a ``w:hyperlink`` element around runs whose ``r:id`` names an
*External* relationship of the part it is in (``word/_rels/document.xml.rels``,
``word/_rels/header1.xml.rels`` …) with the target URL. A Jinja filter knows neither the
part it renders into nor the ids that part already uses, so both Word engines make links
in two steps:

1. :func:`word_link` and :func:`word_mailto` print markup that — like docxtpl's
   ``InlineImage`` — closes the run the tag is typed in, writes a ``w:hyperlink`` holding
   one run in Word's *Hyperlink* character style, and opens a new run. The target waits in
   a placeholder id, ``sipdocs-link:<target>``.
2. :func:`resolve_links`, after rendering, numbers a part's placeholders in order of
   appearance (``rIdSipLink1`` …, one per distinct target, so the same input gives the same
   bytes) and returns the relationships to add. The link's run gets the formatting of the
   run the tag was typed in (size, bold …; not its colour or underline, which the link
   style sets), and the run after the link gets it back, so text after the tag keeps it.

A link's run is marked ``w:noProof`` and language ``zxx`` (no linguistic content): a URL or
an e-mail address is not Swedish, and a hyphenating reader would otherwise insert a hyphen
into it ("rektor@ex-ample.org" in LibreOffice), which changes the address as printed.

Only ``http``, ``https`` and ``mailto`` targets become links: anything else prints as
plain text. Values are user data: the text and the target are escaped, and a target is
percent-encoded where a URI may not hold the character (spaces, non-ASCII).
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import quote, urlsplit

from lxml import etree
from markupsafe import Markup, escape

from .docx_xml import NS_R, NS_RELS, NS_W, STRICT_PARSER, serialise

LINK_STYLE = "Hyperlink"
LINK_COLOUR = "0563C1"  # Word's hyperlink blue; 6.9:1 against white
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
LINK_SCHEMES = ("http", "https", "mailto")
NO_LANGUAGE = "zxx"  # BCP 47 "no linguistic content": no hyphenation, no spelling check

_MARKER = "sipdocs-link:"
_W = f"{{{NS_W}}}"
_R_ID = f"{{{NS_R}}}id"
# the link style sets colour and underline; language and proofing are the link's own
_NOT_INHERITED = (f"{_W}rStyle", f"{_W}color", f"{_W}u", f"{_W}noProof", f"{_W}lang")
# the sequence of w:rPr's children (ECMA-376 Part 1, CT_RPr)
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
_EMAIL = re.compile(r"[^@\s<>\"()\[\]\\,;:]+@[^@\s<>\"()\[\]\\,;:]+\.[^@\s<>\"()\[\]\\,;:]+")
_OPEN = ('</w:t></w:r><w:hyperlink xmlns:r="' + NS_R + '" r:id="' + _MARKER)
_RUN = '" w:history="1"><w:r><w:rPr><w:rStyle w:val="' + LINK_STYLE + '"/></w:rPr><w:t xml:space="preserve">'
_CLOSE = '</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">'


def web_target(url: str) -> str | None:
    """The hyperlink target for an http(s) URL, or None when ``url`` is not one."""
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def mailto_target(address: str) -> str | None:
    """``mailto:`` + the address, or None when ``address`` is not an e-mail address."""
    if not _EMAIL.fullmatch(address or ""):
        return None
    return "mailto:" + quote(address, safe="@.-_~+!$'*^`{|}=")


def word_link(value: Any) -> Any:
    """``{{ url | link }}`` in a Word template: a hyperlink to an http(s) URL; '' for None."""
    if value is None:
        return ""
    text = str(value)
    target = web_target(text)
    return text if target is None else _hyperlink(target, text)


def word_mailto(value: Any) -> Any:
    """``{{ address | mailto }}`` in a Word template: a ``mailto:`` hyperlink; '' for None."""
    if value is None:
        return ""
    text = str(value)
    target = mailto_target(text)
    return text if target is None else _hyperlink(target, text)


def _hyperlink(target: str, text: str) -> Markup:
    # str.join: the fixed markup stays markup, only the values are escaped
    return Markup("".join((_OPEN, escape(target), _RUN, escape(text), _CLOSE)))


def resolve_links(root: etree._Element) -> list[tuple[str, str]]:
    """Number the link placeholders of a rendered part in order of appearance and return
    the ``(id, target)`` relationships to add to the part's ``.rels``.

    A placeholder whose target is not http(s)/mailto (only a template writing raw markup
    could make one) loses its link and keeps its text.
    """
    links = [el for el in root.iter(f"{_W}hyperlink") if (el.get(_R_ID) or "").startswith(_MARKER)]
    ids: dict[str, str] = {}
    for link in links:
        target = link.get(_R_ID)[len(_MARKER):]
        if urlsplit(target).scheme.lower() not in LINK_SCHEMES:
            _unwrap(link)
            continue
        link.set(_R_ID, ids.setdefault(target, f"rIdSipLink{len(ids) + 1}"))
        _carry_formatting(link)
    return [(rid, target) for target, rid in ids.items()]


def has_links(xml: str) -> bool:
    """Whether a rendered part may hold link placeholders (a cheap test before parsing)."""
    return _MARKER in xml


def _carry_formatting(link: etree._Element) -> None:
    before = link.getprevious()
    template_rpr = before.find(f"{_W}rPr") if before is not None and before.tag == f"{_W}r" else None
    for run in link.iterfind(f"{_W}r"):
        rpr = run.find(f"{_W}rPr")
        if rpr is None:
            rpr = etree.Element(f"{_W}rPr")
            run.insert(0, rpr)
        if template_rpr is not None:
            rpr.extend(copy.deepcopy(prop) for prop in template_rpr if prop.tag not in _NOT_INHERITED)
        rpr.append(etree.Element(f"{_W}noProof"))
        lang = etree.SubElement(rpr, f"{_W}lang")
        for attr in ("val", "eastAsia", "bidi"):
            lang.set(f"{_W}{attr}", NO_LANGUAGE)
        rpr[:] = sorted(rpr, key=_rpr_order)
    after = link.getnext()
    if template_rpr is not None and after is not None and after.tag == f"{_W}r" and after.find(f"{_W}rPr") is None:
        after.insert(0, copy.deepcopy(template_rpr))


def _rpr_order(prop: etree._Element) -> int:
    name = etree.QName(prop).localname
    return _RPR_ORDER.index(name) if name in _RPR_ORDER else len(_RPR_ORDER)


def _unwrap(link: etree._Element) -> None:
    parent = link.getparent()
    index = parent.index(link)
    for offset, run in enumerate(list(link)):
        rpr = run.find(f"{_W}rPr")
        style = rpr.find(f"{_W}rStyle") if rpr is not None else None
        if style is not None and style.get(f"{_W}val") == LINK_STYLE:
            rpr.remove(style)
        parent.insert(index + offset, run)
    parent.remove(link)


def ensure_link_style(styles_xml: bytes) -> bytes:
    """``styles.xml`` with a *Hyperlink* character style (blue, underlined) when it has none.

    Word's default template has the style, python-docx's (and so a template built from it
    or a user's pack template) may not; a run referring to a missing style would look like
    plain text.
    """
    root = etree.fromstring(styles_xml, STRICT_PARSER)
    styles = root.findall(f"{_W}style")
    if any(st.get(f"{_W}styleId") == LINK_STYLE for st in styles):
        return styles_xml
    names = {name.get(f"{_W}val") for name in root.iterfind(f"{_W}style/{_W}name")}
    ids = {st.get(f"{_W}styleId") for st in styles}
    style = etree.SubElement(root, f"{_W}style")
    style.set(f"{_W}type", "character")
    style.set(f"{_W}styleId", LINK_STYLE)
    etree.SubElement(style, f"{_W}name").set(f"{_W}val", LINK_STYLE if LINK_STYLE not in names
                                             else f"{LINK_STYLE} (sipdocs)")
    if "DefaultParagraphFont" in ids:
        etree.SubElement(style, f"{_W}basedOn").set(f"{_W}val", "DefaultParagraphFont")
    etree.SubElement(style, f"{_W}uiPriority").set(f"{_W}val", "99")
    etree.SubElement(style, f"{_W}unhideWhenUsed")
    rpr = etree.SubElement(style, f"{_W}rPr")
    etree.SubElement(rpr, f"{_W}color").set(f"{_W}val", LINK_COLOUR)
    etree.SubElement(rpr, f"{_W}u").set(f"{_W}val", "single")
    return serialise(root)


def add_relationships(existing: bytes | None, rels: list[tuple[str, str, str, bool]]) -> bytes:
    """A part's ``.rels`` with ``(id, type, target, external)`` relationships appended
    (the part's own relationships keep their order); a new ``.rels`` when it has none."""
    if existing is None:
        root = etree.Element(f"{{{NS_RELS}}}Relationships", nsmap={None: NS_RELS})
    else:
        root = etree.fromstring(existing, STRICT_PARSER)
    for rid, rtype, target, external in rels:
        rel = etree.SubElement(root, f"{{{NS_RELS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", rtype)
        rel.set("Target", target)
        if external:
            rel.set("TargetMode", "External")
    return serialise(root)
