"""PDF variants: what a PDF claims, and what an encrypted PDF can claim.

==================  ===========================================================================
``pdf/ua-1+a-2a``   tagged, claims and passes PDF/UA-1 and PDF/A-2a (the default)
``pdf/ua-1``        tagged, claims and passes PDF/UA-1 only: language, title, structure tree and
                    XMP as above, without PDF/A's identification — what an encrypted PDF is
``plain``           an ordinary untagged PDF
``auto``            ``pdf/ua-1+a-2a``, or ``pdf/ua-1`` when the PDF is encrypted
==================  ===========================================================================

PDF/A forbids encryption (ISO 19005-2 §6.1.3); PDF/UA allows it as long as assistive technology
may still extract the text (ISO 14289-1 §7.16), so an encrypted document stays accessible and
only the archival claim goes. Asking for ``pdf/ua-1+a-2a`` *and* a password is a contradiction
(``pdf.encrypt_conflicts_pdfa``); an unknown variant is ``render.unknown_variant``.

No heavy imports here: the CLI and the renderer resolve variants before any backend loads.
"""

from __future__ import annotations

from .errors import PostprocessError, RenderError

AUTO = "auto"
UA_AND_A = "pdf/ua-1+a-2a"
UA = "pdf/ua-1"
PLAIN = "plain"
VARIANTS = (UA_AND_A, UA, PLAIN)
CHOICES = (AUTO, *VARIANTS)


def resolve_variant(variant: str | None, *, encrypted: bool) -> str:
    """The variant a document is rendered in (``auto`` and ``None`` resolved).

    :raises RenderError: ``render.unknown_variant``.
    :raises PostprocessError: ``pdf.encrypt_conflicts_pdfa`` for ``pdf/ua-1+a-2a`` with a password.
    """
    if variant in (None, AUTO):
        return UA if encrypted else UA_AND_A
    if variant not in VARIANTS:
        raise RenderError.from_code("render.unknown_variant", variant=variant, known=", ".join(CHOICES))
    if encrypted and variant == UA_AND_A:
        raise PostprocessError.from_code("pdf.encrypt_conflicts_pdfa")
    return variant


def claims_pdfa(variant: str) -> bool:
    return variant == UA_AND_A


def is_tagged(variant: str) -> bool:
    return variant in (UA_AND_A, UA)
