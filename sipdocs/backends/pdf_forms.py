"""Form fields of the finished PDF (the consent): what any reader and any filler can use.

Runs in the PDF backend's finisher, on WeasyPrint's pydyf objects before the file is written.
WeasyPrint 70 writes an AcroForm field for every ``<input>`` with ``appearance: auto`` and tags
each widget (a ``/Form`` structure element with an object reference); that tagging is kept. What
it leaves unfinished, and what this module does about it:

* **Check boxes** get one appearance, ``/on`` (a filled polygon), and none for the unchecked
  state, so Ghostscript warns "AcroForm field 'Btn' with no AP" and other readers draw an
  unchecked box as they please. Each box gets the states ISO 32000-1 §12.7.4.2.3 names,
  ``/On`` (a stroked tick) and ``/Off`` (nothing: the box itself is page content), with
  ``/AS`` and ``/V`` naming the state the document was rendered in. The tick is the field's
  own appearance, so it follows the field when a reader or filler toggles it — and prints.
* **Text fields** have no appearance (the file asked viewers to make them with
  ``/NeedAppearances``, which PDF/A forbids) and name the field's composite document font in
  ``/DA``. They get an empty appearance, and ``/DA`` names the form font in the AcroForm's
  ``/DR`` (see :mod:`.pdf_fonts`), in black: a default appearance that may only use what
  ``/DR`` holds (an ``/ExtGState`` from the page resources is not there for a filler).
* **Field names.** The templates name fields ``purpose.establish_sip`` or ``person.0.name``,
  and WeasyPrint writes that whole name as one field's partial name, although a period
  separates the parts of a fully qualified name and "a partial field name shall not contain a
  period" (§12.7.3.2). The fields are nested under parent fields (``purpose`` →
  ``establish_sip``), so every reader sees the same fully qualified names — and a packet can
  nest each document's fields under a parent of its own (:func:`sipdocs.pdfpost.merge_pdfs`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pydyf

from ..resources import forms_dir
from .pdf_fonts import FORM_FONT_RESOURCE, form_font
from .pdf_objects import deref

ON, OFF = "/On", "/Off"
_TEXT_SIZE = re.compile(rb"([0-9.]+)\s+Tf")
DEFAULT_TEXT_SIZE = 10


def finish_form(pdf: Any) -> None:
    """Appearances, the form font and nested names for the AcroForm WeasyPrint wrote, if any."""
    form = pdf.catalog.get("AcroForm") if hasattr(pdf.catalog, "get") else None
    if form is None:
        return
    form["NeedAppearances"] = "false"
    widgets = [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Subtype") == "/Widget"]
    off_streams: dict[tuple[float, float], Any] = {}
    texts = []
    for widget in widgets:
        if widget.get("FT") == "/Btn" and not int(widget.get("Ff", 0)) & ((1 << 15) | (1 << 16)):
            _check_box(pdf, widget, off_streams)
        elif widget.get("FT") == "/Tx":
            texts.append(widget)
    if texts:
        form["DR"] = form_font(pdf, _fallback_form_font()).reference
        form["DA"] = pydyf.String(_default_appearance(DEFAULT_TEXT_SIZE))
        for widget in texts:
            _text_field(pdf, widget)
    else:
        form.pop("DR", None)  # WeasyPrint's /DR is the page resources; a form without text needs none
    _nest_dotted_names(pdf, form)


def _box(widget: Any) -> tuple[float, float]:
    x1, y1, x2, y2 = (float(v) for v in widget["Rect"])
    return abs(x2 - x1), abs(y2 - y1)


def _check_box(pdf: Any, widget: Any, off_streams: dict[tuple[float, float], Any]) -> None:
    """``/On`` draws a tick, ``/Off`` nothing; ``/AS`` and ``/V`` name the rendered state."""
    width, height = _box(widget)
    appearances = widget.get("AP", {}).get("N")
    states = dict(appearances) if isinstance(appearances, dict) else {}
    checked = str(widget.get("AS", OFF)) != OFF
    on_ref = next((ref for state, ref in states.items() if f"/{state}" != OFF), None)
    on = deref(pdf, on_ref)
    if isinstance(on, pydyf.Stream):  # WeasyPrint's own "on" stream, redrawn as a tick
        on.stream[:] = _tick(width, height)
        on.extra.pop("Resources", None)  # the tick draws with operators only
    else:
        on = pydyf.Stream(_tick(width, height), _form_xobject(width, height))
        pdf.add_object(on)
    off = off_streams.get((width, height))
    if off is None:
        off = off_streams[(width, height)] = pydyf.Stream([], _form_xobject(width, height))
        pdf.add_object(off)
    widget["AP"] = pydyf.Dictionary({"N": pydyf.Dictionary({ON[1:]: on.reference, OFF[1:]: off.reference})})
    widget["AS"] = ON if checked else OFF
    widget["V"] = widget["AS"]


def _form_xobject(width: float, height: float) -> Any:
    return pydyf.Dictionary({"Type": "/XObject", "Subtype": "/Form",
                             "BBox": pydyf.Array((0, 0, width, height))})


def _tick(width: float, height: float) -> list[bytes]:
    """A stroked check mark in the box (round ends and joint, about an eighth of the box thick)."""
    line = max(0.6, round(min(width, height) * 0.13, 3))
    points = ((0.2, 0.52), (0.42, 0.26), (0.8, 0.8))
    path = [f"{x * width:.3f} {y * height:.3f} {op}".encode() for (x, y), op in zip(points, ("m", "l", "l"))]
    return [b"q", b"0 0 0 RG", f"{line} w".encode(), b"1 J", b"1 j", *path, b"S", b"Q"]


def _default_appearance(size: float) -> str:
    return f"/{FORM_FONT_RESOURCE} {size:g} Tf 0 g"


def _text_field(pdf: Any, widget: Any) -> None:
    """The form font in ``/DA`` (WeasyPrint's size kept) and an empty appearance."""
    da = getattr(widget.get("DA"), "string", widget.get("DA"))
    if isinstance(da, str):
        da = da.encode("latin-1", "replace")
    match = _TEXT_SIZE.search(da) if isinstance(da, bytes) else None
    size = float(match.group(1)) if match else DEFAULT_TEXT_SIZE
    widget["DA"] = pydyf.String(_default_appearance(round(size, 2)))
    if "AP" not in widget:
        width, height = _box(widget)
        appearance = pydyf.Stream([b"/Tx BMC EMC"], _form_xobject(width, height))
        pdf.add_object(appearance)
        widget["AP"] = pydyf.Dictionary({"N": appearance.reference})


def _nest_dotted_names(pdf: Any, form: Any) -> None:
    """Fields named ``a.b.c`` become ``c`` under the parent fields ``a`` → ``b`` (see above)."""
    roots: list[Any] = []
    parents: dict[tuple[str, ...], Any] = {}

    def parent(path: tuple[str, ...]) -> Any:
        if path not in parents:
            field = pydyf.Dictionary({"T": pydyf.String(path[-1]), "Kids": pydyf.Array()})
            pdf.add_object(field)
            parents[path] = field
            if len(path) == 1:
                roots.append(field)
            else:
                owner = parent(path[:-1])
                field["Parent"] = owner.reference
                owner["Kids"].append(field.reference)
        return parents[path]

    for ref in list(form.get("Fields", [])):
        field = deref(pdf, ref)
        name = _text(field.get("T")) if isinstance(field, dict) else None
        if not name or "." not in name or "Parent" in field or "Kids" in field or any(not p for p in name.split(".")):
            roots.append(field)
            continue
        *path, last = name.split(".")
        owner = parent(tuple(path))
        field["T"] = pydyf.String(last)
        field["Parent"] = owner.reference
        owner["Kids"].append(field.reference)
    form["Fields"] = pydyf.Array(field.reference for field in roots)


def _text(value: Any) -> str | None:
    value = getattr(value, "string", value)
    return value if isinstance(value, str) else None


@functools.cache
def _fallback_form_font() -> bytes:
    """The national pack's form font (used when a stylesheet gave the text fields another family)."""
    return (forms_dir() / "national" / "assets" / "fonts" / "SIPFormSans.ttf").read_bytes()
