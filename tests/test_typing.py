"""The package is typed (issue 15, point 9): ``py.typed`` ships and the public API passes
``mypy --strict`` as a client uses it (``tests/typing_client.py``, config in pyproject.toml)."""

from __future__ import annotations

import ast
import subprocess
import sys

import sipdocs

from .conftest import REPO


def test_py_typed_ships_with_the_package():
    assert (REPO / "sipdocs" / "py.typed").is_file()


def test_typing_client_uses_every_public_name():
    tree = ast.parse((REPO / "tests" / "typing_client.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sipdocs"}
    assert sorted(set(sipdocs.__all__) - used) == []


def test_public_api_passes_mypy_strict():
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
