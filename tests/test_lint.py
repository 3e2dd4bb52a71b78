"""`sipdocs forms check`: every seeded defect is found, the bundled packs are clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipdocs.lint import check_packs


def test_bundled_packs_are_clean(run_cli):
    assert check_packs() == []
    code, out, _ = run_cli("forms", "check")
    assert code == 0 and out.strip() == "ok"


def _docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


DOCX_DEFECTS = {
    "{{ nickname }}": ("lint.undefined", "nickname"),
    "{{ child.nickname }}": ("lint.undefined", "child.nickname"),
    "{% for i in interventions %}{{ i.cost }}{% endfor %}": ("lint.undefined", "interventions[].cost"),
    "{{ t.plan.no_such_text }}": ("lint.undefined", "t.plan.no_such_text"),
    "{{ doc.title or “x” }}": ("lint.smart_quotes", "typographic"),
    "Hej {{ child.name ": ("lint.split_tag", "unbalanced"),
    "{%p if child %}{%p endif %}": ("lint.two_paragraph_tags", "two"),
}


@pytest.mark.parametrize("text, expected", list(DOCX_DEFECTS.items()), ids=[c for c, _ in DOCX_DEFECTS.values()])
def test_each_seeded_word_defect_is_found(tmp_path, text, expected):
    pack = tmp_path / "badpack"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.toml").write_text('id = "badpack"\nname = "B"\nversion = "1.0"\nextends = "national"\n',
                                    encoding="utf-8")
    _docx(pack / "templates" / "plan.docx", ["{{ doc.title }}", text])
    problems = [p for p in check_packs([str(pack)]) if p.template.endswith("plan.docx")]
    code, detail = expected
    assert any(p.code == code and detail in p.detail for p in problems), problems


def test_syntax_error_and_html_defects(tmp_path, run_cli):
    pack = tmp_path / "badpack"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.toml").write_text('id = "badpack"\nname = "B"\nversion = "1.0"\nextends = "national"\n',
                                    encoding="utf-8")
    _docx(pack / "templates" / "closure.docx", ["{% if %}broken{% endif %}"])
    (pack / "templates" / "plan.html").write_text(
        '{% extends "_base.html" %}{% block body %}{{ meeting.room }}'
        "{% for a in attendees %}{{ a.shoe_size }}{% endfor %}{% endblock %}", encoding="utf-8")
    problems = check_packs([str(pack)])
    found = {(p.code, p.template.rsplit("/", 1)[-1], p.detail.split()[0]) for p in problems}
    assert ("lint.syntax", "closure.docx", "line") in found
    assert ("lint.undefined", "plan.html", "meeting.room") in found
    assert ("lint.undefined", "plan.html", "attendees[].shoe_size") in found
    # both languages are checked
    assert {p.lang for p in problems if p.code == "lint.undefined"} == {"sv", "en"}
    code, out, _ = run_cli("forms", "check", str(pack))
    assert code == 1 and "meeting.room" in out
