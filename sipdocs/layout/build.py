"""Templates built from a pack's layouts: Word and HTML from one description.

Built when a renderer first needs them and kept for the life of the process, keyed by the
layout files' contents — so the compiled Word engine and the PDF renderer still prepare once
per process, and an edited layout is built again. Nothing built is written to the pack:
``sipdocs forms build`` writes the templates out for a county that wants to start a design of
its own from them in Word.

:func:`template_for` is what a backend asks for: the pack's own template file for a kind, else
the one built from its layout. (It lives here, not on :class:`~sipdocs.packs.Pack`: checking a
layout builds a context, so the layouts sit above the packs and the context builder.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._version import version
from .html import BASE_HTML, BASE_NAME, body_template
from .load import Layout, load_layout

# The template types a layout is built into (and a pack may ship as its own files); each output
# format reads one of them (``template`` in :data:`sipdocs.backends.base.FORMATS`).
TEMPLATE_TYPES = ("docx", "html")

_HTML: dict[str, str] = {}
_DOCX: dict[str, bytes] = {}


@dataclass(frozen=True)
class Built:
    """A template for one kind and format: its name, its content and a key for caches."""

    name: str
    content: bytes | str
    key: str

    @property
    def data(self) -> bytes:
        """The content as bytes (a Word template is a package; an HTML one is encoded as UTF-8)."""
        return self.content if isinstance(self.content, bytes) else self.content.encode("utf-8")

    @property
    def text(self) -> str:
        """The content as text (an HTML template; a Word package is refused)."""
        if isinstance(self.content, bytes):
            raise TypeError(f"{self.name} is a binary template")
        return self.content


def layout_key(layout: Layout) -> str:
    """A digest of everything a built template depends on (the layout files, sipdocs' version)."""
    digest = hashlib.sha256(version().encode())
    for path in layout.files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _origin(layout: Layout) -> str:
    return " + ".join(f"{p.parent.parent.name}/layouts/{p.name}" for p in layout.files)


def html_template(pack: Any, kind: str) -> Built:
    layout = load_layout(pack, kind)
    key = layout_key(layout)
    if key not in _HTML:
        _HTML[key] = body_template(layout.sections, _origin(layout))
    return Built(f"{kind}.html", _HTML[key], key)


def base_template() -> Built:
    return Built(BASE_NAME, BASE_HTML, "base")


def docx_template(pack: Any, kind: str) -> Built:
    layout = load_layout(pack, kind)
    key = layout_key(layout)
    if key not in _DOCX:
        from .word import build_docx  # start-up: python-docx (~35 ms) loads only when a Word template is built

        _DOCX[key] = build_docx(layout.sections)
    return Built(f"{kind}.docx", _DOCX[key], key)


def template_for(pack: Any, kind: str, fmt: str) -> Built:
    """The template for ``kind`` in ``fmt`` (``"docx"`` or ``"html"``): the pack's own file, else
    the one built from its layout."""
    own = pack.own_template(kind, fmt)
    if own is not None:
        st = own.stat()
        content = own.read_bytes() if fmt == "docx" else own.read_text(encoding="utf-8")
        # named by its path inside the pack, so an error points the county to the file
        name = next((own.relative_to(root).as_posix() for root in pack.chain
                     if own.is_relative_to(root)), own.name)
        return Built(name, content, f"{own}:{st.st_mtime_ns}:{st.st_size}")
    return docx_template(pack, kind) if fmt == "docx" else html_template(pack, kind)


def write_templates(pack: Any, folder: Path, kinds: tuple[str, ...]) -> list[Path]:
    """Every built template of ``pack`` written to ``folder`` (``sipdocs forms build``)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        for built in (docx_template(pack, kind), html_template(pack, kind)):
            path = folder / built.name
            data = built.content if isinstance(built.content, bytes) else built.content.encode("utf-8")
            path.write_bytes(data)
            written.append(path)
    base = folder / BASE_NAME
    base.write_text(BASE_HTML, encoding="utf-8")
    written.append(base)
    return written
