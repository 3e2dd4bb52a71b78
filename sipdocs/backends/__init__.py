"""Output backends: one per format, created lazily, each caching what it can per run.

A backend turns a :class:`RenderJob` (kind, pack, language, context, options) into the
bytes of one file. Backends import their heavy libraries (docxtpl, WeasyPrint) only
when they are first used, and keep compiled templates, stylesheets, fonts and images
for the life of the :class:`~sipdocs.renderer.Renderer` that owns them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import RenderError
from ..packs import Pack

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class RenderOptions:
    """Options shared by the backends.

    :param time_limit: seconds per document before ``render.timeout`` (main thread only).
    :param max_output_bytes: larger outputs fail with ``render.output_too_large``.
    :param pdf_variant: ``"auto"`` (the default: ``"pdf/ua-1+a-2a"``, accessible and archivable,
        or ``"pdf/ua-1"`` when encrypting), ``"pdf/ua-1+a-2a"``, ``"pdf/ua-1"`` or ``"plain"``
        (see :mod:`sipdocs.pdf_variants`).
    :param docx_engine: ``"compiled"`` (fast, the default) or ``"docxtpl"`` (the reference engine).
    :param pdf_password: encrypt every PDF with AES-256; the PDF stays tagged PDF/UA-1 but
        cannot claim PDF/A, which forbids encryption.
    :param fast_paths: False renders through the libraries' public API only, without the speed-ups
        that reach into WeasyPrint's or docxtpl's internals (``SIPDOCS_FAST_PATHS=0`` and the
        CLI's ``--no-fast-paths`` do the same): the same documents, slower; Word files then come
        from the docxtpl engine. See ``sipdocs/backends/_compat.py``.
    """

    time_limit: float | None = 60.0
    max_output_bytes: int = 50 * 1024 * 1024
    pdf_variant: str = "auto"
    docx_engine: str = "auto"
    pdf_password: str | None = field(default=None, repr=False)
    fast_paths: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderJob:
    kind: str
    pack: Pack
    lang: str
    context: dict[str, Any]
    options: RenderOptions


class Backend(Protocol):
    format: str
    extension: str
    media_type: str

    def render(self, job: RenderJob) -> bytes: ...


def create_backend(fmt: str, options: RenderOptions) -> Backend:
    """The backend for ``fmt`` (imports its libraries now)."""
    if fmt == "docx":
        from .docx import create_docx_backend

        return create_docx_backend(options)
    if fmt == "pdf":
        from .pdf import PdfBackend

        return PdfBackend(options)
    raise RenderError(f"Unknown output format {fmt!r} (known: {', '.join(FORMATS)})",
                      message_sv=f"Okänt utdataformat {fmt!r} (finns: {', '.join(FORMATS)})",
                      code="render.unknown_format")
