"""The public library API — the one front module. It wires the pipeline steps together:

``inputs → validation → context → render (a backend per format) → postprocess → output``

:func:`validate` runs the first two; :class:`Renderer` (and :func:`render`, which shares one)
all of them; :func:`render_packet` merges PDFs into a packet. :mod:`sipdocs` re-exports this
module; every other module is internal, and the CLI, bulk rendering and the web app call the
library through here. A :class:`Renderer` is the long-lived object an integrating application
(or a bulk worker) keeps: its backends compile each template once and cache QR codes,
stylesheets and fonts, so the per-document cost is only the per-document work.

Heavy libraries (docxtpl, WeasyPrint, pypdf, spreadsheet readers) are imported only by the code
paths that need them, so ``validate`` stays fast: the context builder, the backends and the
post-processing load with the first document rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends.base import (
    FORMATS,
    Backend,
    OutputFormat,
    RenderJob,
    RenderOptions,
    create_backend,
    output_format,
    unknown_formats,
)
from .errors import InvalidInputError, Issue, OutputError, RenderError
from .inputs import InputSource, load_input, source_label
from .inputs import loads as loads
from .limits import time_limit
from .packs import Pack, iter_packs, load_pack
from .pdf_variants import resolve_variant
from .validation import ValidationResult
from .validation import validate as _validate

if TYPE_CHECKING:  # the names loaded on first use (below), for type checkers
    from .consent_form import read_consent as read_consent
    from .consent_form import read_consents as read_consents
    from .context import build_context as build_context
    from .pdfpost import encrypt_pdf as encrypt_pdf
    from .pdfpost import merge_pdfs as merge_pdfs
    from .prefill import prefill as prefill

__all__ = ["validate", "loads", "list_packs", "load_pack", "InputSource", "Pack", "ValidationResult",
           "Renderer", "RenderOptions", "RenderResult", "Artifact", "render", "render_packet",
           "build_context", "merge_pdfs", "encrypt_pdf", "read_consent", "read_consents", "prefill",
           "OutputFormat", "FORMATS", "output_format"]

# The steps' own entry points, imported on first use so that `import sipdocs` and
# `sipdocs validate` stay light (the CLI's start-up time is part of the product).
_ON_FIRST_USE = {
    "build_context": "context",
    "merge_pdfs": "pdfpost",
    "encrypt_pdf": "pdfpost",
    "read_consent": "consent_form",
    "read_consents": "consent_form",
    "prefill": "prefill",
}


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        value = getattr(import_module(f".{_ON_FIRST_USE[name]}", __package__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- validation -----------------------------------------------------------------------------------

def validate(source: InputSource, pack: str | Pack | None = None, *, kind: str | None = None,
             debug: bool = False) -> ValidationResult:
    """Validate an input against schema and rules.

    ``source`` is a mapping (Python values such as ``datetime.date`` are fine), JSON/YAML
    text (``str`` starting with ``{`` or holding a line break, or ``bytes``), a file path
    or a file object; see :mod:`sipdocs.inputs`. Returns a
    :class:`~sipdocs.validation.ValidationResult`; bad *content* never raises.

    :raises InputError: the file cannot be read or the text parsed (the message never
        contains the input).
    :raises PackError: the pack is unknown or broken.
    """
    data = load_input(source, debug=debug)
    return _validate(data, pack, kind=kind, debug=debug)


def list_packs() -> list[Pack]:
    """Every pack on the search path (``SIPDOCS_PACKS``, then the bundled ones)."""
    return list(iter_packs())


# --- rendering ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Artifact:
    """One rendered file."""

    format: str
    data: bytes = field(repr=False)
    filename: str
    media_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class RenderResult:
    """The outcome of rendering one input.

    :param kind: document kind.
    :param pack: pack id; ``pack_version`` its version.
    :param lang: document language.
    :param stem: default file name without extension: ``{kind}-{date}-{hash}``.
    :param artifacts: rendered files by format (``"docx"``, ``"pdf"``).
    :param warnings: validation warnings (rendering went on).
    :param fields: non-sensitive fields for name patterns (kind, date, hash, case_id, lang, pack).
    """

    kind: str
    pack: str
    pack_version: str
    lang: str
    stem: str
    artifacts: Mapping[str, Artifact]
    warnings: tuple[Issue, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, fmt: str) -> bytes:
        return self.artifacts[fmt].data

    def write(self, outdir: str | os.PathLike[str], *, force: bool = False,
              name_pattern: str | None = None, name_fields: Mapping[str, str | None] | None = None,
              ) -> list[Path]:
        """Write every artifact into ``outdir``; returns the paths.

        The set is written whole or not at all: without ``force``, when any of the files exists
        already, none is written (:class:`~sipdocs.errors.OutputExistsError`, naming them), and
        a write that fails takes back the files this call wrote before it.
        """
        from .output import atomic_write, exists_error, format_name  # start-up: only writing needs tempfile

        stem = self.stem
        if name_pattern:
            stem = format_name(name_pattern, {**self.fields, **(name_fields or {})})
        targets = [(Path(outdir) / f"{stem}.{output_format(fmt).extension}", artifact)
                   for fmt, artifact in self.artifacts.items()]
        if not force:
            existing = [path for path, _ in targets if path.exists()]
            if existing:
                raise exists_error(existing)
        paths: list[Path] = []
        try:
            for path, artifact in targets:
                paths.append(atomic_write(path, artifact.data, force=force))
        except OutputError:
            if not force:
                for written in paths:
                    written.unlink(missing_ok=True)
            raise
        return paths


def content_hash(kind: str, data: Mapping[str, Any], pack: Pack, lang: str) -> str:
    """Short hash of the normalised input, pack and language (same for docx and pdf)."""
    canonical = json.dumps({"data": data, "pack": [pack.id, pack.version], "lang": lang},
                           sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]


class Renderer:
    """Renders inputs to Word and PDF, compiling templates once per renderer.

    :param options: backend options (time limit, size cap, PDF variant).
    :param pack: default pack for inputs that name none (else ``national``).
    :param lang: default language for inputs that name none (else Swedish).

    Thread-safety: use one renderer per thread or process.

    .. versionadded:: 0.1
    """

    def __init__(self, options: RenderOptions | None = None, *, pack: str | Pack | None = None,
                 lang: str | None = None) -> None:
        self.options = options or RenderOptions()
        # the variant each PDF gets; a contradiction (PDF/A with a password) fails here, at once
        self.pdf_variant = resolve_variant(self.options.pdf_variant, encrypted=bool(self.options.pdf_password))
        self.default_pack = pack
        self.default_lang = lang
        self._backends: dict[str, Backend] = {}

    @property
    def ready_formats(self) -> frozenset[str]:
        """The formats whose backend this renderer has made (libraries loaded, caches kept)."""
        return frozenset(self._backends)

    def backend(self, fmt: str) -> Backend:
        if fmt not in self._backends:
            self._backends[fmt] = create_backend(fmt, self.options)
        return self._backends[fmt]

    def render(self, source: InputSource, formats: Iterable[str] = ("docx",), pack: str | Pack | None = None,
               lang: str | None = None) -> RenderResult:
        """Validate and render one input.

        :param source: a mapping, JSON/YAML text or bytes, a path or a file object (see
            :mod:`sipdocs.inputs`).
        :param formats: any of ``"docx"``, ``"pdf"``.
        :param pack: pack id/folder/object; default: the input's ``"pack"``, then the renderer's.
        :param lang: ``"sv"`` or ``"en"``; default: the input's ``"lang"``, then the renderer's.
        :raises InvalidInputError: the input has errors (all issues attached).
        :raises RenderError: a template or backend failed; nothing is returned half-done.
        """
        formats = tuple(dict.fromkeys(formats))
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise unknown_formats(unknown)
        from .context import make_context, resolve_lang  # start-up: `sipdocs validate` never builds one

        data = load_input(source)
        chosen_pack = pack if pack is not None else (
            data.get("pack") if isinstance(data.get("pack"), str) else self.default_pack)
        pack_obj = load_pack(chosen_pack)
        result = _validate(data, pack_obj)
        if not result.ok:
            raise InvalidInputError(result.issues, source=source_label(source))
        assert result.data is not None and result.kind is not None
        language = resolve_lang(result.data, lang or (None if data.get("lang") else self.default_lang))
        context = make_context(result, pack_obj, language)
        job = RenderJob(kind=result.kind, pack=pack_obj, lang=language, context=context,
                        options=self.options)
        digest = content_hash(result.kind, result.data, pack_obj, language)
        date = str(result.data.get("document_date", ""))
        stem = f"{result.kind}-{date}-{digest}"
        artifacts: dict[str, Artifact] = {}
        for fmt in formats:
            backend = self.backend(fmt)
            with time_limit(self.options.time_limit):
                blob = backend.render(job)
            if fmt == "pdf" and self.options.pdf_password:
                from .pdfpost import encrypt_pdf  # start-up: only encryption needs the PDF post-processing

                blob = encrypt_pdf(blob, self.options.pdf_password)
            if len(blob) > self.options.max_output_bytes:
                raise RenderError.from_code("render.output_too_large", format=fmt, limit=self.options.max_output_bytes,
                                            details={"format": fmt, "bytes": len(blob)})
            spec = output_format(fmt)
            artifacts[fmt] = Artifact(fmt, blob, f"{stem}.{spec.extension}", spec.media_type)
        fields = {"kind": result.kind, "date": date, "hash": digest, "lang": language,
                  "pack": pack_obj.id, "case_id": str(result.data.get("case_id") or ""),
                  "title": str(context["doc"].get("title") or "")}
        return RenderResult(kind=result.kind, pack=pack_obj.id, pack_version=pack_obj.version,
                            lang=language, stem=stem, artifacts=artifacts,
                            warnings=result.warnings, fields=fields)


def render_packet(sources: Iterable[InputSource],
                  pack: str | Pack | None = None, lang: str | None = None, *, title: str | None = None,
                  renderer: Renderer | None = None) -> tuple[bytes, list[RenderResult]]:
    """Render several inputs to PDF and merge them into one packet, one bookmark per document.

    The packet stays tagged and conformant (see :func:`sipdocs.pdfpost.merge_pdfs`); it is
    encrypted afterwards when the renderer has a ``pdf_password``.
    :returns: the packet's bytes and the individual results.
    """
    from .pdfpost import encrypt_pdf, merge_pdfs  # start-up: only packets need the PDF post-processing

    renderer = renderer or Renderer()
    # an encrypted packet is made of documents in the variant an encrypted document has
    plain = Renderer(RenderOptions(**{**renderer.options.__dict__, "pdf_password": None,
                                      "pdf_variant": renderer.pdf_variant}),
                     pack=renderer.default_pack, lang=renderer.default_lang) if renderer.options.pdf_password \
        else renderer
    results = [plain.render(src, ("pdf",), pack, lang) for src in sources]
    items = []
    for result in results:
        doc_title = result.fields.get("title") or result.kind
        items.append((doc_title, result["pdf"]))
    packet = merge_pdfs(items, title=title or _packet_title(results))
    if renderer.options.pdf_password:
        packet = encrypt_pdf(packet, renderer.options.pdf_password)
    return packet, results


def _packet_title(results: list[RenderResult]) -> str:
    lang = results[0].lang if results else "sv"
    return "SIP documents" if lang.startswith("en") else "SIP – dokument"


_DEFAULT: Renderer | None = None


def render(source: InputSource, formats: Iterable[str] = ("docx",),
           pack: str | Pack | None = None, lang: str | None = None, **options: Any) -> RenderResult:
    """Render one input with a shared renderer (templates compiled once per process).

    Keyword ``options`` (those of :class:`RenderOptions`: ``time_limit``, ``max_output_bytes``,
    ``pdf_variant``, ``docx_engine``, ``fast_paths`` …) create a dedicated renderer for this call instead.
    """
    global _DEFAULT
    if options:
        return Renderer(RenderOptions(**options)).render(source, formats, pack, lang)
    if _DEFAULT is None:
        _DEFAULT = Renderer()
    return _DEFAULT.render(source, formats, pack, lang)
