"""Reading a filled-in consent PDF back into a consent input.

The consent PDF carries real form fields (see the national consent template):

* ``purpose.<code>`` – a check box per purpose (checked = the purpose is consented to);
* ``party.<n>`` – a check box per named party, its accessible name (``/TU``) being the
  organisation;
* ``person.<n>.name`` / ``person.<n>.date`` – the name in block letters and the date
  written by each person consenting.

The form holds only the answers, never a hidden copy of the case: the rest of the
consent (child, information covered, validity …) comes from the original input when it
is given (``base``). Without it, the result is validated as it is and the issues say
exactly what is missing.

**Packets.** In a packet (:func:`sipdocs.pdfpost.merge_pdfs`) each document's fields sit
under a parent field named after its place in the packet, ``doc2.purpose.establish_sip``,
so two consents never share a field. :func:`read_consents` reads every consent in a file;
:func:`read_consent` reads one, and asks which (``document``) when a packet holds several.

**Encrypted files** are opened with their password (``password``); without one the error is
``pdf.password_missing``, with a wrong one ``pdf.password_wrong``. The password is never part
of a message.
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .errors import InputError, Issue, PostprocessError
from .messages import make_issue
from .validation import ValidationResult, validate

_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m %Y", "%y-%m-%d")


@dataclass(frozen=True)
class ConsentReadResult:
    """The consent read from a form: ``data`` (a consent input) and its validation.

    ``document`` is the consent's place in a packet (1 = the packet's first document), or
    ``None`` for a file that is one consent.
    """

    data: dict[str, Any]
    validation: ValidationResult
    document: int | None = None

    @property
    def ok(self) -> bool:
        return self.validation.ok

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.validation.issues


_FORM_FIELD = re.compile(r"(?:doc(\d+)\.)?((?:purpose|party|person)\..+)")


def _reader(pdf: bytes, password: str | None) -> Any:
    """A pypdf reader, decrypted when the file is encrypted (see the module docstring)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted and not reader.decrypt(password or ""):
            if password:
                raise InputError.from_code("pdf.password_wrong")
            raise InputError.from_code("pdf.password_missing#read")
    except (PyPdfError, ValueError, KeyError) as exc:
        raise InputError.from_code("consent_form.unreadable") from exc
    return reader


def form_fields(pdf: bytes, password: str | None = None) -> dict[str, dict[str, Any]]:
    """Fully qualified name → {"value", "label"} of every form field (pypdf)."""
    reader = _reader(pdf, password)
    try:
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError) as exc:
        raise InputError.from_code("consent_form.unreadable") from exc
    out = {}
    for name, field in fields.items():
        value = field.get("/V")
        out[name] = {"value": None if value is None else str(value), "label": str(field.get("/TU") or "")}
    return out


def consent_forms(fields: Mapping[str, dict[str, Any]]) -> dict[int | None, dict[str, dict[str, Any]]]:
    """The consent fields of a file, per document: ``{None: fields}`` for one consent, or
    ``{2: fields, 4: fields}`` for the consents in a packet (names without the ``docN.`` part)."""
    forms: dict[int | None, dict[str, dict[str, Any]]] = {}
    for name, field in fields.items():
        match = _FORM_FIELD.fullmatch(name)
        if match:
            document = int(match.group(1)) if match.group(1) else None
            forms.setdefault(document, {})[match.group(2)] = field
    return dict(sorted(forms.items(), key=lambda item: item[0] or 0))


def _checked(field: Mapping[str, Any] | None) -> bool:
    """A check box is checked in any state but Off (forms from earlier sipdocs versions say ``/on``)."""
    return field is not None and field["value"] not in (None, "", "/Off", "Off")


