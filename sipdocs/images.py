"""Image value objects for template contexts (QR codes, logos).

The only non-plain objects a template ever sees. They expose the PNG bytes, an alt
text, a printed size and a ``data:`` URI (for HTML); nothing that reaches a template,
a renderer or Python internals. The Word backend swaps them for inline pictures
(:func:`map_images`).
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Image:
    """A PNG image with alt text.

    :param png: the PNG bytes.
    :param alt: alternative text (screen readers, Word's alt text, PDF/UA ``/Alt``).
    :param width_mm: printed width in millimetres (height follows the aspect ratio).
    """

    png: bytes = field(repr=False)
    alt: str
    width_mm: float

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.png).hexdigest()

    @property
    def pixel_size(self) -> tuple[int, int]:
        """(width, height) in pixels, read from the PNG header."""
        width, height = struct.unpack(">II", self.png[16:24])
        return width, height

    @property
    def height_mm(self) -> float:
        w, h = self.pixel_size
        return self.width_mm * h / w

    @property
    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI, marked safe markup (base64 needs no escaping, and the PDF
        templates' long-token breaking must leave it whole)."""
        return Markup("data:image/png;base64," + base64.b64encode(self.png).decode("ascii"))

    def __str__(self) -> str:  # never dump bytes into a document by accident
        return self.alt


def load_png(path: str, alt: str, width_mm: float) -> Image:
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{path} is not a PNG file")
    return Image(data, alt, width_mm)


def map_images(node: Any, convert: Callable[[Image], Any], *, skip: tuple[str, ...] = ("t",)) -> Any:
    """A copy of ``node`` (a template context) with every :class:`Image` replaced by ``convert(image)``.

    Top-level keys in ``skip`` are shared, not copied (the catalogue ``t`` holds no images).
    """
    if isinstance(node, dict):
        return {k: (v if k in skip else _map(v, convert)) for k, v in node.items()}
    return _map(node, convert)


def _map(node: Any, convert: Callable[[Image], Any]) -> Any:
    cls = type(node)
    if cls is dict:
        return {k: _map(v, convert) for k, v in node.items()}
    if cls is list:
        return [_map(v, convert) for v in node]
    if cls is Image:
        return convert(node)
    return node
