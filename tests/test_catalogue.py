"""The program's own messages come from one catalogue (:mod:`sipdocs.catalogue`), each written
once: no inline Swedish/English pair in the code, every key used exists, and both languages
of an entry take the same parameters. (The packs' document texts are tested in
``test_catalogues.py``.)"""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

from sipdocs.catalogue import CLI, ERRORS, HINTS, ISSUES, MESSAGES, PHRASES, both, code_of, phrase, placeholders, say
from sipdocs.errors import InternalError, PostprocessError, RenderError, SheetError

from .conftest import REPO

PACKAGE = REPO / "sipdocs"
# the machinery that turns catalogue entries into errors and issues
MACHINERY = {PACKAGE / "errors.py", PACKAGE / "messages.py"}
# the web app keeps the texts of its pages in its own table (sipdocs/web/texts.py)
OWN_TABLES = (PACKAGE / "catalogue", PACKAGE / "web" / "texts.py")
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|eller|inte|finns|saknar|kan|kunde|rad|fel|läsa|skrevs)\b")
KEY_TAKING = {"from_code": 0, "phrase": 0, "say": 1, "render": 0, "both": 0}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if not any(p.is_relative_to(d) for d in OWN_TABLES))


def _calls():
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call):
                yield path, node


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def test_no_message_sv_argument_outside_the_machinery():
    found = [f"{path.relative_to(REPO)}:{call.lineno}" for path, call in _calls() if path not in MACHINERY
             and any(k.arg == "message_sv" for k in call.keywords)]
    assert found == [], "write the message in sipdocs/catalogue and raise SomeError.from_code(key, ...)"


def test_no_inline_swedish_english_pair():
    """No call gets a Swedish and an English text side by side (``t(lang, "giltig", "valid")``)."""
    found = []
    for path, call in _calls():
        texts = [_literal_text(a) for a in call.args]
        for first, second in zip(texts, texts[1:]):
            if first is None or second is None or not first.strip() or not second.strip():
                continue
            if bool(SWEDISH.search(first)) != bool(SWEDISH.search(second)):
                found.append(f"{path.relative_to(REPO)}:{call.lineno} {first[:30]!r} / {second[:30]!r}")
    assert found == [], "write the pair once in sipdocs/catalogue"


def test_no_swedish_text_passed_as_a_parameter():
    """``make_issue(..., where_sv="på bladet Listor", where_en=...)``: a phrase from the catalogue instead."""
    found = [f"{path.relative_to(REPO)}:{call.lineno} {k.arg}" for path, call in _calls() for k in call.keywords
             if path not in MACHINERY and k.arg and k.arg.endswith(("_sv", "_en")) and any(
                 isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.strip()
                 for n in ast.walk(k.value))]
    assert found == [], "pass phrase(key, ...) and write the text in sipdocs/catalogue"


def test_the_old_two_language_helper_is_gone():
    """``t(lang, sv, en)``; the web pages' ``t("key", n=3)`` looks texts up in their table."""
    assert [f"{p.relative_to(REPO)}:{c.lineno}" for p, c in _calls()
            if _name(c) in ("t", "_t") and len(c.args) >= 3] == []


def test_every_key_used_in_the_source_is_in_the_catalogue():
    used = set()
    for _path, call in _calls():
        position = KEY_TAKING.get(_name(call))
        if position is not None and len(call.args) > position:
            key = _literal_text(call.args[position])
            if isinstance(call.args[position], ast.Constant) and key and "." in key:
                used.add(key)
    assert len(used) > 80
    assert sorted(used - set(MESSAGES)) == []


def test_every_entry_is_used():
    text = "\n".join(p.read_text(encoding="utf-8") for p in _sources())
    unused = [key for key in MESSAGES if f'"{key}"' not in text and f"'{key}'" not in text
              and not key.startswith(("cli.sheet.", "kind.", "hint."))]  # keys made with an f-string
    assert unused == []


@pytest.mark.parametrize("table", [ERRORS, PHRASES, HINTS, CLI], ids=["errors", "phrases", "hints", "cli"])
def test_both_languages_are_written_with_the_same_parameters(table):
    for key, message in table.items():
        assert message.sv.strip() and message.en.strip(), key
        assert placeholders(message.sv) == placeholders(message.en), key
        assert message.sv != message.en or not SWEDISH.search(message.sv), key


def test_issue_messages_take_the_same_parameters_in_both_languages():
    """Issues may name the field by its Swedish schema title (``field``, Swedish only) and take a
    few parameters as a pair (``expected_sv``/``expected_en``)."""
    def normal(text: str) -> set[str]:
        return {re.sub(r"_(sv|en)$", "", n) for n in placeholders(text) - {"field"}}

    for code, message in ISSUES.items():
        assert message.sv.strip() and message.en.strip(), code
        assert normal(message.sv) == normal(message.en), code


def test_keys_are_codes_or_variants():
    for key in MESSAGES:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+(#[a-z_0-9]+)?", key), key
    assert not set(PHRASES) & {code_of(k) for k in ERRORS}


def test_an_error_from_the_catalogue_has_both_languages_and_pickles():
    err = SheetError.from_code("sheet.too_large#rows", details={"rows": 9}, file="a.csv", limit=5)
    assert (err.code, err.message, err.message_sv) == (
        "sheet.too_large", "a.csv has more than 5 rows", "a.csv har fler än 5 rader")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is SheetError
    assert (back.code, back.message, back.message_sv, back.details) == (err.code, err.message, err.message_sv,
                                                                        {"rows": 9})
    assert err.localized("en") == err.message and err.localized("sv") == err.message_sv


def test_phrases_are_filled_in_the_message_language():
    err = RenderError.from_code("render.unknown_format", names=phrase("word.none_neuter"), known="docx, pdf")
    assert err.message_sv == "Okänt utdataformat: (inget) (finns: docx, pdf)"
    assert err.message == "Unknown output format(s): (none) (known: docx, pdf)"
    try:
        raise KeyError("personnummer 19121212-1212")
    except KeyError as exc:
        bug = InternalError.bug_in(phrase("part.rule", rule="R5"), exc, code="internal.rule_failed", rule="R5")
    assert bug.code == "internal.rule_failed" and "regeln R5" in bug.message_sv and "the rule R5" in bug.message
    assert "19121212" not in bug.message + bug.message_sv


def test_pdfa_forbids_encryption_is_written_once():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (PACKAGE / "catalogue").rglob("*.py"))
    assert text.count("PDF/A forbids encryption") == 1 and text.count("PDF/A tillåter inte kryptering") == 1
    err = PostprocessError.from_code("pdf.encrypt_conflicts_pdfa")
    assert say("en", "pdf.encrypt_conflicts_pdfa") == err.message
    assert both("pdf.encrypt_conflicts_pdfa") == (err.message_sv, err.message)
