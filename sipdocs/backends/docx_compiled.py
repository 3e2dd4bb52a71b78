"""The fast Word engine: compile a docxtpl template once, render many documents.

Plain docxtpl re-reads the whole template package and recompiles its XML with Jinja for
every document (docxtpl#110). Here a :class:`CompiledTemplate` is built once per template
file (and re-built when the file changes):

* the zip is indexed and every entry's *compressed* bytes are kept, so untouched parts
  (styles, theme, numbering, fonts …) are copied into each output without
  decompressing or recompressing them;
* each XML part that contains tags gets docxtpl's own pre-processing
  (``DocxTemplate.patch_xml``, the ``\\n<w:p`` split) and is compiled to a Jinja
  template once.

Per document only the tagged parts are rendered, then post-processed exactly as docxtpl
does it — ``resolve_listing`` (``\\n``, ``\\t`` in values), ``fix_tables`` (only when the
template has column tags; it is a no-op otherwise), sequential ``wp:docPr`` ids from 1001 —
and pictures (QR codes, logo) are added as media parts with relationships of their own.
docxtpl itself is the oracle: a differential test renders the corpus both ways and
compares text and structure. Calling docxtpl's ``patch_xml``, ``resolve_listing`` and
``fix_tables`` outside its ``render`` is not its public API: the calls go through
:mod:`._docxtpl_compat`, and where that fast path is off (another docxtpl, or
``RenderOptions(fast_paths=False)``) the reference engine renders instead (see
``available`` and :func:`.base.create_backend`).

One deliberate difference: docxtpl turns ``{_{`` into ``{{`` in the *output*, which also
rewrites user data that happens to contain ``{_{``. Here the template text is rewritten
before compiling instead, so data is never touched.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2.exceptions import TemplateError
from lxml import etree

from ..errors import RenderError
from ..images import Image, map_images
from ..layout.build import template_for
from . import _docxtpl_compat as docxtpl_compat
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

_TAG = re.compile(r"\{[{%#]")
_COLUMN_TAGS = re.compile(r"\{%\s*(tc|colspan|hm|vm)\b|\{%tc")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_LISTING_CHARS = ("\n", "\t", "\x07", "\x0c")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's paragraph pattern
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_EMU_PER_MM = 36000
_DOS_DATE, _DOS_TIME = 0x21, 0  # 1980-01-01 00:00, for byte-identical output


@dataclass(frozen=True)
class _Entry:
    name: str
    crc: int
    compressed: bytes
    size: int


class _Pictures:
    """Images used while rendering one document: media parts and per-part relationships."""

    def __init__(self, alts: Mapping[str, str]) -> None:
        self.alts = alts
        self.part = "word/document.xml"
        self.media: dict[str, bytes] = {}                       # media name -> png
        self.rels: dict[str, list[tuple[str, str]]] = {}        # part -> [(rId, target)]
        self._rid: dict[tuple[str, str], str] = {}
        self.next_id = 2001

    def rid(self, image: Image) -> str:
        digest = image.digest
        key = (self.part, digest)
        if key not in self._rid:
            media = f"media/sipdocs-{digest[:16]}.png"
            self.media[f"word/{media}"] = image.png
            rels = self.rels.setdefault(self.part, [])
            rid = f"rIdSip{len(rels) + 1}"
            rels.append((rid, media))
            self._rid[key] = rid
        return self._rid[key]


class _Picture:
    """What a template prints for an image: a Word inline picture (docxtpl's markup)."""

    __slots__ = ("_image", "_pictures")

    def __init__(self, image: Image, pictures: _Pictures) -> None:
        self._image = image
        self._pictures = pictures

    @property
    def alt(self) -> str:
        return self._image.alt

    def __html__(self) -> str:
        img, pics = self._image, self._pictures
        rid = pics.rid(img)
        pid = pics.next_id
        pics.next_id += 1
        cx = int(img.width_mm * _EMU_PER_MM)
        cy = int(img.height_mm * _EMU_PER_MM)
        alt = _xml_attr(img.alt)
        inline = (
            f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{NS["wp"]}">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{pid}" name="Picture {pid}" descr="{alt}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{NS["a"]}" noChangeAspect="1"/>'
            f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{NS["a"]}">'
            f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic xmlns:pic="{NS["pic"]}"><pic:nvPicPr><pic:cNvPr id="0" name="image.png" descr="{alt}"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r="{NS["r"]}" r:embed="{rid}"/>'
            f'<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            f'</pic:pic></a:graphicData></a:graphic></wp:inline>'
        )
        # the same run-splitting markup as docxtpl's InlineImage
        return ('</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space="preserve">' % inline)

    def __str__(self) -> str:
        return self._image.alt


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class CompiledTemplate:
    """A template package indexed and compiled once."""

    def __init__(self, data: bytes, env: Any, name: str) -> None:
        self.name = name
        self.entries: list[_Entry] = _read_zip(data)
        self.templates: dict[str, Any] = {}
        self.fix_tables: dict[str, bool] = {}
        by_name = {e.name: e for e in self.entries}
        for entry in self.entries:
            if not RENDERED_PARTS.match(entry.name):
                continue
            xml = zlib.decompress(entry.compressed, -15).decode("utf-8") if entry.compressed else ""
            if not _TAG.search(xml):
                continue
            src = docxtpl_compat.patch_xml(xml)  # docxtpl's own tag clean-up
            src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
            # docxtpl prints "{_{" in a template as "{{" (after rendering, which would also
            # rewrite data); emit the literal braces from the template itself instead.
            for escaped, literal in (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}")):
                src = src.replace(escaped, "{{ '%s' }}" % literal)
            try:
                self.templates[entry.name] = env.from_string(src)
            except Exception as exc:
                raise map_template_error(exc, name, entry.name) from exc
            self.fix_tables[entry.name] = bool(_COLUMN_TAGS.search(xml))
        # Parts copied verbatim into every output are verified once, here.
        for entry in self.entries:
            if entry.name.endswith((".xml", ".rels")) and entry.name not in self.templates:
                _check_xml(zlib.decompress(entry.compressed, -15).decode("utf-8"), name, entry.name)
        types = by_name["[Content_Types].xml"]
        ct = zlib.decompress(types.compressed, -15)
        if b'Extension="png"' not in ct:
            ct = ct.replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
        self.content_types = ct
        self._variants: dict[str, dict[str, _Entry]] = {}

    def variants(self, lang: str) -> dict[str, _Entry]:
        """The parts that differ by language (styles, settings), made once per language
        and then copied compressed into every document like the untouched parts."""
        found = self._variants.get(lang)
        if found is None:
            found = {name: _Entry(name, zlib.crc32(data), _deflate(data), len(data))
                     for name, data in prepared_parts(self._entry_data, lang).items()}
            self._variants[lang] = found
        return found

    def render(self, context: Mapping[str, Any], alts: Mapping[str, str], core: bytes, lang: str = "sv") -> bytes:
        pictures = _Pictures(alts)
        ctx = map_images(context, lambda img: _Picture(img, pictures))
        rendered: dict[str, bytes] = {}
        for part, template in self.templates.items():
            pictures.part = part
            try:
                xml = template.render(ctx)
            except TemplateError as exc:
                raise map_template_error(exc, self.name, part) from exc
            xml = self._post_process(part, xml)
            images = [(rid, _IMAGE_REL, target, False) for rid, target in pictures.rels.get(part, [])]
            try:  # parsed strictly once: the check, then links and rows on the tree
                xml, rels = finish_part(part, xml, self._entry_data, images)
            except etree.XMLSyntaxError as exc:
                raise _corrupt(self.name, part) from exc
            rendered[part] = xml.encode("utf-8")
            rendered.update(rels)
        rendered["docProps/core.xml"] = core
        rendered["[Content_Types].xml"] = self.content_types
        return _write_zip(self.entries, rendered, pictures.media, self.variants(lang))

    def _post_process(self, part: str, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        if any(ch in xml for ch in _LISTING_CHARS):
            xml = _resolve_listing(xml)
        if self.fix_tables.get(part):
            tree = docxtpl_compat.fix_tables(xml)
            xml = etree.tostring(tree, encoding="unicode")
        if part == "word/document.xml":
            counter = iter(range(1001, 1_000_000))
            xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(2)}", xml)
        return xml

    def _entry_data(self, name: str) -> bytes | None:
        for entry in self.entries:
            if entry.name == name:
                return zlib.decompress(entry.compressed, -15) if entry.compressed else b""
        return None


def _resolve_listing(xml: str) -> str:
    """docxtpl's ``resolve_listing`` applied only to the paragraphs holding ``\n \t \a \f``.

    docxtpl rewrites paragraph by paragraph (its pattern is :data:`_PARAGRAPH`), so running
    it on just the paragraphs that contain such a character gives the same document.
    """
    out: list[str] = []
    pos = 0
    while True:
        hits = [i for i in (xml.find(ch, pos) for ch in _LISTING_CHARS) if i >= 0]
        if not hits:
            break
        hit = min(hits)
        start = max(xml.rfind("<w:p>", pos, hit), xml.rfind("<w:p ", pos, hit))
        end = xml.find("</w:p>", hit)
        if start < 0 or end < 0:  # not inside a paragraph: leave it to docxtpl's rules
            out.append(xml[pos:hit + 1])
            pos = hit + 1
            continue
        end += len("</w:p>")
        out.append(xml[pos:start])
        out.append(_PARAGRAPH.sub(lambda m: docxtpl_compat.resolve_listing(m.group(0)), xml[start:end]))
        pos = end
    out.append(xml[pos:])
    return "".join(out)


def _check_xml(xml: str, template: str, part: str) -> None:
    """Parse a part strictly (never ``recover=True``): damaged output is an error."""
    try:
        etree.fromstring(xml.encode("utf-8"), _STRICT)
    except etree.XMLSyntaxError as exc:
        raise _corrupt(template, part) from exc


def _corrupt(template: str, part: str) -> RenderError:
    return RenderError.from_code("render.corrupt_output#part", part=part, template=template,
                                 details={"template": template, "part": part})


# --- a minimal deterministic zip reader/writer ----------------------------------------------------

def _read_zip(data: bytes) -> list[_Entry]:
    """Every entry with its raw deflated bytes (stored entries are deflated once here)."""
    entries = []
    with io.BytesIO(data) as fh, zipfile.ZipFile(fh) as zf:
        for info in zf.infolist():
            if info.compress_type == zipfile.ZIP_DEFLATED:
                fh.seek(info.header_offset)
                header = fh.read(30)
                name_len, extra_len = struct.unpack("<HH", header[26:30])
                fh.seek(info.header_offset + 30 + name_len + extra_len)
                raw = fh.read(info.compress_size)
            else:
                raw = _deflate(zf.read(info))
            entries.append(_Entry(info.filename, info.CRC, raw, info.file_size))
    return entries


def _deflate(data: bytes) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    return comp.compress(data) + comp.flush()


def _write_zip(entries: list[_Entry], replaced: Mapping[str, bytes], added: Mapping[str, bytes],
               variants: Mapping[str, _Entry] = {}) -> bytes:
    out = bytearray()
    central = bytearray()
    count = 0

    def put(name: str, crc: int, compressed: bytes, size: int) -> None:
        nonlocal count
        encoded = name.encode("utf-8")
        offset = len(out)
        out.extend(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, _DOS_TIME, _DOS_DATE,
                               crc, len(compressed), size, len(encoded), 0))
        out.extend(encoded)
        out.extend(compressed)
        central.extend(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, _DOS_TIME, _DOS_DATE,
                                   crc, len(compressed), size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset))
        central.extend(encoded)
        count += 1

    for entry in entries:
        if entry.name in replaced:
            data = replaced[entry.name]
            put(entry.name, zlib.crc32(data), _deflate(data), len(data))
        else:
            entry = variants.get(entry.name, entry)
            put(entry.name, entry.crc, entry.compressed, entry.size)
    existing = {e.name for e in entries}
    for name in sorted(set(replaced) - existing):
        data = replaced[name]
        put(name, zlib.crc32(data), _deflate(data), len(data))
    for name in sorted(added):
        data = added[name]
        put(name, zlib.crc32(data), _deflate(data), len(data))
    cd_offset = len(out)
    out.extend(central)
    out.extend(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0))
    return bytes(out)


