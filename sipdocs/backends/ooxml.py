"""What both Word engines share, so they give the same document.

The docxtpl reference engine (:mod:`.docx`) and the compiled engine (:mod:`.docx_compiled`)
are siblings: neither imports the other. What they add to docxtpl's rendering lives here and
in the Word helper modules: the sandboxed environment with the ``link``/``mailto`` filters as
Word hyperlinks (:mod:`.docx_links`), the document's language in styles and settings
(:mod:`.docx_language`), rows too tall to keep on one page allowed to split
(:mod:`.docx_rows`), the alt text of every picture, and core properties that hold no personal
value and make the same input give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from lxml import etree

from ..images import map_images
from ..templating import make_environment
from .docx_language import localised_parts
from .docx_links import (
    HYPERLINK_REL,
    add_relationships,
    ensure_link_style,
    has_links,
    resolve_links,
    word_link,
    word_mailto,
)
from .docx_rows import relax_tall_rows
from .docx_xml import NS, STRICT_PARSER, serialise

RENDERED_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


# --- pictures and properties --------------------------------------------------------------------

def alt_texts(context: Mapping[str, Any]) -> dict[str, str]:
    """sha256 of each image's PNG → its alt text."""
    found: dict[str, str] = {}
    map_images(context, lambda img: found.setdefault(img.digest, img.alt))
    return found


def core_properties_xml(title: str, language: str, subject: str, when: datetime) -> bytes:
    """Fixed core properties: no personal values, dates from the document date (determinism)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element(f"{{{NS['cp']}}}coreProperties", nsmap={
        "cp": NS["cp"], "dc": NS["dc"], "dcterms": NS["dcterms"],
        "xsi": "http://www.w3.org/2001/XMLSchema-instance"})

    def add(ns: str, name: str, text: str, typed: bool = False) -> None:
        el = etree.SubElement(root, f"{{{NS[ns]}}}{name}")
        el.text = text
        if typed:
            el.set("{http://www.w3.org/2001/XMLSchema-instance}type", "dcterms:W3CDTF")

    add("dc", "title", title)
    add("dc", "subject", subject)
    add("dc", "creator", "sipdocs")
    add("cp", "keywords", "SIP")
    add("dc", "language", language)
    add("cp", "lastModifiedBy", "sipdocs")
    add("cp", "revision", "1")
    add("dcterms", "created", stamp, typed=True)
    add("dcterms", "modified", stamp, typed=True)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def document_datetime(context: Mapping[str, Any]) -> datetime:
    iso = (context.get("doc") or {}).get("date_iso")
    try:
        return datetime.fromisoformat(iso) if iso else datetime(2000, 1, 1)
    except ValueError:
        return datetime(2000, 1, 1)


# --- rendering a part --------------------------------------------------------------------

def word_environment() -> Any:
    """The sandboxed environment of :func:`make_environment` with the Word ``link`` and
    ``mailto`` filters (real ``w:hyperlink`` elements, see :mod:`.docx_links`)."""
    env = make_environment(autoescape=True)
    env.filters["link"] = word_link
    env.filters["mailto"] = word_mailto
    return env


def prepared_parts(read: Callable[[str], bytes | None], lang: str) -> dict[str, bytes]:
    """The parts that depend on the document's language, not on its data: styles and
    settings declaring the language (:mod:`.docx_language`), styles with a *Hyperlink*
    character style for the links. ``read(name)`` gives a template part or None."""
    parts = localised_parts(read, lang)
    styles = parts.get("word/styles.xml") or read("word/styles.xml")
    if styles is not None:
        parts["word/styles.xml"] = ensure_link_style(styles)
    return parts


def rels_name(part: str) -> str:
    """``word/document.xml`` → ``word/_rels/document.xml.rels``."""
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels"


def finish_part(part: str, xml: str, read: Callable[[str], bytes | None],
                extra: Sequence[tuple[str, str, str, bool]] = ()) -> tuple[str, dict[str, bytes]]:
    """A rendered part parsed strictly, its links resolved and its too-tall rows allowed to
    split (:mod:`.docx_links`, :mod:`.docx_rows`), with its ``.rels`` when relationships —
    its links and ``extra`` ones such as pictures — were added (``read`` gives the
    template's ``.rels``).

    :raises lxml.etree.XMLSyntaxError: the rendered part is not well-formed.
    """
    root = etree.fromstring(xml.encode("utf-8"), STRICT_PARSER)
    links = resolve_links(root) if has_links(xml) else []
    relaxed = relax_tall_rows(root)
    if links or relaxed:
        xml = serialise(root).decode("utf-8")
    rels = list(extra) + [(rid, HYPERLINK_REL, target, True) for rid, target in links]
    if not rels:
        return xml, {}
    name = rels_name(part)
    return xml, {name: add_relationships(read(name), rels)}
