"""PDF output: Jinja HTML templates laid out by WeasyPrint, accessible and archivable.

Per renderer (not per document) the backend keeps one ``FontConfiguration``, the parsed
stylesheet of each pack, compiled Jinja templates and WeasyPrint's image cache — all through
WeasyPrint's public API — and pauses the cyclic garbage collector while a document is laid
out (:func:`_collector_paused`); the finisher edits pydyf's objects through their public
attributes. The *fast paths* go further, through WeasyPrint's internals: the HTML parsed by
Lexbor (:mod:`.html_tree`), the computed styles of each pack's documents kept
(:mod:`.style_memo`), the encoded PDF streams of cached images kept. Each is declared, with
the versions it was verified on, in :mod:`._weasyprint_compat`, and taken only on those
versions and while ``RenderOptions.fast_paths`` is on (``SIPDOCS_FAST_PATHS=0`` turns them all
off): then the PDF is made by ``HTML(string=…).render(…)`` and
``Document.write_pdf(finisher=…)`` alone, and it is the same file. None of this patches
WeasyPrint or pydyf: other users of them in the same process are unaffected.

**Conformance.** By default every PDF is tagged and claims — and passes — both PDF/UA-1
and PDF/A-2a: WeasyPrint's ``pdf/a-2a`` variant with tags on, then a finisher that writes
one *uncompressed* XMP packet carrying both the ``pdfaid`` and the ``pdfuaid``
identification (WeasyPrint's own variants can only claim one and compress the packet),
with sipdocs as the producer in both the XMP and the document information dictionary.
``pdf/ua-1`` (what an encrypted PDF is, see :mod:`sipdocs.pdf_variants`) is the same
tagged document with only the ``pdfuaid`` identification; ``plain`` an untagged ordinary PDF.
The finisher also completes the form fields (:mod:`.pdf_forms`), gives font subsets tags
derived from their content (:mod:`.pdf_fonts`), and compresses the streams, each ending
unambiguously (:mod:`.pdf_streams`).

**Resources.** :class:`PackFetcher` serves only ``data:`` URIs and files inside the pack's
folders (canonical paths, so neither ``..`` nor a symlink leads out); anything else stops
the render with ``render.resource_blocked``. Attachments (``<link rel=attachment>``,
``<a rel=attachment>``) are dropped before the PDF is written, so nothing is ever embedded.

**Determinism.** Dates come from the document date, the file identifier is derived from the
content (WeasyPrint's PDF/A identifier), and fonts are bundled, so the same input gives
the same bytes.
"""

from __future__ import annotations

import atexit
import ctypes.util
import functools
import gc
import os
import warnings
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pydyf
from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader
from jinja2.exceptions import TemplateError, TemplateNotFound

from .._version import version
from ..catalogue import phrase
from ..errors import BackendUnavailableError, RenderError
from ..kinds import KIND_IDS
from ..layout.build import base_template, html_template
from ..pdf_variants import PLAIN, UA, claims_pdfa, resolve_variant
from ..templating import breakable_long_tokens, html_link, html_mailto, make_environment
from . import _weasyprint_compat as weasyprint_compat
from ._compat import switched_on, usable
from .base import RenderJob, RenderOptions, map_template_error
from .html_tree import parse_html
from .pdf_fonts import retag_subsets
from .pdf_forms import finish_form
from .pdf_objects import deref
from .pdf_streams import ends_unambiguously, finish_streams
from .pdf_xmp import xmp_packet
from .style_memo import StyleMemo

_warned_subset = False
# Writes tried before giving up on a cross-reference or object stream ending with CR
# (one in 128 documents needs a second, see PdfBackend.write).
_WRITES = 8


def warn_if_no_hb_subset() -> None:
    """Warn once when libharfbuzz-subset is missing (font subsetting is then much slower)."""
    global _warned_subset
    if _warned_subset:
        return
    _warned_subset = True
    if ctypes.util.find_library("harfbuzz-subset") is None:
        warnings.warn(
            "libharfbuzz-subset is not installed: WeasyPrint falls back to fontTools subsetting, "
            "which makes PDF output several times slower (Debian: apt-get install libharfbuzz-subset0)",
            RuntimeWarning, stacklevel=3)