class CompiledDocxBackend:
    """The default Word backend: templates compiled once per backend, cached by their content."""

    @classmethod
    def available(cls, options: RenderOptions) -> bool:
        """False where the compiled engine's fast path is off; docxtpl's own engine renders then."""
        return docxtpl_compat.compiled_engine(options.fast_paths)

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.env = word_environment()
        self._cache: dict[tuple[str, str], tuple[str, CompiledTemplate]] = {}

    def compiled(self, pack: Any, kind: str) -> CompiledTemplate:
        """The pack's Word template for ``kind`` (its own file, or built from its layout),
        compiled once and again only when the file or the layout changes."""
        source = template_for(pack, kind, "docx")
        cached = self._cache.get((pack.id, kind))
        if cached is None or cached[0] != source.key:
            cached = (source.key, CompiledTemplate(source.data, self.env, f"{pack.id}/{source.name}"))
            self._cache[(pack.id, kind)] = cached
        return cached[1]

    def render(self, job: RenderJob) -> bytes:
        template = self.compiled(job.pack, job.kind)
        doc = job.context.get("doc") or {}
        core = core_properties_xml(doc.get("title") or "", word_language(job.lang),
                                   (doc.get("pack") or {}).get("name", ""), document_datetime(job.context))
        # Rendered parts are parsed strictly inside render(); copied parts were checked at
        # compile time and are written byte for byte with their CRCs.
        return template.render(job.context, alt_texts(job.context), core, job.lang)


__all__ = ["CompiledDocxBackend", "CompiledTemplate"]
