"""sipdocs: documents for the Swedish SIP process (samordnad individuell plan) for children.

Validated JSON/YAML inputs fill county template packs and become Word and PDF
documents: the invitation, the consent, the plan, the follow-up, the closure notice
and social services' incoming-information note.

Public API (everything else is internal)::

    import sipdocs
    result = sipdocs.validate("samples/invitation.json")
    for issue in result.issues:
        print(issue.code, issue.pointer, issue.message("en"))
"""

from __future__ import annotations

from typing import Any

from .api import list_packs as list_packs
from .context import build_context as build_context
from .api import validate as validate
from .errors import BackendUnavailableError as BackendUnavailableError
from .errors import InputError as InputError
from .errors import InvalidInputError as InvalidInputError
from .errors import Issue as Issue
from .errors import OutputError as OutputError
from .errors import PackError as PackError
from .errors import PostprocessError as PostprocessError
from .errors import RenderError as RenderError
from .errors import SheetError as SheetError
from .errors import SipdocsError as SipdocsError
from .errors import TemplateSecurityError as TemplateSecurityError
from .kinds import KINDS as KINDS
from .packs import Pack as Pack
from .packs import load_pack as load_pack
from .backends import RenderOptions as RenderOptions
from .renderer import Artifact as Artifact
from .renderer import Renderer as Renderer
from .renderer import RenderResult as RenderResult
from .renderer import render as render
from .validation import ValidationResult as ValidationResult



def __getattr__(name: str) -> Any:
    # importlib.metadata costs ~50 ms; only pay for it when the version is asked for.
    if name == "__version__":
        from ._version import version

        return version()
    raise AttributeError(f"module 'sipdocs' has no attribute {name!r}")

__all__ = [
    "__version__",
    "validate",
    "render",
    "build_context",
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
    "SheetError",
]