class ResourceBlocked(Exception):
    """Raised inside the fetcher; carries only the URL scheme (URLs may hold personal data)."""

    def __init__(self, scheme: str, reason: str) -> None:  # reason: a catalogue phrase key
        super().__init__(scheme, reason)
        self.scheme = scheme
        self.reason = reason


def make_fetcher(roots: tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher limited to ``data:`` and files inside ``roots``."""
    return _fetcher_class()(tuple(Path(r).resolve() for r in roots))


@functools.cache
def _fetcher_class() -> type:
    """The fetcher class, made once (a class made per document is cyclic garbage)."""
    from weasyprint.urls import (  # start-up: WeasyPrint loads with the first PDF
        FatalURLFetchingError,
        URLFetcher,
        URLFetcherResponse,
    )

    class PackFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, canonical: tuple[Path, ...]) -> None:
            super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False,
                             fail_on_errors=True)
            self.canonical = canonical
            self.blocked: ResourceBlocked | None = None

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in self.canonical) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={})
                self.blocked = ResourceBlocked("file", "render.blocked.outside_pack")
            else:
                self.blocked = ResourceBlocked(scheme or "?", "render.blocked.pack_only")
            raise FatalURLFetchingError(f"blocked resource ({self.blocked.scheme}:)")

    return PackFetcher


class PdfBackend:
    """WeasyPrint backend (see the module docstring)."""

    def __init__(self, options: RenderOptions) -> None:
        self.variant = resolve_variant(options.pdf_variant, encrypted=bool(options.pdf_password))
        try:
            import weasyprint  # noqa: F401  # start-up: WeasyPrint (~0.5 s) loads with the first PDF
            from weasyprint.text.fonts import FontConfiguration
        except (ImportError, OSError) as exc:
            raise BackendUnavailableError.from_code("render.backend_unavailable") from exc
        warn_if_no_hb_subset()
        self.options = options
        self.font_config = FontConfiguration()
        atexit.register(_release_at_exit, weakref.ref(self))
        self.image_cache: dict[str, Any] = {}
        self._envs: dict[tuple[Path, ...], Any] = {}
        self._css: dict[tuple[Path, int], Any] = {}
        self._fetchers: dict[tuple[Path, ...], Any] = {}
        self._style_memos: dict[tuple[Path, ...], StyleMemo] = {}

    def release(self) -> None:
        """Drop the fonts, stylesheets, images and kept styles, so WeasyPrint's font
        configuration is freed and removes its temporary font folder (the backend cannot
        render afterwards).

        ``FontConfiguration.__del__`` removes the folder, but only once nothing refers to the
        configuration: this backend's caches and kept styles do until the interpreter shuts
        down, when the removal may not run at all, leaving the folder in the temporary
        directory. So the backend releases them at exit.
        """
        fonts = weakref.ref(self.font_config) if self.font_config is not None else None
        self.font_config = None
        for cache in (self._css, self._style_memos, self.image_cache, self._fetchers):
            cache.clear()
        if fonts is not None and fonts() is not None:
            gc.collect()  # kept styles and the fonts' own references form cycles

    # -- caches ----------------------------------------------------------------------------------
    def environment(self, pack: Any) -> Any:
        """The pack's HTML templates: its own files (``templates/``), else built from its layouts."""
        env = self._envs.get(pack.roots)
        if env is None:
            own = FileSystemLoader([str(r / "templates") for r in pack.roots])
            env = make_environment(autoescape=True, loader=ChoiceLoader([own, FunctionLoader(_built_html(pack))]))
            env.auto_reload = True  # a template or layout edited between documents is picked up
            env.filters["link"] = html_link  # clickable, tagged Link annotations
            env.filters["mailto"] = html_mailto
            env.finalize = breakable_long_tokens  # a 3,000-character token: 0.1 s, not 50 s
            self._envs[pack.roots] = env
        return env

    def stylesheet(self, job: RenderJob) -> Any:
        from weasyprint import CSS  # start-up: WeasyPrint loads with the first PDF

        path = job.pack.stylesheet
        key = (path, os.stat(path).st_mtime_ns)
        css = self._css.get(key)
        if css is None:
            css = CSS(string=path.read_text(encoding="utf-8"), base_url=str(path),
                      url_fetcher=make_fetcher(job.pack.roots), font_config=self.font_config)
            self._css[key] = css
        return css

    # -- rendering -------------------------------------------------------------------------------
    def html(self, job: RenderJob) -> str:
        """The filled-in HTML of a document (also used by tests and the packet builder)."""
        env = self.environment(job.pack)
        name = f"{job.kind}.html"
        try:
            template = env.get_template(name)
            return str(template.render(job.context))
        except TemplateNotFound as exc:
            raise RenderError.from_code("pack.file_missing#html", pack=job.pack.id, template=exc.name,
                                        details={"pack": job.pack.id}) from exc
        except TemplateError as exc:
            raise map_template_error(exc, f"{job.pack.id}/{name}", getattr(exc, "name", None)) from exc

    def document(self, job: RenderJob) -> Any:
        """Lay out a document (WeasyPrint ``Document``) without writing the PDF yet."""
        from weasyprint.urls import FatalURLFetchingError  # start-up: WeasyPrint loads with the first PDF

        fetcher = self._fetchers.get(job.pack.roots)
        if fetcher is None:
            fetcher = self._fetchers[job.pack.roots] = make_fetcher(job.pack.roots)
        fetcher.blocked = None  # one fetcher per pack for the renderer's life; its verdict is per document
        fast = switched_on(self.options.fast_paths)
        memo = (self._style_memos.setdefault(job.pack.roots, StyleMemo())
                if usable(weasyprint_compat.STYLE_MEMO, fast) else None)
        source = self.html(job)
        base_url = str(job.pack.path / "templates") + os.sep
        try:
            html = parse_html(source, base_url, fetcher, memo, fast_paths=fast)
            document = html.render(font_config=self.font_config, stylesheets=[self.stylesheet(job)],
                                   cache=self.image_cache, **self._options())
        except FatalURLFetchingError as exc:
            raise _blocked(fetcher, job) from exc
        _drop_attachments(document)
        weasyprint_compat.memoize_image_streams(self.image_cache, fast)
        return document

    def _options(self) -> dict[str, Any]:
        if self.variant == PLAIN:
            return {}
        if self.variant == UA:  # tagged, a content-derived file identifier, no PDF/A output intent
            return {"pdf_variant": "pdf/ua-1", "pdf_tags": True, "pdf_identifier": True}
        return {"pdf_variant": "pdf/a-2a", "pdf_tags": True}

    def write(self, document: Any, job: RenderJob) -> bytes:
        """The PDF of a laid-out document.

        The finisher leaves no stream ending with CR (:mod:`.pdf_streams`), but pydyf makes
        two more while writing — the object stream and the cross-reference stream — and about
        one document in 128 has one of them end with CR. That document is written again with
        one more, empty and unreferenced, object (then twice that…), which changes both
        streams' content; the first write that ends every stream unambiguously is kept.
        """
        from weasyprint.urls import FatalURLFetchingError  # start-up: WeasyPrint loads with the first PDF

        options = self._options()
        try:
            for padding in range(_WRITES):
                data = bytes(document.write_pdf(finisher=self._finisher(job, padding), **options))
                if ends_unambiguously(data):
                    break
            return data
        except FatalURLFetchingError as exc:
            raise _blocked(None, job) from exc

    def render(self, job: RenderJob) -> bytes:
        with _collector_paused():
            return self.write(self.document(job), job)

    def _finisher(self, job: RenderJob, padding: int = 0) -> Any:
        producer = _producer()
        tagged = self.variant != PLAIN
        pdfa = claims_pdfa(self.variant)

        def finish(document: Any, pdf: Any) -> None:
            pdf.info["Producer"] = pydyf.String(producer)
            if tagged:
                _write_xmp(document, pdf, producer, pdfa=pdfa)
                _join_split_tables(pdf)
                _scope_table_headers(pdf)
                _clean_to_unicode(pdf)
            finish_form(pdf)
            retag_subsets(pdf)
            finish_streams(pdf)
            for _ in range(padding):  # see write()
                pdf.add_object(pydyf.Dictionary())

        return finish


def _built_html(pack: Any) -> Any:
    """A Jinja loader function serving the templates built from ``pack``'s layouts."""
    def load(name: str) -> Any:
        kind = name.removesuffix(".html")
        if name == "_base.html":
            return base_template().content, None, lambda: True
        if kind not in KIND_IDS:
            return None
        built = html_template(pack, kind)
        return built.content, None, lambda: html_template(pack, kind).key == built.key

    return load


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one document is laid out and written.

    Laying out a document allocates a few hundred thousand objects (boxes, styles, PDF
    operators), which triggers some fifty young-generation and a few full collections per
    document; each full collection also walks everything the renderer keeps for the run
    (fonts, stylesheets, compiled templates). Measured at 30–40 ms of a 450 ms invitation.
    With the collector paused, the document's garbage is freed by reference counting as
    usual, and its cycles (WeasyPrint's layout context, its running header and footer, and
    the parsed tree: some 1,600 objects for the sample invitation once the document's styles
    are released, see ``StyleMemo.release``) are collected by one young-generation
    collection before the render returns — so a render
    leaves no garbage for the caller to pay for (≈ 1 ms). A collector the application had
    turned off stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _release_at_exit(backend: weakref.ref[PdfBackend]) -> None:
    alive = backend()
    if alive is not None:
        alive.release()


def _producer() -> str:
    from weasyprint import __version__ as wp_version  # start-up: WeasyPrint loads with the first PDF

    return f"sipdocs {version()} (WeasyPrint {wp_version})"


def _write_xmp(document: Any, pdf: Any, producer: str, *, pdfa: bool = True) -> None:
    """One uncompressed XMP packet claiming PDF/UA-1 (and PDF/A-2a), consistent with /Info
    (:mod:`.pdf_xmp`).

    The packet replaces the content of the metadata stream WeasyPrint's variant wrote, so no
    unused stream is left in the file.
    """
    packet = xmp_packet(document.metadata, producer, pdfa=pdfa)
    stream = deref(pdf.objects, pdf.catalog.get("Metadata"))
    if isinstance(stream, pydyf.Stream):
        stream.stream[:] = [packet]
        stream.compress = False
        stream.extra.pop("Filter", None)
    else:
        stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference


def _scope_table_headers(pdf: Any) -> None:
    """Give every TH structure element a /Scope (Column under THead, else Row).

    WeasyPrint links data cells to their headers with /Headers → TH /ID, but writes no
    /IDTree, so checkers cannot resolve the link; /Scope states it unambiguously.
    """
    objects = pdf.objects
    for obj in objects:
        if isinstance(obj, dict) and obj.get("S") == "/TH":
            row = deref(objects, obj.get("P"))
            group = deref(objects, row.get("P")) if isinstance(row, dict) else None
            scope = "/Column" if isinstance(group, dict) and group.get("S") == "/THead" else "/Row"
            attributes = obj.get("A")
            if isinstance(attributes, dict):
                attributes["Scope"] = scope




def _struct_kids(element: Any) -> list[Any]:
    kids = element.get("K")
    return list(kids) if isinstance(kids, list) else ([] if kids is None else [kids])


def _join_split_tables(pdf: Any) -> None:
    """Make a table broken across pages one tagged table again.

    WeasyPrint tags each page's piece of a table as a Table of its own (in that page's
    Part), and only one piece carries the THead; the others are tables without header
    cells (PDF/UA: UA-15-003), which happens when one row is longer than a page. The rows
    of each header-less piece that continues a table from the page before, or on the
    page after, are moved into the nearest piece with a header, and the empty piece is
    removed. Marked content keeps its owners (the cells), so the parent tree is unchanged.
    """
    objects = pdf.objects

    def struct(ref: Any) -> Any:
        obj = deref(objects, ref)
        return obj if isinstance(obj, dict) and "S" in obj else None

    def children(element: Any) -> list[Any]:
        return [k for k in map(struct, _struct_kids(element)) if k is not None]

    def groups(table: Any, name: str) -> list[Any]:
        return [g for g in children(table) if g.get("S") == name]

    documents = [o for o in objects if isinstance(o, dict) and o.get("S") == "/Document"]
    for document in documents:
        parts = children(document)
        kids = [children(part) for part in parts]
        # runs of tables that continue from the end of one part to the start of the next
        runs: list[list[tuple[Any, Any]]] = []
        for (before, after), (before_kids, after_kids) in zip(zip(parts, parts[1:]), zip(kids, kids[1:])):
            last, first = before_kids[-1:], after_kids[:1]
            if last and first and last[0].get("S") == first[0].get("S") == "/Table":
                if runs and runs[-1][-1][1] is last[0]:
                    runs[-1].append((after, first[0]))
                else:
                    runs.append([(before, last[0]), (after, first[0])])
        for run in runs:
            headed = [i for i, (_, table) in enumerate(run) if groups(table, "/THead")]
            if not headed:
                continue
            for i, (part, table) in enumerate(run):
                if i in headed:
                    continue
                before_i = [h for h in headed if h < i]
                target_index = max(before_i) if before_i else min(h for h in headed if h > i)
                target = run[target_index][1]
                bodies = groups(target, "/TBody")
                rows = [ref for body in groups(table, "/TBody") for ref in _struct_kids(body)]
                if not bodies or not rows:
                    continue
                body = bodies[-1] if target_index < i else bodies[0]
                for ref in rows:
                    row = struct(ref)
                    if row is not None:
                        row["P"] = body.reference
                existing = _struct_kids(body)
                body["K"] = pydyf.Array(existing + rows if target_index < i else rows + existing)
                part["K"] = pydyf.Array([ref for ref in _struct_kids(part) if deref(objects, ref) is not table])


_BAD_UNICODE = {"0000": "fffd", "fffe": "fffd", "feff": "2060"}


def _clean_to_unicode(pdf: Any) -> None:
    """PDF/A and PDF/UA forbid U+0000, U+FEFF and U+FFFE as ToUnicode values.

    A font embedded in full maps a glyph to U+FEFF, the deprecated zero-width no-break
    space; map it to its successor U+2060 (word joiner), and the two non-characters to
    U+FFFD.
    """
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or b"endcmap" not in obj.stream:
            continue
        lines = []
        for line in obj.stream:
            if line.startswith(b"<") and line.endswith(b">") and b"> <" in line:
                src, _, dst = line.partition(b" ")
                units = [dst[i:i + 4].decode("ascii") for i in range(1, len(dst) - 1, 4)]
                if any(u.lower() in _BAD_UNICODE for u in units):
                    fixed = "".join(_BAD_UNICODE.get(u.lower(), u) for u in units)
                    line = src + b" <" + fixed.encode("ascii") + b">"
            lines.append(line)
        obj.stream[:] = lines


def _drop_attachments(document: Any) -> None:
    """Never embed files: forget <link rel=attachment> and <a rel=attachment> targets."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]


def _blocked(fetcher: Any, job: RenderJob) -> RenderError:
    blocked = getattr(fetcher, "blocked", None)
    scheme = blocked.scheme if blocked else "?"
    reason = blocked.reason if blocked else "render.blocked.pack_only"
    return RenderError.from_code("render.resource_blocked", pack=job.pack.id, scheme=scheme, reason=phrase(reason),
                                 details={"pack": job.pack.id, "scheme": scheme})

