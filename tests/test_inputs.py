"""Inputs as people and programs give them (issue 15, points 1–3).

* every public entry point takes str (text or path), bytes, paths, file objects and mappings,
  and no probe value from an input ever reaches an exception, a log record, a warning or a repr;
* Python values (date, datetime, time, tuples) are accepted; other types get a clear code;
* choices take the code, the Swedish or the English label everywhere; unknown fields get a
  "did you mean"; the consent form codes are one set, the old ones still accepted.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import logging
import pickle
import traceback
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import sipdocs
from sipdocs.errors import SipdocsError

from .conftest import SAMPLES, load_sample

PROBE_NAME = "Probella Läckström"
PROBE_PHONE = "070-987 65 43"
PROBES = (PROBE_NAME, "Läckström", PROBE_PHONE, "0709876543")


def _probed(kind: str = "invitation") -> dict[str, Any]:
    data = load_sample(kind)
    data["child"]["name"] = PROBE_NAME
    if data.get("guardians"):
        data["guardians"][0]["phone"] = PROBE_PHONE
    return data


def _invalid(kind: str = "invitation") -> dict[str, Any]:
    """Probed and invalid in several ways: a wrong check digit, an unknown field, a bad type."""
    data = _probed(kind)
    data["child"]["personal_number"] = "20170101-2394"
    data["child"]["adress"] = PROBE_NAME
    data["document_date"] = PROBE_NAME
    return data


def _forms(data: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The same input in every form a caller may pass."""
    text = json.dumps(data, ensure_ascii=False)
    json_path = tmp_path / "input.json"
    json_path.write_text(text, encoding="utf-8")
    yaml_path = tmp_path / "input.yaml"
    yaml_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return {
        "dict": data,
        "json str": text,
        "indented json str": json.dumps(data, ensure_ascii=False, indent=2),
        "yaml str": yaml.safe_dump(data, allow_unicode=True),
        "bytes": text.encode("utf-8"),
        "bytearray": bytearray(text.encode("utf-8")),
        "path": json_path,
        "str path": str(json_path),
        "yaml path": yaml_path,
        "binary file": io.BytesIO(text.encode("utf-8")),
        "text file": io.StringIO(text),
    }


def _broken(data: dict[str, Any]) -> dict[str, Any]:
    """Unreadable inputs that hold the probe: they must fail without echoing it."""
    text = json.dumps(data, ensure_ascii=False)
    return {
        "json cut short": text[:-3],
        "one-line json without braces": text[1:-1],
        "one-line yaml": f"child: {{name: {PROBE_NAME}}}, kind: plan",
        "yaml with a tab error": f"kind: plan\nchild:\n\tname: {PROBE_NAME}\n",
        "bytes not utf-8": b"\xff\xfe" + text.encode("utf-8"),
        "bytes cut short": text.encode("utf-8")[:-3],
        "a json list": json.dumps([data], ensure_ascii=False),
        "json string": json.dumps(PROBE_NAME),
        "text file cut short": io.StringIO(text[:-3]),
    }


def _exception_text(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    if isinstance(exc, SipdocsError):
        parts += [exc.message, exc.message_sv, json.dumps(exc.to_dict("sv"), ensure_ascii=False),
                  json.dumps(exc.to_dict("en"), ensure_ascii=False), repr(exc.details)]
        parts.append(repr(pickle.loads(pickle.dumps(exc)).__dict__))
    seen = exc.__cause__ or exc.__context__
    while seen is not None:  # a chained parser error may hold the document
        parts.append(repr(seen) + repr(getattr(seen, "__dict__", "")) + repr(getattr(seen, "args", "")))
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def _result_text(result: Any) -> str:
    parts = [repr(result)]
    for issue in getattr(result, "issues", ()) or getattr(result, "warnings", ()):
        parts += [str(issue), repr(issue), issue.message_sv, issue.message_en,
                  json.dumps(issue.to_dict(), ensure_ascii=False)]
    return "\n".join(parts)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage() + repr(record.args) + repr(record.exc_info))


def _run(call: Callable[[], Any]) -> tuple[str, BaseException | None]:
    """Call, and return everything it said (result or exception, log records, warnings)."""
    handler = _Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    error: BaseException | None = None
    text = ""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                text = _result_text(call())
            except (SipdocsError, TypeError, ValueError) as exc:
                error = exc
                text = _exception_text(exc)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    text += "\n".join(handler.records) + "\n".join(str(w.message) for w in caught)
    return text, error


def _assert_clean(text: str, label: str) -> None:
    leaked = [p for p in PROBES if p in text]
    assert not leaked, f"{label}: {leaked} in\n{text[:2000]}"


