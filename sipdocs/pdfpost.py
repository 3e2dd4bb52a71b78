"""PDF post-processing: packets (merging), encryption. Bytes in, bytes out.

**Merging keeps accessibility and archivability.** Appending pages (what ``pypdf``'s
``PdfWriter.append`` does) drops the structure tree, so a merged file would no longer
be tagged — no PDF/UA — and would lose its XMP and output intent — no PDF/A (pypdf#1012).
:func:`merge_pdfs` therefore merges at the object level with pikepdf (qpdf): pages are
copied together with each document's structure elements under one new
``StructTreeRoot`` (the parent-tree keys renumbered, each ``/Document`` element keeping
its own ``/Lang``), form fields are carried over (``Pdf.add_pages_from``), the first document's output intent and XMP
are kept with the packet title, and one bookmark points at the first page of each
document, with that document's own heading bookmarks nested under it. The result is re-checked in the tests with both conformance checkers.

**Encryption** is AES-256 only (pypdf defaults to RC4, which must never be used) and is
refused for PDF/A output: the standard forbids encryption.
"""

from __future__ import annotations

import io
import re
from typing import Sequence

from .errors import PostprocessError

__all__ = ["merge_pdfs", "encrypt_pdf", "is_pdfa"]


def merge_pdfs(items: Sequence[tuple[str, bytes]], *, title: str = "SIP – dokument") -> bytes:
    """Merge PDFs into one packet with one bookmark per document.

    :param items: ``(bookmark title, pdf bytes)`` per document, in order.
    :param title: the packet's document title (metadata; never a child's name).
    """
    import pikepdf

    if not items:
        raise PostprocessError("Nothing to merge", message_sv="Inget att slå ihop", code="pdf.merge_empty")
    try:
        out = pikepdf.new()
        sources = [pikepdf.open(io.BytesIO(data)) for _, data in items]
        first = sources[0]
        kids = pikepdf.Array()
        nums = pikepdf.Array()
        next_key = 0
        starts = []
        for src in sources:
            start = len(out.pages)
            starts.append(start)
            out.add_pages_from(src)  # keeps form fields (renamed on collision)
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
                src_kids = root.get("/K")
                src_kids = src_kids if isinstance(src_kids, pikepdf.Array) else [src_kids]
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
        if "/AcroForm" in out.Root:
            out.Root.AcroForm.NeedAppearances = False  # PDF/A: the widgets bring their appearances
        _copy_metadata(first, out, title)
        if "/Outlines" in out.Root:  # newer pikepdf copies each source's outline flat; we nest them
            del out.Root.Outlines
        with out.open_outline() as outline:
            for (name, _), start, src in zip(items, starts, sources):
                top = pikepdf.OutlineItem(name, start)
                top.children.extend(_rebased_outline(src, start))
                outline.root.append(top)
        buf = io.BytesIO()
        out.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 min_version=max(src.pdf_version for src in sources))
        return buf.getvalue()
    except pikepdf.PdfError as exc:
        raise PostprocessError("Could not merge the PDF files", message_sv="Kunde inte slå ihop PDF-filerna",
                               code="pdf.merge_failed") from exc


def _rebased_outline(src: object, start: int) -> list:
    """A source document's bookmarks (its headings) as new items pointing into the packet."""
    import pikepdf

    index = {page.obj.objgen: number for number, page in enumerate(src.pages)}  # type: ignore[attr-defined]

    def rebase(item: "pikepdf.OutlineItem") -> "pikepdf.OutlineItem | None":
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

    with src.open_outline() as outline:  # type: ignore[attr-defined]
        return [item for item in map(rebase, outline.root) if item is not None]


def _copy(out: object, obj: object) -> object:
    """Copy a (possibly direct) object from another PDF; indirect ones keep their identity."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)  # type: ignore[attr-defined]
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _number_tree(node: object) -> list[tuple[int, object]]:
    """Flatten a PDF number tree into (key, value) pairs."""
    out: list[tuple[int, object]] = []
    if node is None:
        return out
    nums = node.get("/Nums")  # type: ignore[attr-defined]
    if nums is not None:
        for i in range(0, len(nums), 2):
            out.append((int(nums[i]), nums[i + 1]))
    for kid in node.get("/Kids", []):  # type: ignore[attr-defined]
        out.extend(_number_tree(kid))
    return out


def _copy_metadata(first: object, out: object, title: str) -> None:
    """Keep the first document's XMP (PDF/A + PDF/UA ids, producer) with the packet title."""
    import pikepdf

    info = first.docinfo  # type: ignore[attr-defined]
    for key in ("/Producer", "/Creator", "/CreationDate", "/ModDate"):
        if key in info:
            out.docinfo[key] = info[key]  # type: ignore[attr-defined]
    out.docinfo["/Title"] = title  # type: ignore[attr-defined]
    metadata = first.Root.get("/Metadata")  # type: ignore[attr-defined]
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    xmp = re.sub(rb'(<rdf:li xml:lang="x-default">)[^<]*(</rdf:li>)',
                 lambda m: m.group(1) + _xml(title).encode("utf-8") + m.group(2), xmp, count=1)
    stream = pikepdf.Stream(out, xmp)  # type: ignore[arg-type]
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    out.Root.Metadata = out.make_indirect(stream)  # type: ignore[attr-defined]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_pdfa(pdf: bytes) -> bool:
    """Whether the file claims PDF/A conformance (pdfaid in its XMP)."""
    return b"pdfaid:part" in pdf or b"http://www.aiim.org/pdfa/ns/id/" in pdf


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """Encrypt with AES-256 (PDF 2.0 security handler, /V 5 /R 6). Never RC4.

    :raises PostprocessError: ``pdf.encrypt_conflicts_pdfa`` for a PDF/A file (encryption is
        forbidden by PDF/A; render with ``pdf_variant="plain"``), or ``pdf.encrypt_failed``.
    """
    if not password:
        raise PostprocessError("An empty password is not allowed", message_sv="Ett tomt lösenord är inte tillåtet",
                               code="pdf.password_missing")
    if is_pdfa(pdf):
        raise PostprocessError(
            "PDF/A forbids encryption: render with the plain PDF variant (--pdf-variant plain) to encrypt",
            message_sv="PDF/A tillåter inte kryptering: rendera med vanlig PDF (--pdf-variant plain) för att kryptera",
            code="pdf.encrypt_conflicts_pdfa")
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError, PyPdfError

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
        buf = io.BytesIO()
        writer.write(buf)
    except DependencyError as exc:
        raise PostprocessError("AES encryption needs the 'cryptography' package",
                               message_sv="AES-kryptering kräver paketet 'cryptography'",
                               code="pdf.encrypt_failed") from exc
    except PyPdfError as exc:
        raise PostprocessError("Could not encrypt the PDF", message_sv="Kunde inte kryptera PDF-filen",
                               code="pdf.encrypt_failed") from exc
    return buf.getvalue()
