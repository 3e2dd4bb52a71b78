"""PDF post-processing: packets (merging), encryption. Bytes in, bytes out.

**Merging keeps accessibility and archivability.** Appending pages (what ``pypdf``'s
``PdfWriter.append`` does) drops the structure tree, so a merged file would no longer
be tagged — no PDF/UA — and would lose its XMP and output intent — no PDF/A (pypdf#1012).
:func:`merge_pdfs` therefore merges at the object level with pikepdf (qpdf): pages are
copied together with each document's structure elements under one new
``StructTreeRoot`` (the parent-tree keys renumbered, each ``/Document`` element keeping
its own ``/Lang``), form fields are carried over (``Pdf.add_pages_from``), the first document's output intent and XMP
are kept with the packet title, and one bookmark points at the first page of each
document, with that document's own heading bookmarks nested under it. The result is re-checked in
the tests with both conformance checkers.

**Form fields stay apart.** Two consents in one packet have fields of the same names
(``purpose.establish_sip``); merged as they are, qpdf renames the second one's to
``purpose.establish_sip+1`` and a reader of the packet mixes the two forms up. Each
document's fields are therefore nested under a parent field named after the document's
place in the packet — ``doc2.purpose.establish_sip`` — so every name is unique and says
which document it belongs to (:func:`sipdocs.consent_form.read_consents` reads them back).

**Bookmarks.** Each document's own outline starts with its title heading (the ``h1``), which
is also the document's bookmark in the packet; that heading's bookmark is not repeated under
it (no "Avslut av SIP › Avslut av SIP › …"), its sections come directly under the document.

**Encryption** is AES-256 only (pypdf defaults to RC4, which must never be used) and is
refused for a file that claims PDF/A (the standard forbids encryption); render with the
``pdf/ua-1`` variant instead, which keeps the tagging, language, title and XMP. Every
permission stays granted — the password keeps the document from the wrong people, not
from its readers: assistive technology may extract text (bit 10), forms may be filled.
"""

from __future__ import annotations

import binascii
import io
import re
import zlib
from collections.abc import Sequence
from typing import Any

import pikepdf

from .errors import PostprocessError

__all__ = ["merge_pdfs", "encrypt_pdf", "is_pdfa"]


def merge_pdfs(items: Sequence[tuple[str, bytes]], *, title: str = "SIP – dokument") -> bytes:
    """Merge PDFs into one packet with one bookmark per document.

    :param items: ``(bookmark title, pdf bytes)`` per document, in order.
    :param title: the packet's document title (metadata; never a child's name).
    """
    if not items:
        raise PostprocessError.from_code("pdf.merge_empty")
    try:
        out = pikepdf.new()
        sources = [pikepdf.open(io.BytesIO(data)) for _, data in items]
        first = sources[0]
        kids = pikepdf.Array()
        nums = pikepdf.Array()
        next_key = 0
        starts = []
        fields = pikepdf.Array()
        form_resources: dict[str, Any] = {}
        for number, src in enumerate(sources, start=1):
            parent = _detach_fields(src, f"doc{number}", form_resources)
            start = len(out.pages)
            starts.append(start)
            out.add_pages_from(src)  # the widgets come with the pages, and with them their fields
            if parent is not None:
                fields.append(out.copy_foreign(parent))
            offset = next_key
            root = src.Root.get("/StructTreeRoot")
            if root is not None:
                for key, value in _number_tree(root.get("/ParentTree")):
                    nums.append(key + offset)
                    nums.append(_copy(out, value))
                    next_key = max(next_key, key + offset + 1)
                for page in out.pages[start:]:
                    if "/StructParents" in page.obj:
                        page.obj.StructParents = int(page.obj.StructParents) + offset
                    for annot in page.obj.get("/Annots", []):
                        if "/StructParent" in annot:
                            annot.StructParent = int(annot.StructParent) + offset
                struct_kids = root.get("/K")
                src_kids = list(struct_kids) if isinstance(struct_kids, pikepdf.Array) else [struct_kids]
                lang = src.Root.get("/Lang")
                for kid in src_kids:
                    copied = _copy(out, kid)
                    if lang is not None and "/Lang" not in copied:
                        copied.Lang = lang
                    kids.append(copied)
        tree = out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructTreeRoot, K=kids,
            ParentTree=out.make_indirect(pikepdf.Dictionary(Nums=nums)),
            ParentTreeNextKey=next_key))
        for kid in kids:
            kid.P = tree
        first_root = first.Root.get("/StructTreeRoot")
        if first_root is not None and "/RoleMap" in first_root:
            tree.RoleMap = _copy(out, first_root.RoleMap)
        out.Root.StructTreeRoot = tree
        out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if "/Lang" in first.Root:
            out.Root.Lang = first.Root.Lang
        if "/OutputIntents" in first.Root:
            out.Root.OutputIntents = _copy(out, first.Root.OutputIntents)
        if len(fields):
            out.Root.AcroForm = out.make_indirect(pikepdf.Dictionary(
                Fields=fields, NeedAppearances=False,  # PDF/A: the widgets bring their appearances
                **{key[1:]: _copy(out, value) for key, value in form_resources.items()}))
        _copy_metadata(first, out, title)
        if "/Outlines" in out.Root:  # newer pikepdf copies each source's outline flat; we nest them
            del out.Root.Outlines
        with out.open_outline() as outline:
            for (name, _), start, src in zip(items, starts, sources):
                top = pikepdf.OutlineItem(name, start)
                top.children.extend(_without_title(_rebased_outline(src, start), name, start))
                outline.root.append(top)
        return _save_unambiguous(out, min_version=max(src.pdf_version for src in sources))
    except pikepdf.PdfError as exc:
        raise PostprocessError.from_code("pdf.merge_failed") from exc