ENTRY_POINTS: dict[str, Callable[[Any], Any]] = {
    "validate": lambda src: sipdocs.validate(src),
    "render": lambda src: sipdocs.render(src, ("docx",)),
    "render_packet": lambda src: sipdocs.render_packet([src]),
    "build_context": lambda src: sipdocs.build_context(src),
}


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_every_input_form_is_read_and_nothing_leaks(entry, tmp_path, capsys):
    call = ENTRY_POINTS[entry]
    (tmp_path / "valid").mkdir()
    (tmp_path / "invalid").mkdir()
    valid = _forms(_probed(), tmp_path / "valid")
    invalid = _forms(_invalid(), tmp_path / "invalid")
    for name, source in valid.items():
        text, error = _run(lambda source=source: call(source))
        assert error is None, (entry, name, text[:500])
        if entry != "build_context":  # the context is the data itself, for templates
            _assert_clean(text, f"{entry} valid {name}")
    for name, source in invalid.items():
        text, error = _run(lambda source=source: call(source))
        if entry == "validate":
            assert error is None and "id.personnummer_invalid" in text, (name, text[:500])
        else:
            assert isinstance(error, sipdocs.InvalidInputError), (entry, name, error)
            codes = {i.code for i in error.issues}
            assert {"id.personnummer_invalid", "schema.additional_property", "schema.format"} <= codes
        _assert_clean(text, f"{entry} invalid {name}")
    for name, source in _broken(_probed()).items():
        text, error = _run(lambda source=source: call(source))
        if entry == "validate" and name in ("a json list", "json string"):
            assert error is not None or "input.not_an_object" in text
        else:
            assert isinstance(error, sipdocs.InputError), (entry, name, error)
        _assert_clean(text, f"{entry} broken {name}")
    out, err = capsys.readouterr()
    _assert_clean(out + err, f"{entry} stdout/stderr")


def test_bulk_and_read_consent_leak_nothing(tmp_path, capsys):
    from .sheetdata import HEADERS, invitation_rows, write_csv

    rows = invitation_rows(3, {1: "pnr", 2: "form"})
    rows[0][HEADERS.index("Barnets namn")] = PROBE_NAME
    rows[1][HEADERS.index("Barnets namn")] = PROBE_NAME
    rows[1][HEADERS.index("Vårdnadshavare 1 – Telefon")] = PROBE_PHONE
    sheet = write_csv(tmp_path / "k.csv", rows)
    for source in (sheet, str(sheet)):
        def run(source=source):
            outcomes = sipdocs.bulk(source, "invitation", outdir=tmp_path / "o", jobs=1, force=True)
            return [repr(o) + _result_text(o) for o in outcomes]

        text, error = _run(run)
        assert error is None, text[:500]
        _assert_clean(text, "bulk outcomes")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + PROBE_NAME.encode())
    text, error = _run(lambda: sipdocs.bulk(broken, "invitation", outdir=tmp_path / "o2"))
    assert isinstance(error, sipdocs.SheetError)
    _assert_clean(text, "bulk broken sheet")

    pdf = sipdocs.render(SAMPLES / "consent.json", ("pdf",))["pdf"]
    (tmp_path / "c.pdf").write_bytes(pdf)
    base = load_sample("consent")
    base["child"]["name"] = PROBE_NAME
    bad = copy.deepcopy(base)
    bad["child"]["personal_number"] = "20170101-2394"
    for source in (pdf, tmp_path / "c.pdf", str(tmp_path / "c.pdf")):
        for b in (base, bad):
            text, error = _run(lambda source=source, b=b: sipdocs.read_consent(source, base=b).validation)
            assert error is None, text[:500]
            _assert_clean(text, "read_consent")
    for source in (PROBE_NAME.encode(), tmp_path / "nope.pdf"):
        text, error = _run(lambda source=source: sipdocs.read_consent(source, base=base))
        assert isinstance(error, sipdocs.InputError)
        _assert_clean(text, "read_consent broken")
    out, err = capsys.readouterr()
    _assert_clean(out + err, "stdout/stderr")


def test_a_str_is_text_or_a_file_name_by_a_stated_rule(tmp_path):
    from sipdocs.inputs import is_text

    assert is_text('{"kind": "plan"}') and is_text('  \n{"kind": "plan"}') and is_text("kind: plan\nlang: sv\n")
    assert is_text("---\nkind: plan") and is_text("[1]")
    assert not is_text("samples/plan.json") and not is_text(r"C:\fall\plan.yaml")
    # a one-line str that is not text is a file name; the error names it only if it looks like one
    with pytest.raises(sipdocs.InputError) as exc:
        sipdocs.validate(str(tmp_path / "saknas.json"))
    assert exc.value.code == "input.not_found" and "saknas.json" in str(exc.value)
    assert str(tmp_path) not in str(exc.value)  # the base name only, never the folders
    with pytest.raises(sipdocs.InputError) as exc:
        sipdocs.validate('"kind": "plan"')
    assert exc.value.code == "input.not_found" and "sipdocs.loads" in str(exc.value)
    assert sipdocs.loads("kind: plan") == {"kind": "plan"}  # loads() always reads text
    assert sipdocs.loads(b'{"kind": "plan"}') == {"kind": "plan"}
    with pytest.raises(TypeError):
        sipdocs.validate(12345)  # type: ignore[arg-type]


