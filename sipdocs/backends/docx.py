"""The reference Word engine: docxtpl as documented, one ``DocxTemplate`` per document.

Slow (the template package is re-read and its XML recompiled every time) but it *is*
docxtpl, so it serves as the oracle in tests; ``RenderOptions(docx_engine="docxtpl")`` selects
it. The default engine is its sibling :mod:`.docx_compiled`. Both run every template in
:func:`sipdocs.templating.make_environment` (sandbox, StrictUndefined, autoescape: without
escaping docxtpl silently deletes text after ``&`` or ``<``), put only plain data and image
objects in the context, set alt text on every picture, write a deterministic zip, and parse
every XML part of the result strictly — a damaged file is an error, never an output. What
both add to docxtpl's rendering is shared in :mod:`.ooxml`, so both give the same document.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.exceptions import TemplateError
from lxml import etree

from ..archive import deterministic_zip
from ..errors import RenderError
from ..images import map_images
from ..layout.build import template_for
from .base import RenderJob, RenderOptions, map_template_error
from .docx_language import word_language
from .docx_xml import NS
from .docx_xml import STRICT_PARSER as _STRICT
from .ooxml import (
    RENDERED_PARTS,
    alt_texts,
    core_properties_xml,
    document_datetime,
    finish_part,
    prepared_parts,
    word_environment,
)

# --- context images -----------------------------------------------------------------------------

def docxtpl_images(context: Mapping[str, Any], tpl: Any) -> dict[str, Any]:
    """Convert the context's images to docxtpl ``InlineImage`` objects for ``tpl``.

    For integrators who render :func:`sipdocs.build_context` with plain docxtpl::

        tpl = DocxTemplate("plan.docx")
        tpl.render(docxtpl_images(sipdocs.build_context(data), tpl), autoescape=True)

    (python-docx cannot embed SVG, which is why sipdocs' QR codes are PNG.)
    """
    mapped: dict[str, Any] = map_images(context, lambda img: InlineImage(tpl, io.BytesIO(img.png),
                                                                          width=Mm(img.width_mm)))
    return mapped


# --- package post-processing ----------------------------------------------------------------------

def set_alt_texts(root: Any, related_blob: Callable[[str], bytes | None], alts: Mapping[str, str]) -> None:
    """Set ``descr`` (Word's alt text) on every picture whose image is known."""
    for inline in root.iter(f"{{{NS['wp']}}}inline", f"{{{NS['wp']}}}anchor"):
        blip = inline.find(".//a:blip", NS)
        doc_pr = inline.find("wp:docPr", NS)
        if blip is None or doc_pr is None:
            continue
        blob = related_blob(blip.get(f"{{{NS['r']}}}embed", ""))
        alt = alts.get(hashlib.sha256(blob).hexdigest()) if blob else None
        if alt:
            doc_pr.set("descr", alt)
            nv = inline.find(".//pic:cNvPr", NS)
            if nv is not None:
                nv.set("descr", alt)


def check_package(data: bytes, template: str) -> None:
    """Re-open a rendered .docx and parse every XML part strictly; raise if anything is off."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            bad = zf.testzip()
            if bad:
                raise ValueError(f"bad zip entry {bad}")
            for name in zf.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(zf.read(name), _STRICT)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as exc:
        raise RenderError.from_code("render.corrupt_output", template=template, kind=exc.__class__.__name__,
                                    details={"template": template}) from exc


# --- the reference engine ---------------------------------------------------------------------------

class DocxtplBackend:
    """docxtpl as documented, one ``DocxTemplate`` per document (the reference engine)."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.env = word_environment()

    def render(self, job: RenderJob) -> bytes:
        source = template_for(job.pack, job.kind, "docx")
        name = f"{job.pack.id}/{source.name}"
        tpl = DocxTemplate(io.BytesIO(source.data))
        context = docxtpl_images(job.context, tpl)
        try:
            tpl.render(context, jinja_env=self.env, autoescape=True)
        except TemplateError as exc:
            part = getattr(getattr(tpl, "current_rendering_part", None), "partname", None)
            raise map_template_error(exc, name, str(part) if part else None) from exc
        alts = alt_texts(job.context)
        for part in tpl.docx.part.package.iter_parts():
            element = getattr(part, "element", None)  # XML parts (python-docx's XmlPart)
            if element is not None:
                set_alt_texts(element, functools.partial(_related_blob, part), alts)
        buf = io.BytesIO()
        tpl.save(buf)
        entries = _read_entries(buf.getvalue())
        doc = job.context.get("doc") or {}
        parts = dict(entries)
        replaced = prepared_parts(parts.get, job.lang)
        replaced["docProps/core.xml"] = core_properties_xml(
            doc.get("title") or "", word_language(job.lang), (doc.get("pack") or {}).get("name", ""),
            document_datetime(job.context))
        for part, blob in entries:
            if RENDERED_PARTS.match(part):
                text = blob.decode("utf-8")
                xml, rels = finish_part(part, text, parts.get)
                if xml is not text:
                    replaced[part] = xml.encode("utf-8")
                replaced.update(rels)
        entries = [(n, replaced.pop(n, d)) for n, d in entries] + sorted(replaced.items())
        data = deterministic_zip(entries)
        check_package(data, name)
        return data


def _related_blob(part: Any, rid: str) -> bytes | None:
    try:
        blob: bytes = part.related_parts[rid].blob
    except KeyError:
        return None
    return blob


def _read_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]