def _save_unambiguous(out: pikepdf.Pdf, min_version: str) -> bytes:
    """Save so that no stream's data ends with CR (byte 0x0D).

    qpdf writes ``data LF endstream``; data that happens to end with CR then reads as
    ``CR LF endstream``, and a PDF/A checker that takes the CR LF for the end-of-line marker
    counts one byte less than ``/Length`` (PDFA2A-STREAM-LENGTH-001). A Flate stream ends
    with the Adler-32 checksum of its content, so about one in 256 does, whatever the
    compression level, and a packet of a few hundred streams often has one. qpdf keeps the
    Flate streams it is given but compresses the others itself, so the content is what can
    change:

    1. content streams, form XObjects and character maps get a line break at their end, and
       font programs zero bytes after their last table (``/Length1`` updated) — none of it
       drawn or read — until their compressed data no longer ends with CR;
    2. if a stream that cannot be padded is left (an image, a colour profile, or one of the
       object streams qpdf makes while saving), the packet is saved with every stream exactly
       as it is in the objects: unfiltered ones compressed here, and the one ending with CR
       given an ``ASCIIHexDecode`` filter in front of its own (the same content, written as
       hexadecimal digits that end with ``>``); object streams are then left uncompressed.

    Deterministic: the same documents always take the same path.
    """
    data = _save(out, min_version, compress=True)
    if b"\r\nendstream" in data and _pad_streams(out):
        data = _save(out, min_version, compress=True)
    if b"\r\nendstream" not in data:
        return data

    for obj in out.objects:
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Type") == pikepdf.Name.Metadata:
            continue
        if "/Filter" not in obj:
            obj.write(zlib.compress(obj.read_raw_bytes(), 6), filter=pikepdf.Name.FlateDecode)
        raw = obj.read_raw_bytes()
        if not raw.endswith(b"\r"):
            continue
        filters = obj.Filter if isinstance(obj.Filter, pikepdf.Array) else [obj.Filter]
        given = obj.get("/DecodeParms")
        parms = None if given is None else list(given) if isinstance(given, pikepdf.Array) else [given]
        obj.write(binascii.hexlify(raw) + b">", filter=[pikepdf.Name.ASCIIHexDecode, *filters],
                  decode_parms=None if parms is None else pikepdf.Array([pikepdf.Object.parse(b"null"), *parms]))
    return _save(out, min_version, compress=False)


def _pad_streams(out: pikepdf.Pdf) -> bool:
    """Step 1 of :func:`_save_unambiguous`; whether any stream was changed."""
    changed = False
    for obj in out.objects:
        if not isinstance(obj, pikepdf.Stream) or "/DecodeParms" in obj:
            continue
        kind = obj.get("/Type")
        if kind in (pikepdf.Name.Metadata, pikepdf.Name.XRef, pikepdf.Name.ObjStm) \
                or obj.get("/Subtype") == pikepdf.Name.Image or "/N" in obj:  # images, colour profiles
            continue
        filters = obj.get("/Filter")
        if filters is None:  # qpdf compresses it: its last byte is the checksum's
            content = obj.read_raw_bytes()
            if zlib.adler32(content) & 0xFF != 0x0D:
                continue
        elif filters == pikepdf.Name.FlateDecode and obj.read_raw_bytes().endswith(b"\r"):
            content = obj.read_bytes()
        else:
            continue
        pad = b"\0" if "/Length1" in obj else b"\n"  # a font program, or text-like content
        while zlib.adler32(content) & 0xFF == 0x0D:
            content += pad
        obj.write(zlib.compress(content, 6), filter=pikepdf.Name.FlateDecode)
        if "/Length1" in obj:
            obj.Length1 = len(content)
        changed = True
    return changed


def _save(out: pikepdf.Pdf, min_version: str, *, compress: bool) -> bytes:
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             min_version=min_version, compress_streams=compress)
    return buf.getvalue()