def test_parser_errors_are_not_chained_unless_debug():
    text = json.dumps(_probed())[:-2]
    with pytest.raises(sipdocs.InputError) as exc:
        sipdocs.validate(text)
    assert exc.value.__cause__ is None and exc.value.__context__ is None
    assert exc.value.details["line"] == 1 and PROBE_NAME not in repr(exc.value.details)
    with pytest.raises(sipdocs.InputError) as exc:
        sipdocs.validate(text, debug=True)
    assert isinstance(exc.value.__cause__, json.JSONDecodeError)


# --- point 2: Python values -------------------------------------------------------------------------

def test_python_dates_times_and_tuples_are_accepted():
    data = load_sample("invitation")
    reference = sipdocs.validate(copy.deepcopy(data))
    data["document_date"] = datetime.date.fromisoformat(data["document_date"])
    data["meeting"]["date"] = datetime.datetime.fromisoformat(data["meeting"]["date"] + "T09:30:00")
    data["meeting"]["start_time"] = datetime.time(13, 0, 59)
    data["meeting"]["end_time"] = datetime.datetime(2026, 5, 12, 15, 0)
    data["invitees"] = tuple(data["invitees"])
    result = sipdocs.validate(data)
    assert result.ok, [str(i) for i in result.issues]
    assert result.data == reference.data
    assert result.data["meeting"]["start_time"] == "13:00" and result.data["meeting"]["date"] == "2026-05-12"
    # what validate hands out can be handed back
    again = dict(result.data)
    again["document_date"] = result.derived["confirm_by"]
    assert sipdocs.validate(again).ok


def test_other_python_values_get_a_clear_code_without_the_value():
    data = load_sample("followup")
    data["followup_number"] = Decimal("2")
    data["child"]["name"] = PROBE_NAME.encode()
    data["purpose"] = {PROBE_NAME}
    data["guardians"][0][7] = "x"
    result = sipdocs.validate(data)
    found = {(i.code, i.pointer) for i in result.issues}
    assert ("input.unsupported_value", "/followup_number") in found
    assert ("input.unsupported_value", "/child/name") in found
    assert ("input.unsupported_value", "/purpose") in found
    assert ("input.key_not_text", "/guardians/0") in found
    # one message per field: no schema.required / schema.type beside them
    assert not [c for c, p in found if p in ("/followup_number", "/child/name", "/purpose") and
                not c.startswith("input.")]
    issue = next(i for i in result.issues if i.pointer == "/followup_number")
    assert "Decimal" in issue.message_en and "Decimal" in issue.message_sv
    _assert_clean(_result_text(result), "unsupported values")


# --- point 3: one vocabulary ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "yaml", "dict"])
def test_codes_swedish_and_english_labels_are_one_vocabulary(fmt):
    data = load_sample("invitation")
    reference = sipdocs.validate(copy.deepcopy(data)).data
    catalogue = sipdocs.load_pack("national").catalogue
    swedish, english = catalogue("sv")["enum"], catalogue("en")["enum"]
    assert data["guardians"][0]["relation"] == "vardnadshavare"
    data["guardians"][0]["relation"] = "vårdnadshavare"                                 # Swedish label, lower case
    data["meeting"]["form"] = swedish["meeting_form"][data["meeting"]["form"]]           # Swedish label
    data["invitees"][0]["actor_kind"] = data["invitees"][0]["actor_kind"].lower()        # code, other case
    data["invitees"][1]["actor_kind"] = english["actor_kind"][data["invitees"][1]["actor_kind"]].upper()
    data["child_participation"]["mode"] = english["participation"][data["child_participation"]["mode"]]
    source: Any = {"json": json.dumps(data, ensure_ascii=False), "dict": data,
                   "yaml": yaml.safe_dump(data, allow_unicode=True)}[fmt]
    result = sipdocs.validate(source)
    assert result.ok, [str(i) for i in result.issues]
    assert result.data == reference
    data["child_participation"]["mode"] = "hela mötet"  # a part of exactly one label
    assert sipdocs.validate(data).data["child_participation"]["mode"] == "whole"


def test_unknown_choice_lists_labels_and_codes():
    data = load_sample("invitation")
    data["meeting"]["form"] = "brevduva"
    issue = next(i for i in sipdocs.validate(data).issues if i.code == "schema.enum")
    assert "”Fysiskt möte” (in_person)" in issue.message_sv
    assert "(in_person)" in issue.message_en and "brevduva" not in issue.message_sv + issue.message_en


