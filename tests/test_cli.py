"""CLI wiring: exit codes, JSON report, no personal data, light imports, speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from .conftest import REPO, SAMPLES


def test_validate_valid_sample(run_cli):
    code, out, _ = run_cli("validate", str(SAMPLES / "invitation.json"))
    assert code == 0
    assert "giltig" in out


def test_validate_invalid_json_report(run_cli):
    code, out, _ = run_cli("validate", "--format", "json", str(SAMPLES / "invalid" / "invitation.invalid.json"))
    assert code == 3
    issues = json.loads(out)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert {"code", "pointer", "level", "message"} <= set(issue)
    pnr = next(i for i in issues if i["code"] == "id.personnummer_invalid")
    assert pnr["pointer"] == "/child/personal_number"
    assert "2394" not in out


def test_validate_english_messages(run_cli):
    code, out, _ = run_cli("validate", "--messages", "en", "--format", "json",
                           str(SAMPLES / "invalid" / "consent.invalid.json"))
    assert code == 3
    assert json.loads(out)[0]["message"] == "No guardian is among those consenting (/consenting_persons)."


def test_validate_multiple_files_marks_file(run_cli):
    code, out, _ = run_cli("validate", "--format", "json", str(SAMPLES / "plan.json"),
                           str(SAMPLES / "invalid" / "plan.invalid.json"))
    assert code == 3
    assert {i["file"] for i in json.loads(out)} == {str(SAMPLES / "invalid" / "plan.invalid.json")}


def test_missing_file_and_bad_json(run_cli, tmp_path):
    code, _, _ = run_cli("validate", str(tmp_path / "nope.json"))
    assert code == 3
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    code, out, _ = run_cli("validate", str(bad))
    assert code == 3 and "input.unreadable" in out


def test_usage_error_exit_code(run_cli):
    code, _, _ = run_cli("validate", "--format", "xml", str(SAMPLES / "plan.json"))
    assert code == 2
    code, _, _ = run_cli("no-such-command")
    assert code == 2


def test_unknown_pack_is_usage_error(run_cli):
    code, _, err = run_cli("validate", "--pack", "atlantis", str(SAMPLES / "plan.json"))
    assert code == 2 and "pack.not_found" in err


def test_kinds_and_schema(run_cli):
    code, out, _ = run_cli("kinds")
    assert code == 0 and "Kallelse till SIP-möte" in out and "intake_note" in out
    code, out, _ = run_cli("schema", "consent")
    assert code == 0 and json.loads(out)["$id"] == "urn:sipdocs:schema:consent"


def _python(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)


# What neither `import sipdocs`, `sipdocs --help` nor `sipdocs validate` may load (the lazy imports
# marked `# start-up:` in sipdocs/ keep them out; tests/test_architecture.py checks the marks).
HEAVY = ("weasyprint", "pydyf", "cssselect2", "fontTools", "docxtpl", "docx", "pypdf", "python_calamine", "openpyxl",
         "odf", "qrcode", "PIL", "pikepdf", "selectolax", "babel", "uvicorn", "starlette", "icalendar")
# ... and what `import sipdocs` and `import sipdocs.cli` do not need either (validation loads them).
STARTUP_HEAVY = HEAVY + ("jinja2", "jsonschema", "referencing", "yaml", "importlib.metadata")


@pytest.mark.parametrize("module", ["sipdocs", "sipdocs.cli"])
def test_import_loads_no_heavy_library(module):
    probe = f"import sys\nimport {module}\nprint(sorted(m for m in {STARTUP_HEAVY!r} if m in sys.modules))\n"
    result = _python(probe)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_validate_imports_no_heavy_library():
    probe = (
        "import sys\n"
        "from sipdocs.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(SAMPLES / 'plan.json')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = _python(probe)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_help_imports_no_heavy_library():
    probe = (
        "import sys\n"
        "from sipdocs.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert _python(probe).stdout.strip().splitlines()[-1] == "[]"


def test_validate_one_file_is_fast():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "sipdocs", "validate", str(SAMPLES / "plan.json")]
    subprocess.run(cmd, capture_output=True, env=env, check=True)  # warm the OS cache
    best = min(_timed(cmd, env) for _ in range(3))
    assert best <= 0.35, f"validate took {best:.3f} s"


def _timed(cmd, env) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=True)
    return time.perf_counter() - start


# --- one name per language, state per run, the fast-paths switch --------------------------------

def _options():
    """(command path, click.Option) for every option of every command and sub-command."""
    import click

    from sipdocs.cli import cli

    for name, command in cli.commands.items():
        for sub_name, sub in (getattr(command, "commands", None) or {"": command}).items():
            for param in sub.params:
                if isinstance(param, click.Option):
                    yield f"{name} {sub_name}".strip(), param


def test_lang_is_the_document_language_and_messages_the_message_language_in_every_command():
    messages, documents, aliases = set(), set(), set()
    for path, option in _options():
        if "--lang" in option.opts and option.hidden:
            aliases.add(path)  # the old spelling where --lang meant the message language
        elif "--lang" in option.opts:
            assert option.name == "doc_lang" and option.help.startswith("Document language"), path
            documents.add(path)
        if "messages" in (option.help or "").lower() or "--messages" in option.opts:
            assert option.opts == ["--messages"] and option.help.startswith("Language of messages"), path
            messages.add(path)
    assert documents == {"render", "bulk"}
    assert aliases == {"validate", "kinds", "consent read"}
    assert messages >= {"validate", "render", "new", "kinds", "bulk", "consent read", "serve"} | aliases


def test_the_old_lang_of_validate_still_sets_the_message_language_with_a_notice(run_cli):
    code, out, err = run_cli("validate", "--lang", "en", "--format", "json",
                             str(SAMPLES / "invalid" / "consent.invalid.json"))
    assert code == 3
    assert json.loads(out)[0]["message"] == "No guardian is among those consenting (/consenting_persons)."
    assert err.count("\n") == 1 and "--lang is deprecated here, use --messages en" in err
    code, out, err = run_cli("kinds", "--lang", "en")
    assert code == 0 and "Invitation to a SIP meeting" in out and "--messages" in err


def test_messages_is_the_language_of_errors_the_program_reports(run_cli):
    code, _, err = run_cli("render", "--messages", "en", "--pack", "atlantis", str(SAMPLES / "plan.json"))
    assert code == 2 and err.startswith("Error [pack.not_found]")
    code, _, err = run_cli("render", "--pack", "atlantis", str(SAMPLES / "plan.json"))
    assert code == 2 and err.startswith("Fel [pack.not_found]")


def test_no_fast_paths_reaches_the_render_options(run_cli, tmp_path, monkeypatch):
    """render, bulk and serve pass --no-fast-paths on as RenderOptions(fast_paths=False)."""
    import sipdocs.web.server
    from sipdocs import api

    from .sheetdata import invitation_rows, write_csv

    made: list[bool] = []

    class Recording(api.Renderer):
        def __init__(self, options=None, **kw):
            super().__init__(options, **kw)
            made.append(self.options.fast_paths)

    monkeypatch.setattr(api, "Renderer", Recording)
    for flags, expected in (((), True), (("--no-fast-paths",), False)):
        made.clear()
        code, _, err = run_cli("render", str(SAMPLES / "plan.json"), "--to", "docx", "-o", str(tmp_path / "r"),
                               "--force", *flags)
        assert code == 0 and made == [expected], err
        made.clear()
        sheet = write_csv(tmp_path / "rows.csv", invitation_rows(1))
        code, _, err = run_cli("bulk", str(sheet), "--kind", "invitation", "--jobs", "1", "--force",
                               "-o", str(tmp_path / "b"), *flags)
        assert code == 0 and made == [expected], err
    served = []
    monkeypatch.setattr(sipdocs.web.server, "run", lambda **kw: served.append(kw["fast_paths"]))
    assert run_cli("serve", "--no-browser")[0] == 0 and run_cli("serve", "--no-browser", "--no-fast-paths")[0] == 0
    assert served == [True, False]