def _parse_date(text: str) -> str | None:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _read_bytes(source: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        with open(source, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError.from_code("input.not_found#pdf", file=os.fspath(source)) from exc


def _forms_of(source: bytes | str | os.PathLike[str], password: str | None) -> dict[int | None, dict[str, Any]]:
    forms = consent_forms(form_fields(_read_bytes(source), password))
    if not forms:
        raise InputError.from_code("consent_form.no_fields")
    return forms


def read_consents(source: bytes | str | os.PathLike[str], bases: Sequence[Mapping[str, Any] | None] | None = None,
                  pack: str | None = None, *, password: str | None = None) -> list[ConsentReadResult]:
    """Read every consent form in a file: one for a consent, each consent's in a packet.

    :param bases: the consent inputs the forms were made from, one per consent in the
        file's order (or none).
    :raises InputError: not a sipdocs consent form (``consent_form.no_fields``), a count of
        ``bases`` that is not the count of consents (``consent_form.input_count``), or an
        encrypted file without its password (``pdf.password_missing``, ``pdf.password_wrong``).
    """
    forms = _forms_of(source, password)
    bases = list(bases or [])
    if bases and len(bases) != len(forms):
        raise InputError.from_code("consent_form.input_count", forms=len(forms), inputs=len(bases))
    return [_apply(fields, bases[i] if bases else None, pack, document)
            for i, (document, fields) in enumerate(forms.items())]


def read_consent(source: bytes | str | os.PathLike[str], base: Mapping[str, Any] | None = None,
                 pack: str | None = None, *, password: str | None = None,
                 document: int | None = None) -> ConsentReadResult:
    """Read a filled consent form.

    :param source: the PDF (bytes or path).
    :param base: the consent input the form was made from; the form's answers are
        applied to it (purposes, parties kept, names and dates of those consenting).
    :param password: the password of an encrypted PDF.
    :param document: in a packet, the place of the consent to read (1 = the first document);
        needed when the packet holds more than one consent.
    :returns: the consent input and its validation (every missing or wrong field is an issue).
    :raises InputError: the file is not a PDF form made by sipdocs (``consent_form.no_fields``),
        holds several consents and no ``document`` was chosen (``consent_form.several_forms``),
        has no consent at ``document`` (``consent_form.no_such_document``), or is encrypted and
        ``password`` is missing or wrong (``pdf.password_missing``, ``pdf.password_wrong``).
    """
    forms = _forms_of(source, password)
    if document is None:
        if len(forms) > 1:
            places = ", ".join(str(d) for d in forms)
            raise InputError.from_code("consent_form.several_forms", count=len(forms), places=places)
        document = next(iter(forms))
    elif document not in forms:
        raise InputError.from_code("consent_form.no_such_document", document=document)
    return _apply(forms[document], base, pack, document)


def _apply(fields: Mapping[str, dict[str, Any]], base: Mapping[str, Any] | None, pack: str | None,
           document: int | None) -> ConsentReadResult:
    """The answers of one consent form applied to ``base`` (see :func:`read_consent`)."""
    data: dict[str, Any] = copy.deepcopy(dict(base)) if base else {"kind": "consent"}
    data["kind"] = "consent"
    extra: list[Issue] = []

    purposes = [name.split(".", 1)[1] for name, f in fields.items()
                if name.startswith("purpose.") and _checked(f)]
    data["purposes"] = purposes

    party_fields = sorted(((int(name.split(".")[1]), f) for name, f in fields.items()
                           if re.fullmatch(r"party\.\d+", name)), key=lambda x: x[0])
    base_parties = list(data.get("parties") or [])
    parties = []
    for index, field in party_fields:
        if not _checked(field):
            continue
        if index < len(base_parties):
            parties.append(base_parties[index])
        elif field["label"]:
            parties.append({"organisation": field["label"]})
    data["parties"] = parties

    persons = list(data.get("consenting_persons") or [])
    indices = sorted({int(m.group(1)) for name in fields if (m := re.fullmatch(r"person\.(\d+)\.(name|date)", name))})
    for index in indices:
        while len(persons) <= index:
            persons.append({})
        person = dict(persons[index])
        typed_name = (fields.get(f"person.{index}.name") or {}).get("value") or ""
        typed_date = (fields.get(f"person.{index}.date") or {}).get("value") or ""
        if typed_name.strip():
            person["name"] = typed_name.strip()
        if typed_date.strip():
            iso = _parse_date(typed_date)
            if iso:
                person["date"] = iso
                person.setdefault("form", "written")
            else:
                extra.append(make_issue("consent_form.bad_date", f"/consenting_persons/{index}/date", "error"))
        persons[index] = person
    data["consenting_persons"] = [p for p in persons if p]

    result = validate(data, pack)
    if extra:
        issues = tuple(sorted((*result.issues, *extra), key=lambda i: (i.pointer, i.code)))
        result = ValidationResult(result.kind, result.pack, issues, result.data, result.derived)
    return ConsentReadResult(data=data, validation=result, document=document)


def fill_consent_form(pdf: bytes, values: Mapping[str, str | bool], *, flatten: bool = False) -> bytes:
    """Fill the consent form's fields (tests, demos): text values, ``True``/``False`` for boxes.

    A box is set to the state its own appearances name for "checked" (``/On`` in sipdocs
    forms). With ``flatten`` the filled-in appearances become page content and the fields go.
    """
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        on_states = _on_states(writer)
        mapped = {k: (on_states.get(k, "/On") if v is True else "/Off" if v is False else v)
                  for k, v in values.items()}
        for page in writer.pages:
            if "/Annots" in page:
                writer.update_page_form_field_values(page, mapped, auto_regenerate=False, flatten=flatten)
        if flatten:
            writer.remove_annotations(subtypes="/Widget")
            writer.root_object.pop("/AcroForm", None)
        out = io.BytesIO()
        writer.write(out)
    except PyPdfError as exc:
        raise PostprocessError.from_code("consent_form.fill_failed") from exc
    return out.getvalue()


def _on_states(writer: Any) -> dict[str, str]:
    """Fully qualified name → the "checked" appearance state of every check box."""
    out = {}
    for page in writer.pages:
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            states = widget.get("/AP", {}).get("/N", {})
            if widget.get("/FT") == "/Btn" and hasattr(states, "keys"):
                on = [str(state) for state in states.keys() if state != "/Off"]
                if on:
                    out[_qualified_name(widget)] = on[0]
    return out


def _qualified_name(field: Any) -> str:
    parts = []
    while field is not None:
        if "/T" in field:
            parts.append(str(field["/T"]))
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))