def test_unknown_property_gets_did_you_mean_in_both_languages():
    data = load_sample("invitation")
    data["child"]["adress"] = "Testgatan 1"
    data["child"]["personnummer"] = data["child"].pop("personal_number")
    data["colour"] = "blue"
    issues = {i.pointer: i for i in sipdocs.validate(data).issues if i.code == "schema.additional_property"}
    assert issues["/child/adress"].message_sv == "Okänt fält: /child/adress (menade du ”address”?)."
    assert issues["/child/adress"].message_en == "Unknown field: /child/adress (did you mean 'address'?)."
    assert "”personal_number”" in issues["/child/personnummer"].message_sv  # the Swedish title names it
    assert issues["/colour"].message_en.endswith("(check the spelling).")


def test_consent_form_codes_are_one_set_and_old_codes_still_work():
    data = load_sample("consent")
    assert {p["form"] for p in data["consenting_persons"]} <= {"written", "oral", "other"}
    schema = json.loads((SAMPLES.parent / "schemas" / "common.schema.json").read_text(encoding="utf-8"))
    person_form = schema["$defs"]["signature"]["properties"]["form"]["enum"]
    consent = json.loads((SAMPLES.parent / "schemas" / "consent.schema.json").read_text(encoding="utf-8"))
    assert person_form == consent["properties"]["form"]["enum"] == ["written", "oral", "other"]
    old = copy.deepcopy(data)
    old["consenting_persons"][0]["form"] = "signed"
    old["consenting_persons"][1]["form"] = "oral_documented"
    new = sipdocs.validate(data)
    assert sipdocs.validate(old).data == new.data
    # the same labels whichever code was given
    ctx_old, ctx_new = sipdocs.build_context(old), sipdocs.build_context(data)
    assert [p["form_text"] for p in ctx_old["consenting_persons"]] == \
        [p["form_text"] for p in ctx_new["consenting_persons"]]
    assert ctx_new["consenting_persons"][0]["form_label"] == "Skriftligt (underskrift)"
    # R7 applies to each person's oral consent under the new code
    oral = copy.deepcopy(data)
    del oral["consenting_persons"][1]["documented_by"]
    assert ("consent.oral_not_documented", "/consenting_persons/1/documented_by") in {
        (i.code, i.pointer) for i in sipdocs.validate(oral).issues}
    # a Swedish label works at both levels
    label = copy.deepcopy(data)
    label["form"] = "Muntligt"
    label["consenting_persons"][0]["form"] = "Skriftligt"
    result = sipdocs.validate(label)
    assert result.data["form"] == "oral" and result.data["consenting_persons"][0]["form"] == "written"


# --- point 6: messages that point to the cause -------------------------------------------------------

def test_type_and_format_messages_say_how_the_field_is_written():
    data = load_sample("followup")
    data["document_date"] = "12/5/2026"
    data["followup_number"] = "andra"
    data["meeting"]["start_time"] = "kvart över ett"
    issues = {i.pointer: i for i in sipdocs.validate(data).issues}
    assert "datum skrivs ÅÅÅÅ-MM-DD" in issues["/document_date"].message_sv
    assert "dates are written YYYY-MM-DD" in issues["/document_date"].message_en
    assert "här ska stå ett heltal" in issues["/followup_number"].message_sv
    assert "a whole number" in issues["/followup_number"].message_en
    assert "klockslag skrivs TT:MM" in issues["/meeting/start_time"].message_sv
    for issue in issues.values():
        assert "integer" not in issue.message_sv and "format: date" not in issue.message_sv


def test_numbers_excel_damaged_are_named_as_such():
    data = load_sample("invitation")
    data["child"]["personal_number"] = "2,01701E+11"  # what a CSV from Excel holds
    data["guardians"][0]["personal_number"] = "501012393"  # a 10-digit number without its zero
    data["guardians"][0]["phone"] = "701234567"
    found = {(i.code, i.pointer, i.level) for i in sipdocs.validate(data).issues}
    assert ("input.excel_number", "/child/personal_number", "error") in found
    assert ("input.leading_zero_lost", "/guardians/0/personal_number", "error") in found
    assert ("input.leading_zero_lost", "/guardians/0/phone", "warning") in found
    # one message per damaged cell: no "wrong check digit" or "wrong shape" beside it
    assert not [c for c, p, _ in found if p in ("/child/personal_number", "/guardians/0/personal_number")
                and not c.startswith("input.")]
    issue = next(i for i in sipdocs.validate(data).issues if i.code == "input.excel_number")
    assert "Excel har gjort om talet" in issue.message_sv and "formatera kolumnen som text" in issue.message_sv
    assert "2,01701E+11" not in issue.message_sv
