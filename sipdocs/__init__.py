"""sipdocs: documents for the Swedish SIP process (samordnad individuell plan) for children.

Validated JSON/YAML inputs fill county template packs and become Word and PDF
documents: the invitation, the consent, the plan, the follow-up, the closure notice
and social services' incoming-information note.

Public API (everything else is internal)::

    import sipdocs
    result = sipdocs.validate("samples/invitation.json")   # or a dict, JSON/YAML text, bytes, a file
    for issue in result.issues:
        print(issue.code, issue.pointer, issue.message("en"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import InputSource as InputSource
from .api import list_packs as list_packs
from .api import loads as loads
from .api import validate as validate
from .errors import BackendUnavailableError as BackendUnavailableError
from .errors import InputError as InputError
from .errors import InternalError as InternalError
from .errors import InvalidInputError as InvalidInputError
from .errors import Issue as Issue
from .errors import OutputError as OutputError
from .errors import OutputExistsError as OutputExistsError
from .errors import PackError as PackError
from .errors import PostprocessError as PostprocessError
from .errors import RenderError as RenderError
from .errors import SheetError as SheetError
from .errors import SipdocsError as SipdocsError
from .errors import TemplateSecurityError as TemplateSecurityError
from .kinds import KINDS as KINDS
from .packs import Pack as Pack
from .packs import load_pack as load_pack
from .validation import ValidationResult as ValidationResult


if TYPE_CHECKING:  # what the lazy names below are, for type checkers (the package ships py.typed)
    from .backends import RenderOptions as RenderOptions
    from .bulk.runner import bulk as bulk
    from .consent_form import read_consent as read_consent
    from .consent_form import read_consents as read_consents
    from .context import build_context as build_context
    from .pdfpost import encrypt_pdf as encrypt_pdf
    from .pdfpost import merge_pdfs as merge_pdfs
    from .prefill import prefill as prefill
    from .renderer import Artifact as Artifact
    from .renderer import Renderer as Renderer
    from .renderer import RenderResult as RenderResult
    from .renderer import render as render
    from .renderer import render_packet as render_packet

    __version__: str

# Rendering names are imported on first use, so `sipdocs validate` and `import sipdocs`
# stay light (the CLI's start-up time is part of the product).
_LAZY = {
    "render": ("renderer", "render"),
    "Renderer": ("renderer", "Renderer"),
    "RenderResult": ("renderer", "RenderResult"),
    "Artifact": ("renderer", "Artifact"),
    "RenderOptions": ("backends", "RenderOptions"),
    "build_context": ("context", "build_context"),
    "render_packet": ("renderer", "render_packet"),
    "merge_pdfs": ("pdfpost", "merge_pdfs"),
    "encrypt_pdf": ("pdfpost", "encrypt_pdf"),
    "read_consent": ("consent_form", "read_consent"),
    "read_consents": ("consent_form", "read_consents"),
    "bulk": ("bulk.runner", "bulk"),
    "prefill": ("prefill", "prefill"),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # importlib.metadata costs ~50 ms; only pay for it when the version is asked for.
        from ._version import version

        return version()
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sipdocs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "validate",
    "loads",
    "InputSource",
    "render",
    "render_packet",
    "build_context",
    "merge_pdfs",
    "encrypt_pdf",
    "read_consent",
    "read_consents",
    "bulk",
    "prefill",
    "Renderer",
    "RenderOptions",
    "RenderResult",
    "Artifact",
    "list_packs",
    "load_pack",
    "KINDS",
    "Pack",
    "ValidationResult",
    "Issue",
    "SipdocsError",
    "InputError",
    "InvalidInputError",
    "PackError",
    "TemplateSecurityError",
    "RenderError",
    "BackendUnavailableError",
    "PostprocessError",
    "OutputError",
    "OutputExistsError",
    "SheetError",
    "InternalError",
]
