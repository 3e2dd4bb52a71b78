"""Word output: docxtpl templates rendered in the sipdocs sandbox.

Two engines share this module's safety net:

* ``DocxtplBackend`` – the reference: plain ``DocxTemplate`` + ``render(autoescape=True)``
  per document. Slow (the template package is re-read and its XML recompiled every
  time) but it *is* docxtpl, so it serves as the oracle in tests.
* ``CompiledDocxBackend`` (:mod:`sipdocs.backends.docx_compiled`) – the default: the
  package is parsed and each tagged XML part compiled once; per document only those
  parts are rendered and the untouched zip entries are copied as they are.

Both run every template in :func:`sipdocs.templating.make_environment` (sandbox,
StrictUndefined, autoescape: without escaping docxtpl silently deletes text after ``&``
or ``<``), put only plain data and image objects in the context, set alt text on every
picture, write a deterministic zip, and re-open the result parsing every XML part
strictly — a damaged file is an error, never an output.

What the engines add to docxtpl's rendering is shared here, so both give the same
document: the ``link``/``mailto`` filters as Word hyperlinks (:mod:`.docx_links`), the
document's language in styles and settings (:mod:`.docx_language`), and rows too tall to
keep on one page allowed to split (:mod:`.docx_rows`).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

from lxml import etree

from ..errors import RenderError, TemplateSecurityError
from ..images import Image
from ..templating import make_environment
from . import RenderJob, RenderOptions
from ._docxtpl_compat import compiled_engine
from .docx_language import localised_parts, word_language
from .docx_links import (HYPERLINK_REL, add_relationships, ensure_link_style, has_links, resolve_links, word_link,
                         word_mailto)
from .docx_rows import relax_tall_rows
from .docx_xml import NS, STRICT_PARSER, serialise

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_STRICT = STRICT_PARSER
RENDERED_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


def create_docx_backend(options: RenderOptions) -> Any:
    """The Word backend selected by ``options.docx_engine`` (``auto`` = compiled): the reference
    engine when the compiled one's fast path is off (``options.fast_paths``, another docxtpl;
    see :mod:`._docxtpl_compat`)."""
    if options.docx_engine == "docxtpl" or not compiled_engine(options.fast_paths):
        return DocxtplBackend(options)
    from .docx_compiled import CompiledDocxBackend

    return CompiledDocxBackend(options)


# --- context images -----------------------------------------------------------------------------

def map_images(node: Any, convert: Callable[[Image], Any], *, skip: tuple[str, ...] = ("t",)) -> Any:
    """A copy of ``node`` with every :class:`Image` replaced by ``convert(image)``.

    Top-level keys in ``skip`` are shared, not copied (the catalogue ``t`` holds no images).
    """
    if isinstance(node, dict):
        return {k: (v if k in skip else _map(v, convert)) for k, v in node.items()}
    return _map(node, convert)


def _map(node: Any, convert: Callable[[Image], Any]) -> Any:
    cls = type(node)
    if cls is dict:
        return {k: _map(v, convert) for k, v in node.items()}
    if cls is list:
        return [_map(v, convert) for v in node]
    if cls is Image:
        return convert(node)
    return node


def docxtpl_images(context: Mapping[str, Any], tpl: Any) -> dict[str, Any]:
    """Convert the context's images to docxtpl ``InlineImage`` objects for ``tpl``.

    For integrators who render :func:`sipdocs.build_context` with plain docxtpl::

        tpl = DocxTemplate("plan.docx")
        tpl.render(docxtpl_images(sipdocs.build_context(data), tpl), autoescape=True)

    (python-docx cannot embed SVG, which is why sipdocs' QR codes are PNG.)
    """
    from docx.shared import Mm
    from docxtpl import InlineImage

    return map_images(context, lambda img: InlineImage(tpl, io.BytesIO(img.png), width=Mm(img.width_mm)))


def alt_texts(context: Mapping[str, Any]) -> dict[str, str]:
    """sha256 of each image's PNG → its alt text."""
    found: dict[str, str] = {}
    map_images(context, lambda img: found.setdefault(img.digest, img.alt))
    return found


# --- errors -------------------------------------------------------------------------------------

def map_template_error(exc: Exception, template: str, part: str | None) -> Exception:
    """Turn a Jinja error into a sipdocs error naming the template, part and variable."""
    from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

    where = template + (f" ({part})" if part else "")
    if isinstance(exc, SecurityError):
        return TemplateSecurityError(
            f"The template {where} tried something the sandbox forbids: {exc}",
            message_sv=f"Mallen {where} försökte göra något som sandlådan förbjuder: {exc}",
            code="render.security", details={"template": template, "part": part},
        )
    if isinstance(exc, UndefinedError):
        variable = _undefined_name(str(exc))
        return RenderError(
            f"The template {where} uses {variable!r}, which the context does not provide",
            message_sv=f"Mallen {where} använder {variable!r} som inte finns i underlaget",
            code="render.undefined_variable",
            details={"template": template, "part": part, "variable": variable},
        )
    if isinstance(exc, TemplateSyntaxError):
        return RenderError(
            f"Syntax error in the template {where}, line {exc.lineno}: {exc.message}",
            message_sv=f"Syntaxfel i mallen {where}, rad {exc.lineno}: {exc.message}",
            code="render.template_syntax",
            details={"template": template, "part": part, "line": exc.lineno},
        )
    return RenderError(
        f"The template {where} failed: {type(exc).__name__}",
        message_sv=f"Mallen {where} misslyckades: {type(exc).__name__}",
        code="render.failed", details={"template": template, "part": part},
    )


def _undefined_name(message: str) -> str:
    for pattern in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'", r"no element '([^']+)'"):
        m = re.search(pattern, message)
        if m:
            return m.group(1)
    return message


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
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def document_datetime(context: Mapping[str, Any]) -> datetime:
    iso = (context.get("doc") or {}).get("date_iso")
    try:
        return datetime.fromisoformat(iso) if iso else datetime(2000, 1, 1)
    except ValueError:
        return datetime(2000, 1, 1)


def deterministic_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with fixed timestamps and the given entry order ([Content_Types].xml first)."""
    entries = sorted(entries, key=lambda e: (e[0] != "[Content_Types].xml", ))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=6)
    return buf.getvalue()


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
        raise RenderError(
            f"The rendered Word file from {template} is damaged and was not written ({exc.__class__.__name__})",
            message_sv=f"Word-filen från {template} blev skadad och skrevs inte ({exc.__class__.__name__})",
            code="render.corrupt_output", details={"template": template},
        ) from exc


# --- what both engines share --------------------------------------------------------------------

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


# --- the reference engine ---------------------------------------------------------------------------

class DocxtplBackend:
    """docxtpl as documented, one ``DocxTemplate`` per document (the reference engine)."""

    format = "docx"
    extension = "docx"
    media_type = MEDIA_TYPE

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.env = word_environment()

    def render(self, job: RenderJob) -> bytes:
        from docxtpl import DocxTemplate
        from jinja2.exceptions import TemplateError

        source = job.pack.template(job.kind, "docx")
        name = f"{job.pack.id}/{source.name}"
        tpl = DocxTemplate(io.BytesIO(source.content))
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
                set_alt_texts(element, lambda rid, p=part: _related_blob(p, rid), alts)
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
        return part.related_parts[rid].blob
    except KeyError:
        return None


def _read_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]
