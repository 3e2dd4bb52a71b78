"""What every backend shares: the job and options types, the template-error mapping, and the
registry of output formats.

A backend turns a :class:`RenderJob` (kind, pack, language, context, options) into the bytes of
one file. Backends are plug-ins: each lives in its own module, imports its heavy libraries
(docxtpl, WeasyPrint) only when it is first used, and keeps compiled templates, stylesheets,
fonts and images for the life of the :class:`~sipdocs.api.Renderer` that owns it. A backend
module imports this module, the shared Word helpers (:mod:`.ooxml`) and its own helpers —
never another backend (``tests/test_architecture.py`` checks it).

**Adding an output format** touches :data:`FORMATS` only (plus the backend's module and the
packs' templates): one :class:`OutputFormat` entry names the file extension, the media type,
the pack template type the backend reads, and the backend class as ``"module:Class"``. The
module is imported when the first document of that format is rendered, so registering a format
costs nothing at start-up, and the CLI (``--to``), bulk rendering, the web app and
:class:`~sipdocs.api.Renderer` all take their format names from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol

from ..catalogue import phrase
from ..errors import RenderError, TemplateSecurityError
from ..packs import Pack


@dataclass(frozen=True)
class RenderOptions:
    """Options shared by the backends.

    :param time_limit: seconds per document before ``render.timeout`` (main thread only).
    :param max_output_bytes: larger outputs fail with ``render.output_too_large``.
    :param pdf_variant: ``"auto"`` (the default: ``"pdf/ua-1+a-2a"``, accessible and archivable,
        or ``"pdf/ua-1"`` when encrypting), ``"pdf/ua-1+a-2a"``, ``"pdf/ua-1"`` or ``"plain"``
        (see :mod:`sipdocs.pdf_variants`).
    :param docx_engine: ``"auto"`` (the default: the compiled engine, or docxtpl's own where the
        compiled one's fast path is off), ``"compiled"`` or ``"docxtpl"`` (the reference engine).
    :param pdf_password: encrypt every PDF with AES-256; the PDF stays tagged PDF/UA-1 but
        cannot claim PDF/A, which forbids encryption.
    :param fast_paths: False renders through the libraries' public API only, without the speed-ups
        that reach into WeasyPrint, pydyf or docxtpl internals (``SIPDOCS_FAST_PATHS=0`` and the
        CLI's ``--no-fast-paths`` do the same).
    """

    time_limit: float | None = 60.0
    max_output_bytes: int = 50 * 1024 * 1024
    pdf_variant: str = "auto"
    docx_engine: str = "auto"
    pdf_password: str | None = field(default=None, repr=False)
    fast_paths: bool = True


@dataclass(frozen=True)
class RenderJob:
    kind: str
    pack: Pack
    lang: str
    context: dict[str, Any]
    options: RenderOptions


class Backend(Protocol):
    """A backend: made once per renderer (``Backend(options)``), then asked for many documents."""

    def render(self, job: RenderJob) -> bytes: ...


# --- the registry of output formats -------------------------------------------------------------

@dataclass(frozen=True)
class OutputFormat:
    """One output format.

    :param name: what users write (``--to docx,pdf``, ``formats=("pdf",)``).
    :param extension: the file name extension, without the dot.
    :param media_type: the MIME type (web downloads, :class:`~sipdocs.api.Artifact`).
    :param template: the pack template type the backend reads (``templates/<kind>.<template>``,
        or the one built from the layout).
    :param engines: engine name → ``"module:Class"`` in :mod:`sipdocs.backends`; the first is the
        default. The class is called with the :class:`RenderOptions`.
    :param engine_option: the :class:`RenderOptions` field that chooses the engine, if there is a
        choice (``"auto"``, or a name not in ``engines``, gives the default).
    """

    name: str
    extension: str
    media_type: str
    template: str
    engines: Mapping[str, str]
    engine_option: str | None = None

    def engine(self, options: RenderOptions) -> str:
        """The engine ``options`` choose."""
        chosen = getattr(options, self.engine_option) if self.engine_option else None
        return chosen if isinstance(chosen, str) and chosen in self.engines else next(iter(self.engines))

    def module(self, options: RenderOptions) -> str:
        """The full name of the module of the engine ``options`` choose (preloading workers)."""
        return f"{__package__}.{self.engines[self.engine(options)].partition(':')[0]}"


FORMATS: Mapping[str, OutputFormat] = {
    "docx": OutputFormat(
        "docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
        {"compiled": "docx_compiled:CompiledDocxBackend", "docxtpl": "docx:DocxtplBackend"},
        engine_option="docx_engine"),
    "pdf": OutputFormat("pdf", "pdf", "application/pdf", "html", {"weasyprint": "pdf:PdfBackend"}),
}


def output_format(name: str) -> OutputFormat:
    """The registered format ``name``.

    :raises RenderError: ``render.unknown_format``.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise unknown_formats([name]) from None


def unknown_formats(names: list[str]) -> RenderError:
    """The error for output format names that are not registered (or for none at all)."""
    known = ", ".join(FORMATS)
    return RenderError.from_code("render.unknown_format",
                                 names=", ".join(map(repr, names)) or phrase("word.none_neuter"),
                                 known=known)


def create_backend(fmt: str, options: RenderOptions) -> Backend:
    """The backend for ``fmt`` (imports its module, and so its libraries, now).

    An engine class may say it cannot serve ``options`` with a class method
    ``available(options) -> bool`` (the compiled Word engine when its fast path is off, see
    :mod:`._docxtpl_compat`); the next engine of the format renders instead.
    """
    spec = output_format(fmt)
    chosen = spec.engine(options)
    names = [chosen] + [name for name in spec.engines if name != chosen]
    for name in names:
        module, _, attr = spec.engines[name].partition(":")
        factory = getattr(import_module(f"{__package__}.{module}"), attr)
        available = getattr(factory, "available", None)
        if available is None or available(options):
            backend: Backend = factory(options)
            return backend
    raise RenderError.from_code("render.unknown_format#engine", format=fmt)


# --- template errors ----------------------------------------------------------------------------

def map_template_error(exc: Exception, template: str, part: str | None) -> Exception:
    """Turn a Jinja error into a sipdocs error naming the template, part and variable."""
    from jinja2.exceptions import (  # start-up: Jinja (~15 ms) loads only when a template fails
        SecurityError,
        TemplateSyntaxError,
        UndefinedError,
    )

    where = template + (f" ({part})" if part else "")
    if isinstance(exc, SecurityError):
        return TemplateSecurityError.from_code("render.security", template=where, reason=exc,
                                               details={"template": template, "part": part})
    if isinstance(exc, UndefinedError):
        variable = _undefined_name(str(exc))
        return RenderError.from_code("render.undefined_variable", template=where, variable=variable,
                                     details={"template": template, "part": part, "variable": variable})
    if isinstance(exc, TemplateSyntaxError):
        return RenderError.from_code("render.template_syntax", template=where, line=exc.lineno, reason=exc.message,
                                     details={"template": template, "part": part, "line": exc.lineno})
    return RenderError.from_code("render.failed#template", template=where, kind=type(exc).__name__,
                                 details={"template": template, "part": part})


def _undefined_name(message: str) -> str:
    for pattern in (r"'([^']+)' is undefined", r"has no attribute '([^']+)'", r"no element '([^']+)'"):
        m = re.search(pattern, message)
        if m:
            return m.group(1)
    return message
