"""Namespaces, the strict parser and serialisation shared by the Word modules."""

from __future__ import annotations

from lxml import etree

NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

NS = {
    "w": NS_W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": NS_R,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}

# Never ``recover=True``: a damaged part is an error, not something to repair by deleting text.
STRICT_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=True)


def serialise(root: etree._Element) -> bytes:
    """A part's bytes as Word writes them: UTF-8 with a standalone declaration."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data
