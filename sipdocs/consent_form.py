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
"""

from __future__ import annotations

import copy
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from .errors import InputError, Issue, PostprocessError
from .messages import make_issue
from .validation import ValidationResult, validate

_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m %Y", "%y-%m-%d")


@dataclass(frozen=True)
class ConsentReadResult:
    """The consent read from a form: ``data`` (a consent input) and its validation."""

    data: dict[str, Any]
    validation: ValidationResult

    @property
    def ok(self) -> bool:
        return self.validation.ok

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.validation.issues


def form_fields(pdf: bytes) -> dict[str, dict[str, Any]]:
    """Name → {"value", "label"} of every form field (pypdf)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError) as exc:
        raise InputError("The file is not a readable PDF form",
                         message_sv="Filen är inte ett läsbart PDF-formulär",
                         code="consent_form.unreadable") from exc
    out = {}
    for name, field in fields.items():
        value = field.get("/V")
        out[name] = {"value": None if value is None else str(value), "label": str(field.get("/TU") or "")}
    return out


def _checked(field: Mapping[str, Any] | None) -> bool:
    return bool(field) and field["value"] not in (None, "", "/Off", "Off")


def _parse_date(text: str) -> str | None:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def read_consent(source: bytes | str | os.PathLike[str], base: Mapping[str, Any] | None = None,
                 pack: str | None = None) -> ConsentReadResult:
    """Read a filled consent form.

    :param source: the PDF (bytes or path).
    :param base: the consent input the form was made from; the form's answers are
        applied to it (purposes, parties kept, names and dates of those consenting).
    :returns: the consent input and its validation (every missing or wrong field is an issue).
    :raises InputError: the file is not a PDF form made by sipdocs.
    """
    if isinstance(source, bytes):
        pdf = source
    else:
        try:
            with open(source, "rb") as fh:
                pdf = fh.read()
        except OSError as exc:
            raise InputError(f"Cannot read {os.fspath(source)}", message_sv=f"Kan inte läsa {os.fspath(source)}",
                             code="input.not_found") from exc
    fields = form_fields(pdf)
    if not any(re.match(r"(purpose|party|person)\.", name) for name in fields):
        raise InputError("The PDF has no sipdocs consent form fields",
                         message_sv="PDF-filen saknar sipdocs samtyckesfält", code="consent_form.no_fields")
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
                person.setdefault("form", "signed")
            else:
                extra.append(make_issue("consent_form.bad_date", f"/consenting_persons/{index}/date", "error"))
        persons[index] = person
    data["consenting_persons"] = [p for p in persons if p]

    result = validate(data, pack)
    if extra:
        issues = tuple(sorted((*result.issues, *extra), key=lambda i: (i.pointer, i.code)))
        result = ValidationResult(result.kind, result.pack, issues, result.data, result.derived)
    return ConsentReadResult(data=data, validation=result)


def fill_consent_form(pdf: bytes, values: Mapping[str, str | bool]) -> bytes:
    """Fill the consent form's fields (tests, demos): text values, ``True``/``False`` for boxes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        mapped = {k: ("/on" if v is True else "/Off" if v is False else v) for k, v in values.items()}
        for page in writer.pages:
            writer.update_page_form_field_values(page, mapped, auto_regenerate=False)
        out = io.BytesIO()
        writer.write(out)
    except PyPdfError as exc:
        raise PostprocessError("Could not fill the form", message_sv="Kunde inte fylla i formuläret",
                               code="consent_form.fill_failed") from exc
    return out.getvalue()

