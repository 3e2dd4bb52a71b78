"""sipdocs: documents for the Swedish SIP process (samordnad individuell plan) for children.

Validated JSON/YAML inputs fill county template packs and become Word and PDF
documents: the invitation, the consent, the plan, the follow-up, the closure notice
and social services' incoming-information note.

Public API: the front module :mod:`sipdocs.api`, re-exported here, and bulk rendering
(everything else is internal)::

    import sipdocs
    result = sipdocs.validate("samples/invitation.json")   # or a dict, JSON/YAML text, bytes, a file
    for issue in result.issues:
        print(issue.code, issue.pointer, issue.message("en"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _version
from . import api as _api
from .api import Artifact as Artifact
from .api import InputSource as InputSource
from .api import Pack as Pack
from .api import Renderer as Renderer
from .api import RenderOptions as RenderOptions
from .api import RenderResult as RenderResult
from .api import ValidationResult as ValidationResult
from .api import list_packs as list_packs
from .api import load_pack as load_pack
from .api import loads as loads
from .api import render as render
from .api import render_packet as render_packet
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

if TYPE_CHECKING:  # what the lazy names below are, for type checkers (the package ships py.typed)
    from .bulk.runner import bulk as bulk
    from .consent_form import read_consent as read_consent
    from .consent_form import read_consents as read_consents
    from .context import build_context as build_context
    from .pdfpost import encrypt_pdf as encrypt_pdf
    from .pdfpost import merge_pdfs as merge_pdfs
    from .prefill import prefill as prefill

    __version__: str

# Loaded on first use, so `sipdocs validate` and `import sipdocs` stay light (the CLI's start-up
# time is part of the product): the front's own lazy names, and bulk rendering, which is built
# on the front (a layer above it).
_FROM_FRONT = ("build_context", "merge_pdfs", "encrypt_pdf", "read_consent", "read_consents", "prefill")


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version.version()
    if name in _FROM_FRONT:
        value = getattr(_api, name)
    elif name == "bulk":
        from .bulk.runner import bulk as value  # start-up: bulk and its spreadsheet readers load on first use
    else:
        raise AttributeError(f"module 'sipdocs' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_FROM_FRONT) | {"bulk", "__version__"})


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
