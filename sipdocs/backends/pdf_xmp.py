"""The XMP packet of a tagged PDF: one uncompressed packet claiming PDF/UA-1 (and PDF/A-2a).

WeasyPrint's variants can claim only one standard, and write the packet compressed, so the
finisher replaces the content of the metadata stream WeasyPrint wrote with this packet. It is
built from the document's :class:`weasyprint.DocumentMetadata` — its documented attributes
(``title``, ``authors``, ``description``, ``keywords``, ``generator``, ``created``,
``modified``), which WeasyPrint also writes to the document information dictionary — so the
two agree, as PDF/A requires. The RDF has the shape of WeasyPrint's own (one
``rdf:Description`` per property), with the producer set to sipdocs and, for PDF/A, the
``pdfuaid`` identification and the extension schema that declares it: PDF/A only allows XMP
properties from predefined schemas or ones declared in the packet, and ``pdfuaid`` is not
predefined (ISO 14289-1, Annex A).
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

PDFA_LEVEL = ("2", "A")  # PDF/A-2a: tagged, Unicode text; checked in tests with PDF_A_2A
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": _RDF,
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
_PDFUA_EXTENSION_SCHEMA = """<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" rdf:about="">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""
_HEADER = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def xmp_packet(metadata: Any, producer: str, *, pdfa: bool) -> bytes:
    """The packet for ``metadata`` (a ``DocumentMetadata``): PDF/UA-1, and PDF/A-2a if ``pdfa``."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    rdf = ET.Element(_q("rdf", "RDF"))
    if pdfa:
        _description(rdf, {_q("pdfaid", "part"): PDFA_LEVEL[0], _q("pdfaid", "conformance"): PDFA_LEVEL[1]})
    else:
        _description(rdf, {_q("pdfuaid", "part"): "1"})
    _description(rdf, {_q("pdf", "Producer"): producer})
    if metadata.title:
        _language_alternative(rdf, "title", metadata.title)
    if metadata.authors:
        sequence = ET.SubElement(ET.SubElement(_description(rdf), _q("dc", "creator")), _q("rdf", "Seq"))
        for author in metadata.authors:
            ET.SubElement(sequence, _q("rdf", "li")).text = author
    if metadata.description:
        _language_alternative(rdf, "description", metadata.description)
    for ns, name, value in (("pdf", "Keywords", ", ".join(metadata.keywords or ())),
                            ("xmp", "CreatorTool", metadata.generator),
                            ("xmp", "CreateDate", metadata.created),
                            ("xmp", "ModifyDate", metadata.modified)):
        if value:
            ET.SubElement(_description(rdf), _q(ns, name)).text = value
    if pdfa:
        _description(rdf, {_q("pdfuaid", "part"): "1"})
        rdf.append(ET.fromstring(_PDFUA_EXTENSION_SCHEMA))
    return _HEADER + bytes(ET.tostring(rdf, encoding="utf-8")) + _FOOTER


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _description(rdf: ET.Element, attributes: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(rdf, _q("rdf", "Description"))
    element.attrib[_q("rdf", "about")] = ""
    element.attrib.update(attributes or {})
    return element


def _language_alternative(rdf: ET.Element, name: str, text: str) -> None:
    alternative = ET.SubElement(ET.SubElement(_description(rdf), _q("dc", name)), _q("rdf", "Alt"))
    item = ET.SubElement(alternative, _q("rdf", "li"))
    item.attrib["xml:lang"] = "x-default"
    item.text = text
