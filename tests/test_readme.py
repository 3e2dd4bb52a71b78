"""The README documents what exists: every issue code, every error code, every command."""

from __future__ import annotations

import re
import subprocess
import sys

from sipdocs.catalogue import ERRORS, code_of

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_issue_code_table_is_generated_from_the_catalogue():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "readme_codes.py"), "--check"])
    assert result.returncode == 0, "run `python scripts/readme_codes.py` to refresh the README table"


def test_every_error_code_raised_in_the_package_is_documented():
    codes = set()
    pattern = re.compile(r'(?:code=|code = |_err\(|_blocked\(|from_code\()\s*"([a-z_]+\.[a-z_]+)(?:#[a-z_]+)?"')
    for path in (REPO / "sipdocs").rglob("*.py"):
        codes.update(pattern.findall(path.read_text(encoding="utf-8")))
    codes.update(code_of(key) for key in ERRORS)  # every error message of the catalogue
    assert len(codes) > 30
    assert sorted(c for c in codes if f"`{c}`" not in README) == []


def test_every_command_is_documented():
    from sipdocs.cli import cli

    for name, command in cli.commands.items():
        assert f"sipdocs {name}" in README, name
        for sub in getattr(command, "commands", {}):
            assert sub in README, f"{name} {sub}"


def test_make_targets_and_exit_codes_are_documented():
    for target in ("make demo", "make test", "make bench", "make fuzz"):
        assert target in README, target
    for code in range(5):
        assert f"| {code} |" in README


def test_the_readme_shows_the_first_page_of_every_document():
    from .conftest import KINDS

    for kind in KINDS:
        picture = REPO / "samples" / "pages" / f"{kind}.png"
        assert f'src="samples/pages/{kind}.png"' in README, kind
        assert picture.read_bytes().startswith(b"\x89PNG"), kind
