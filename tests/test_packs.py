"""Packs: manifests, inheritance, legal references by date, search path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sipdocs.errors import PackError
from sipdocs.packs import _check_manifest, _read_toml, iter_packs, load_pack
from sipdocs.resources import forms_dir


def bundled_pack_dirs():
    return sorted(p for p in forms_dir().iterdir() if (p / "pack.toml").is_file())


@pytest.mark.parametrize("folder", bundled_pack_dirs(), ids=lambda p: p.name)
def test_bundled_manifests_are_valid(folder: Path):
    _check_manifest(_read_toml(folder / "pack.toml"), folder)


def test_national_is_the_default():
    pack = load_pack()
    assert pack.id == "national"
    assert pack.rules.osa_days_before == 7
    assert pack.rules.min_sectors_level == "warning"


def test_legal_reference_changes_on_2025_07_01():
    pack = load_pack("national")
    assert "2001:453" in pack.legal_reference(date(2025, 6, 30))
    assert "2025:400" in pack.legal_reference(date(2025, 7, 1))
    assert "Social Services Act (2025:400)" in pack.legal_reference(date(2026, 1, 1), "en")


def test_unknown_pack():
    with pytest.raises(PackError) as exc:
        load_pack("atlantis")
    assert exc.value.code == "pack.not_found"


def test_user_pack_extends_national_and_is_validated(tmp_path, monkeypatch):
    own = tmp_path / "packs" / "testkommun"
    own.mkdir(parents=True)
    (own / "pack.toml").write_text(
        'id = "testkommun"\nname = "Testkommun"\nversion = "0.1"\nextends = "national"\n'
        '[rules]\nmin_sectors_level = "error"\n', encoding="utf-8")
    pack = load_pack(str(own))
    assert pack.id == "testkommun"
    assert pack.rules.min_sectors_level == "error"
    assert pack.rules.osa_days_before == 7  # inherited
    assert pack.chain[-1].name == "national"
    monkeypatch.setenv("SIPDOCS_PACKS", str(tmp_path / "packs"))
    assert load_pack("testkommun").path == own.resolve()
    assert "testkommun" in {p.id for p in iter_packs()}
    (own / "pack.toml").write_text('id = "Bad Id"\nname = "x"\nversion = "1"\n', encoding="utf-8")
    with pytest.raises(PackError) as exc:
        load_pack(str(tmp_path / "packs" / "testkommun" / "."))
    assert exc.value.code == "pack.invalid"


def test_find_refuses_escape(tmp_path):
    pack = load_pack()
    with pytest.raises(PackError):
        pack.find("../../pyproject.toml")
