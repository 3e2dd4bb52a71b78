"""Every use sipdocs makes of docxtpl's internals, each behind a version gate (see :mod:`._compat`).

docxtpl's public API is ``DocxTemplate(file).render(context, jinja_env, autoescape)`` and
``save``: the reference Word engine uses only that. The compiled engine
(:mod:`.docx_compiled`) and ``sipdocs lint`` do part of docxtpl's work themselves, calling
three of its methods outside ``render``:

=====================  ==========  ====================================================================
fast path              verified    private names and conventions it relies on
=====================  ==========  ====================================================================
``compiled_engine``    0.20.2–     ``DocxTemplate.patch_xml(src_xml)`` (the tag clean-up before Jinja
                       0.20.x      sees a part), ``resolve_listing(xml)`` (``\\n``, ``\\t``, ``\\a``,
                                   ``\\f`` in values) and ``fix_tables(xml)`` (columns added by
                                   ``{%tc%}``), called on a template that was never loaded or
                                   rendered: none of the three reads the template
=====================  ==========  ====================================================================

With the fast path off, ``RenderOptions(docx_engine="compiled")`` (and ``"auto"``) renders with
the reference engine — the same documents, about 25 times slower — and ``sipdocs lint`` checks
the Jinja of Word templates through docxtpl's public ``get_undeclared_template_variables``
(syntax only, for the whole document rather than per part).
"""

from __future__ import annotations

import functools
import io
from typing import Any

from docxtpl import DocxTemplate

from ._compat import FastPath, parameters, usable

DISTRIBUTION = "docxtpl"
VERIFIED = ("0.20.2", "0.21")


def _probe_compiled_engine() -> str | None:
    for name, expected in (("patch_xml", ["self", "src_xml"]), ("resolve_listing", ["self", "xml"]),
                           ("fix_tables", ["self", "xml"])):
        method = getattr(DocxTemplate, name, None)
        if not callable(method) or parameters(method) != expected:
            return f"DocxTemplate.{name} is missing or takes other parameters"
    return None


COMPILED_ENGINE = FastPath(
    "docxtpl.compiled_engine", DISTRIBUTION, VERIFIED,
    ("DocxTemplate.patch_xml(src_xml)", "DocxTemplate.resolve_listing(xml)", "DocxTemplate.fix_tables(xml)",
     "called on a template never loaded"),
    _probe_compiled_engine)
FAST_PATHS = (COMPILED_ENGINE,)


def compiled_engine(fast_paths: bool = True) -> bool:
    """Whether the compiled Word engine (and lint's per-part check) may be used."""
    return usable(COMPILED_ENGINE, fast_paths)


@functools.cache
def _template() -> Any:
    """A ``DocxTemplate`` that is never loaded: the three methods only transform their argument."""
    return DocxTemplate(io.BytesIO())


def patch_xml(xml: str) -> str:
    """docxtpl's clean-up of a part's XML before Jinja compiles it (tags split across runs…)."""
    return str(_template().patch_xml(xml))


def resolve_listing(xml: str) -> str:
    """docxtpl's rewriting of ``\\n``, ``\\t``, ``\\a`` and ``\\f`` in rendered paragraphs."""
    return str(_template().resolve_listing(xml))


def fix_tables(xml: str) -> Any:
    """docxtpl's table grid fix for columns added by ``{%tc%}``: the part as an lxml tree."""
    return _template().fix_tables(xml)
