"""`sipdocs forms list/show/new` and user packs on the search path."""

from __future__ import annotations

import json

import sipdocs
from sipdocs.packs import load_pack

from .conftest import load_sample


def test_forms_list(run_cli):
    code, out, _ = run_cli("forms", "list", "--format", "json")
    assert code == 0
    ids = {p["id"] for p in json.loads(out)}
    assert {"national", "stockholm", "dalarna"} <= ids


def test_forms_show(run_cli):
    code, out, _ = run_cli("forms", "show", "dalarna", "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert info["rules"]["min_sectors_level"] == "error"
    assert info["rules"]["followup_convener"] == "convener"
    assert info["chain"][-1].endswith("national")
    code, out, _ = run_cli("forms", "show", "stockholm")
    assert code == 0 and "prima" in out and "example.org/stockholm/utvardering/prima" in out


def test_forms_show_unknown_pack(run_cli):
    code, _, err = run_cli("forms", "show", "atlantis")
    assert code == 2 and "pack.not_found" in err


def test_forms_new_scaffolds_a_loadable_pack(run_cli, tmp_path, monkeypatch):
    code, out, _ = run_cli("forms", "new", "testkommun", "--extends", "national", "-o", str(tmp_path))
    assert code == 0
    folder = tmp_path / "testkommun"
    assert (folder / "pack.toml").is_file() and (folder / "i18n" / "en.toml").is_file()
    pack = load_pack(str(folder))
    assert pack.id == "testkommun" and pack.chain[-1].name == "national"
    code, _, err = run_cli("forms", "new", "testkommun", "-o", str(tmp_path))
    assert code == 1 and "output.exists" in err
    code, _, _ = run_cli("forms", "new", "Bad Name", "-o", str(tmp_path))
    assert code == 2
    # on the search path it is found by id, and an input can name it
    monkeypatch.setenv("SIPDOCS_PACKS", str(tmp_path))
    data = load_sample("consent")
    data["pack"] = "testkommun"
    assert sipdocs.validate(data).pack == "testkommun"
