"""Every use sipdocs makes of pydyf's internals, each behind a version gate (see :mod:`._compat`).

pydyf's public API — ``PDF.objects``, ``catalog``, ``info``, ``add_object``, the ``Stream``,
``Dictionary``, ``Array`` and ``String`` classes and their documented attributes — is what the
PDF backend's finisher edits (:mod:`.pdf_streams` compresses the streams itself, at level 6,
through ``Stream.stream``, ``extra`` and ``compress``). What follows is not public:

=====================  ==========  ====================================================================
fast path              verified    private names and conventions it relies on
=====================  ==========  ====================================================================
``serialise_once``     0.13.x      the class of each object of the file swapped for a subclass whose
                                   ``data`` is computed once; the ``PDF``'s class swapped for one whose
                                   ``add_object(object_)`` does the same for the objects pydyf adds while
                                   writing; ``Object.free``; and that ``PDF.write`` serialises every
                                   object a second time, after writing it, for the file identifier
=====================  ==========  ====================================================================

**Why.** For PDF/A, WeasyPrint asks pydyf for a file identifier, and pydyf computes it as the
MD5 of every object's serialised data — so each object is serialised, and the object stream
compressed, a second time after it was written. The finisher runs after the last change to the
objects, so keeping each object's first serialisation gives the same bytes. Only this file's
objects change class; pydyf is not patched. With the fast path off, pydyf serialises twice.
"""

from __future__ import annotations

from typing import Any

from ._compat import FastPath, parameters, usable

DISTRIBUTION = "pydyf"
VERIFIED = ("0.13", "0.14")


def _probe_serialise_once() -> str | None:
    import pydyf

    if parameters(pydyf.PDF.add_object) != ["self", "object_"]:
        return "PDF.add_object takes other parameters"
    if not isinstance(vars(pydyf.Object).get("data"), property):
        return "Object.data is not a property"
    if any(hasattr(cls, "__slots__") for cls in (pydyf.Object, pydyf.PDF)):
        return "pydyf objects have __slots__"
    return None if "identifier" in parameters(pydyf.PDF.write) else "PDF.write takes no identifier"


SERIALISE_ONCE = FastPath(
    "pydyf.serialise_once", DISTRIBUTION, VERIFIED,
    ("Object subclasses swapped in as the class of the file's objects (data kept)",
     "PDF.add_object(object_) (class swapped)", "Object.free",
     "PDF.write serialising every object again for the identifier"),
    _probe_serialise_once)
FAST_PATHS = (SERIALISE_ONCE,)


def serialise_once(pdf: Any, fast_paths: bool = True) -> None:
    """Make each object of ``pdf`` (and each object pydyf adds while writing it) serialise once.

    Call it last in the finisher: an object changed afterwards would keep its old bytes.
    """
    if not usable(SERIALISE_ONCE, fast_paths):
        return
    for obj in pdf.objects:
        _serialised_once(obj)
    pdf.__class__ = _once_pdf(type(pdf))  # a class, not a closure on the instance: no reference cycle


_ONCE: dict[type, type] = {}


def _once_pdf(cls: type) -> type:
    """A subclass of ``pydyf.PDF`` whose ``add_object`` makes objects serialise once."""
    if getattr(cls, "_sipdocs_once", False):
        return cls
    if cls not in _ONCE:
        class OncePDF(cls):  # type: ignore[misc]
            _sipdocs_once = True

            def add_object(self, obj: Any) -> None:
                super().add_object(obj)
                _serialised_once(obj)

        OncePDF.__name__ = OncePDF.__qualname__ = f"Once{cls.__name__}"
        _ONCE[cls] = OncePDF
    return _ONCE[cls]


def _serialised_once(obj: Any) -> None:
    """Swap ``obj``'s class for the subclass whose ``data`` is computed once."""
    cls = type(obj)
    if getattr(obj, "free", "n") == "f" or getattr(cls, "_sipdocs_once", False):
        return
    if cls not in _ONCE:
        class Once(cls):  # type: ignore[misc, valid-type]
            _sipdocs_once = True

            @property
            def data(self) -> bytes:
                out = self.__dict__.get("_sipdocs_data")
                if out is None:
                    out = self.__dict__["_sipdocs_data"] = super().data
                return bytes(out)

        Once.__name__ = Once.__qualname__ = f"Once{cls.__name__}"
        _ONCE[cls] = Once
    obj.__class__ = _ONCE[cls]