def _detach_fields(src: pikepdf.Pdf, name: str, resources: dict[str, Any]) -> Any:
    """Nest a document's form fields under one new parent field ``name`` and take the AcroForm
    off the document, so that its pages are copied with their widgets and fields as they are.

    (``Pdf.add_pages_from`` would otherwise carry the document's field tree once per page
    that has a widget, renaming each later copy ``doc1+1``; see the module docstring.) The
    first ``/DR`` and ``/DA`` seen (the form font) are kept in ``resources`` for the packet.
    Returns the parent field, or None for a document without fields.
    """
    form = src.Root.get("/AcroForm")
    if form is None:
        return None
    for key in ("/DR", "/DA"):
        if key in form and key not in resources:
            resources[key] = form[key]
    fields = list(form.get("/Fields") or [])
    del src.Root.AcroForm
    if not fields:
        return None
    parent = src.make_indirect(pikepdf.Dictionary(T=pikepdf.String(name), Kids=pikepdf.Array(fields)))
    for field in fields:
        field.Parent = parent
    return parent


def _without_title(items: list[pikepdf.OutlineItem], title: str, start: int) -> list[pikepdf.OutlineItem]:
    """A document's bookmarks without the one for its title heading on its first page (that
    heading is the document's own bookmark in the packet): its children take its place."""
    if items and items[0].title.strip() == title.strip() and _page_of(items[0]) == start:
        return [*items[0].children, *items[1:]]
    return items


def _page_of(item: Any) -> int | None:
    destination = getattr(item, "destination", None)  # a page number: the items are ours
    return destination if isinstance(destination, int) else None


def _rebased_outline(src: pikepdf.Pdf, start: int) -> list[pikepdf.OutlineItem]:
    """A source document's bookmarks (its headings) as new items pointing into the packet."""
    index = {page.obj.objgen: number for number, page in enumerate(src.pages)}

    def rebase(item: pikepdf.OutlineItem) -> pikepdf.OutlineItem | None:
        dest = item.destination
        if not isinstance(dest, pikepdf.Array) or len(dest) < 2 or dest[0].objgen not in index:
            return None
        page = index[dest[0].objgen] + start
        if dest[1] == pikepdf.Name.XYZ and len(dest) >= 4:
            new = pikepdf.OutlineItem(item.title, page, "XYZ", left=float(dest[2] or 0), top=float(dest[3] or 0))
        else:
            new = pikepdf.OutlineItem(item.title, page)
        new.children.extend(child for child in map(rebase, item.children) if child is not None)
        return new

    with src.open_outline() as outline:
        return [item for item in map(rebase, outline.root) if item is not None]


def _copy(out: pikepdf.Pdf, obj: Any) -> Any:
    """Copy a (possibly direct) object from another PDF; indirect ones keep their identity."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """Flatten a PDF number tree into (key, value) pairs."""
    out: list[tuple[int, Any]] = []
    if node is None:
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            out.append((int(nums[i]), nums[i + 1]))
    for kid in node.get("/Kids", []):
        out.extend(_number_tree(kid))
    return out


def _copy_metadata(first: pikepdf.Pdf, out: pikepdf.Pdf, title: str) -> None:
    """Keep the first document's XMP (PDF/A + PDF/UA ids, producer) with the packet title."""
    info = first.docinfo
    for key in ("/Producer", "/Creator", "/CreationDate", "/ModDate"):
        if key in info:
            out.docinfo[key] = info[key]
    out.docinfo["/Title"] = title
    metadata = first.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    xmp = re.sub(rb'(<rdf:li xml:lang="x-default">)[^<]*(</rdf:li>)',
                 lambda m: m.group(1) + _xml(title).encode("utf-8") + m.group(2), xmp, count=1)
    stream = pikepdf.Stream(out, xmp)
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    out.Root.Metadata = out.make_indirect(stream)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_pdfa(pdf: bytes) -> bool:
    """Whether the file claims PDF/A conformance (pdfaid in its XMP)."""
    return b"pdfaid:part" in pdf or b"http://www.aiim.org/pdfa/ns/id/" in pdf


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """Encrypt with AES-256 (PDF 2.0 security handler, /V 5 /R 6). Never RC4.

    Everything in the file is kept (structure tree, language, XMP, form fields) and every
    permission granted, accessibility extraction among them (see the module docstring).

    :raises PostprocessError: ``pdf.encrypt_conflicts_pdfa`` for a file claiming PDF/A
        (encryption is forbidden by PDF/A; render with ``pdf_variant="pdf/ua-1"``),
        ``pdf.password_missing`` for an empty password, or ``pdf.encrypt_failed``.
    """
    if not password:
        raise PostprocessError.from_code("pdf.password_missing")
    if is_pdfa(pdf):
        raise PostprocessError.from_code("pdf.encrypt_conflicts_pdfa")
    from pypdf import PdfReader, PdfWriter  # start-up: pypdf (~80 ms) loads only when a PDF is encrypted
    from pypdf.constants import UserAccessPermissions
    from pypdf.errors import DependencyError, PyPdfError

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        # every permission (reserved bits set as ISO 32000-1 Table 22 asks), bit 10 among them
        writer.encrypt(user_password=password, owner_password=None,
                       permissions_flag=UserAccessPermissions.all(), algorithm="AES-256")
        buf = io.BytesIO()
        writer.write(buf)
    except DependencyError as exc:
        raise PostprocessError.from_code("pdf.encrypt_failed#aes") from exc
    except PyPdfError as exc:
        raise PostprocessError.from_code("pdf.encrypt_failed") from exc
    return buf.getvalue()
