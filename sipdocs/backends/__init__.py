"""Output backends: one plug-in module per format engine, created lazily, each caching what it
can per run.

The shared types, the template-error mapping and the registry of output formats live in
:mod:`.base` (re-exported here: ``from sipdocs.backends import RenderOptions`` keeps working);
the helpers both Word engines share in :mod:`.ooxml`. No backend module imports another.
"""

from __future__ import annotations

from .base import FORMATS as FORMATS
from .base import Backend as Backend
from .base import OutputFormat as OutputFormat
from .base import RenderJob as RenderJob
from .base import RenderOptions as RenderOptions
from .base import create_backend as create_backend
from .base import map_template_error as map_template_error
from .base import output_format as output_format

__all__ = ["FORMATS", "Backend", "OutputFormat", "RenderJob", "RenderOptions", "create_backend",
           "map_template_error", "output_format"]
