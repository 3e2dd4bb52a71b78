"""Layouts as pack data: the README's edits work in both formats and languages, a malformed
layout is refused at load with file, pointer and message, a county's own template is
compared with its layout, and the built templates can be written out."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from sipdocs import Renderer
from sipdocs.errors import PackError
from sipdocs.layout.build import template_for
from sipdocs.layout.load import load_layout
from sipdocs.packs import load_pack

from .conftest import KINDS, REPO, load_sample
from .docs import docx_text, pdf_text, squash

RENDERER = Renderer()


def county(tmp_path: Path, layout: str = "", sv: str = "", en: str = "", name: str = "testkommun") -> Path:
    """A pack extending the national one with a layout patch for the invitation and texts."""
    folder = tmp_path / name
    (folder / "layouts").mkdir(parents=True)
    (folder / "i18n").mkdir()
    (folder / "pack.toml").write_text(textwrap.dedent(f"""\
        id = "{name}"
        name = "Testkommun"
        version = "0.1.0"
        extends = "national"
        """), encoding="utf-8")
    (folder / "layouts" / "invitation.yaml").write_text(textwrap.dedent(layout), encoding="utf-8")
    (folder / "i18n" / "sv.toml").write_text(textwrap.dedent(sv), encoding="utf-8")
    (folder / "i18n" / "en.toml").write_text(textwrap.dedent(en), encoding="utf-8")
    return folder


def texts(pack: Path, data: dict | None = None) -> dict[str, tuple[str, str]]:
    """(Word text, PDF text) of the sample invitation in both languages, whitespace squashed."""
    out = {}
    for lang in ("sv", "en"):
        result = RENDERER.render(data or load_sample("invitation"), ("docx", "pdf"), pack=str(pack), lang=lang)
        out[lang] = (squash(docx_text(result["docx"])), squash(pdf_text(result["pdf"])))
    return out


# --- the README's five edits ------------------------------------------------------------------

ADDED = {"sv": "Ring Barn- och elevhälsan om ni behöver hjälp med resan.",
         "en": "Call the pupil health service if you need help with the journey."}


def test_a_heading_is_renamed_in_the_catalogue(tmp_path):
    pack = county(tmp_path, sv='[invitation]\nprepare_heading = "Före mötet"\n',
                  en='[invitation]\nprepare_heading = "Before the meeting"\n')
    for lang, heading, old in (("sv", "Före mötet", "Inför mötet"), ("en", "Before the meeting", "Preparing")):
        for text in texts(pack)[lang]:
            assert squash(heading) in text and squash(old) not in text, lang


def test_a_paragraph_is_added_after_a_section(tmp_path):
    pack = county(tmp_path, layout="""\
        patch:
          - insert_after: prepare
            section:
              id: travel_help
              blocks:
                - text: testkommun.travel_help
        """, sv=f'[testkommun]\ntravel_help = "{ADDED["sv"]}"\n', en=f'[testkommun]\ntravel_help = "{ADDED["en"]}"\n')
    found = texts(pack)
    for lang in ("sv", "en"):
        duty = squash(load_pack("national").catalogue(lang)["common"]["duty_to_report"])
        for text in found[lang]:
            assert squash(ADDED[lang]) in text
            assert text.index(duty) < text.index(squash(ADDED[lang]))  # after "Inför mötet"'s last paragraph


def test_a_section_is_removed(tmp_path):
    pack = county(tmp_path, layout="patch:\n  - remove: enclosures\n")
    for lang, heading in (("sv", "Bilagor"), ("en", "Enclosures")):
        for text in texts(pack)[lang]:
            assert "Mötescirkeln" not in text and heading not in text
    for text in texts(REPO / "forms" / "national")["sv"]:
        assert "Mötescirkeln" in text  # the national invitation still lists them


def test_a_section_is_moved(tmp_path):
    pack = county(tmp_path, layout="patch:\n  - move: prepare\n    before: reply\n")
    national = load_pack("national")
    for lang in ("sv", "en"):
        t = national.catalogue(lang)["invitation"]
        for moved, original in zip(texts(pack)[lang], texts(REPO / "forms" / "national")[lang]):
            reply, prepare = squash(t["reply_heading"]), squash(t["prepare_heading"])
            assert moved.index(prepare) < moved.index(reply)
            assert original.index(reply) < original.index(prepare)


def test_a_paragraph_shown_only_when_a_value_is_set(tmp_path):
    pack = county(tmp_path, layout="""\
        patch:
          - append_to: meeting
            blocks:
              - text: testkommun.digital_help
                when: meeting.link
        """, sv='[testkommun]\ndigital_help = "Länken öppnas i webbläsaren; ingen app behövs."\n',
        en='[testkommun]\ndigital_help = "The link opens in a web browser; no app is needed."\n')
    with_link = texts(pack)
    data = load_sample("invitation")
    data["meeting"].pop("link")
    data["meeting"]["form"] = "in_person"
    without = texts(pack, data)
    for lang, sentence in (("sv", "ingen app behövs"), ("en", "no app is needed")):
        assert all(squash(sentence) in text for text in with_link[lang])
        assert all(squash(sentence) not in text for text in without[lang])


def test_the_scaffold_of_a_new_pack_carries_a_working_example(tmp_path, run_cli):
    code, _, _ = run_cli("forms", "new", "kommunen", "-o", str(tmp_path))
    assert code == 0
    folder = tmp_path / "kommunen"
    code, out, _ = run_cli("forms", "check", str(folder))
    assert code == 0, out
    # uncomment the example, as the README says, and the sentence is in both formats
    for path in (folder / "layouts" / "invitation.yaml", folder / "i18n" / "sv.toml", folder / "i18n" / "en.toml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        keep = [re.sub(r"^# ?", "", line) if re.match(r"^# ?(patch:|  |\[kommunen\]|travel_help)", line) else line
                for line in lines]
        path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    code, out, _ = run_cli("forms", "check", str(folder))
    assert code == 0, out
    for lang in ("sv", "en"):
        for text in texts(folder)[lang]:
            assert squash(ADDED[lang]) in text
            assert "Mötescirkeln" not in text  # the example also removes the enclosures


# --- refused at load ------------------------------------------------------------------------------

@pytest.mark.parametrize("layout, pointer, words", [
    ("patch:\n  - remove: no_such_section\n", "/patch/0/remove", ("no_such_section", "ingen sektion")),
    ("patch:\n  - move: prepare\n    before: nowhere\n", "/patch/0/before", ("nowhere", "ingen sektion")),
    ("sections:\n  - id: x\n    blocks:\n      - paragraph: invitation.intro\n", "/sections/0/blocks/0",
     ("paragraph", "blocktyp")),
    ("sections:\n  - id: x\n    blocks:\n      - value: child.nmae\n", "/sections/0", ("child.nmae", "underlaget")),
    ("sections:\n  - id: x\n    blocks:\n      - text: invitation.no_such_text\n", "/sections/0",
     ("invitation.no_such_text", "saknas")),
    ("sections:\n  - id: x\n    blocks:\n"
     "      - table: {items: invitees, as: a, columns: [{header: label.name, value: a.nmae}]}\n",
     "/sections/0", ("invitees[].nmae", "underlaget")),
    ("sections:\n  - id: x\n  - id: x\n", "/sections/1/id", ("twice", "två gånger")),
    ("sections: [\n", None, ("YAML", "YAML")),
])
def test_a_malformed_layout_is_refused_at_load(tmp_path, layout, pointer, words):
    pack = load_pack(str(county(tmp_path, layout=layout)))
    with pytest.raises(PackError) as caught:
        load_layout(pack, "invitation")
    error = caught.value
    assert error.code == "pack.layout_invalid"
    assert error.pointer == pointer
    assert "testkommun/layouts/invitation.yaml" in error.message and "invitation.yaml" in error.message_sv
    assert words[0] in error.message and words[1] in error.message_sv
    # the renderer says the same before rendering anything, and `forms check` lists it
    with pytest.raises(PackError):
        RENDERER.render(load_sample("invitation"), ("pdf",), pack=str(pack.path))


def test_forms_check_reports_a_broken_layout(tmp_path, run_cli):
    folder = county(tmp_path, layout="patch:\n  - remove: no_such_section\n")
    code, out, _ = run_cli("forms", "check", str(folder))
    assert code == 1 and "lint.layout" in out and "no_such_section" in out


# --- built templates, a county's own design ---------------------------------------------------------

def test_built_templates_are_written_out_and_render_the_same(tmp_path, run_cli):
    out = tmp_path / "built"
    code, _, _ = run_cli("forms", "build", "national", "-o", str(out))
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["_base.html", *(f"{k}.{f}" for k in KINDS for f in ("docx", "html"))])
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert "<!-- section: interventions -->" in html and "Built by sipdocs from national/layouts/plan.yaml" in html
    # the written templates, as a county's own design, render the same documents
    folder = county(tmp_path)
    shutil.copytree(out, folder / "templates")
    for kind in ("plan", "consent"):
        own = RENDERER.render(load_sample(kind), ("docx", "pdf"), pack=str(folder))
        built = RENDERER.render(load_sample(kind), ("docx", "pdf"))
        assert docx_text(own["docx"]) == docx_text(built["docx"]).replace("Nationellt (UPH/SKR) 1.0.0",
                                                                          "Testkommun 0.1.0")
        assert squash(pdf_text(own["pdf"])) == squash(pdf_text(built["pdf"])).replace(
            squash("Nationellt (UPH/SKR) 1.0.0"), squash("Testkommun 0.1.0"))


def test_forms_check_warns_when_a_counties_own_template_drifts_from_the_layout(tmp_path, run_cli):
    out = tmp_path / "built"
    run_cli("forms", "build", "national", "-o", str(out))
    folder = county(tmp_path)
    (folder / "templates").mkdir()
    html = (out / "invitation.html").read_text(encoding="utf-8")
    (folder / "templates" / "invitation.html").write_text(html, encoding="utf-8")
    code, out_text, _ = run_cli("forms", "check", str(folder))
    assert code == 0 and "sections_differ" not in out_text  # the same sections
    # the layout loses a section the county's own HTML still has: a warning, not an error
    (folder / "layouts" / "invitation.yaml").write_text("patch:\n  - remove: enclosures\n", encoding="utf-8")
    code, out_text, _ = run_cli("forms", "check", str(folder))
    assert code == 0 and "lint.sections_differ (warning)" in out_text and "enclosures" in out_text


def test_word_templates_mark_their_sections_with_bookmarks():
    from sipdocs.lint import template_sections

    pack = load_pack("national")
    for kind in KINDS:
        layout = load_layout(pack, kind)
        assert template_sections(template_for(pack, kind, "docx").content, "docx") == list(layout.section_ids)
        assert template_sections(template_for(pack, kind, "html").content, "html") == list(layout.section_ids)


def test_an_edited_layout_is_picked_up_by_a_running_renderer(tmp_path):
    folder = county(tmp_path)
    renderer = Renderer()
    first = renderer.render(load_sample("invitation"), ("docx", "pdf"), pack=str(folder))
    assert "Mötescirkeln" in docx_text(first["docx"])
    (folder / "layouts" / "invitation.yaml").write_text("patch:\n  - remove: enclosures\n", encoding="utf-8")
    second = renderer.render(load_sample("invitation"), ("docx", "pdf"), pack=str(folder))
    assert "Mötescirkeln" not in docx_text(second["docx"]) and "Mötescirkeln" not in pdf_text(second["pdf"])


def test_the_layout_schema_is_shipped_with_the_others():
    from sipdocs.schemas import load_schema

    schema = load_schema("layout")
    blocks = {next(iter(b["required"])) for b in schema["$defs"]["block"]["oneOf"]}
    assert {"title", "heading", "text", "value", "fields", "table", "list", "evaluation", "checkboxes",
            "signatures", "if", "together"} <= blocks
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for block in blocks:
        assert f"`{block}`" in readme, block  # every block type is in the README's table


def test_the_web_form_follows_the_layout_and_a_moved_section_moves_its_fields(tmp_path):
    from sipdocs.web.formgen import build_form, form_order

    def order(pack: str) -> list[str]:
        return [top.name for top in build_form("invitation", load_sample("invitation"), pack, "sv")]

    national = order("national")
    assert national.index("child") < national.index("meeting") < national.index("invitees")
    assert national.index("roles") < national.index("confirm_by")  # the reply section prints confirm_by
    # the plan's consent is printed after the child's views unless a pack embeds it on page 1
    plan = form_order("plan", "national")
    assert plan.index("child_views") < plan.index("consent") < plan.index("purpose")

    pack = county(tmp_path, layout="patch:\n  - move: meeting\n    after: enclosures\n")
    moved = order(str(pack))
    assert moved.index("enclosures") < moved.index("meeting")
    # what the layout does not print under its own name (meeting_type, as a label) moves with
    # what the schema lists before it; nothing else moves
    start, end = national.index("meeting"), national.index("purpose")
    assert national[start:end][:3] == ["meeting", "meeting_type", "followup_number"]
    assert national[-1] == "enclosures"
    assert moved == national[:start] + national[end:] + national[start:end]
