"""Shared fixtures: sample paths, a CLI runner and a loaded sample dict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
KINDS = ("invitation", "consent", "plan", "followup", "closure", "intake_note")


def _fast_paths_switched_on() -> bool:
    from sipdocs.backends._compat import switched_on

    return switched_on()


# Tests of the fast paths themselves (``sipdocs/backends/_*_compat.py``); `make test` runs the PDF
# tests a second time with SIPDOCS_FAST_PATHS=0, where these have nothing to look at.
needs_fast_paths = pytest.mark.skipif(not _fast_paths_switched_on(), reason="SIPDOCS_FAST_PATHS=0")


def load_sample(kind: str) -> dict:
    return json.loads((SAMPLES / f"{kind}.json").read_text(encoding="utf-8"))


@pytest.fixture
def sample():
    return load_sample


@pytest.fixture
def run_cli(capsys):
    """Run ``sipdocs.cli.main`` in-process; returns (exit_code, stdout, stderr)."""
    from sipdocs.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out, err = capsys.readouterr()
        return exc.value.code, out, err

    return run


@pytest.fixture(scope="session")
def documents(tmp_path_factory):
    """The sample matrix and the corpus, rendered once per session and converted by LibreOffice
    in one batch per group (``tests/matrix.py``)."""
    from .matrix import DocumentSet

    return DocumentSet(tmp_path_factory.mktemp("documents"))
