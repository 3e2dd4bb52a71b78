"""Output: sanitised names and atomic, non-overwriting writes."""

from __future__ import annotations

import errno

import pytest

from sipdocs.errors import OutputError
from sipdocs.output import atomic_write, format_name, sanitize_name


@pytest.mark.parametrize("raw, expected", [
    ("a/b\\c", "a_b_c"),
    ("..", "document"),
    ("Alex Testsson", "Alex Testsson"),
    ("x\x00y", "x_y"),
])
def test_sanitize(raw, expected):
    assert sanitize_name(raw) == expected


def test_sanitize_traversal():
    name = sanitize_name("../../etc/passwd")
    assert "/" not in name and ".." not in name and name.endswith("etc_passwd")


def test_pattern_values_cannot_escape():
    name = format_name("{kind}-{case_id}", {"kind": "plan", "case_id": "../../x"})
    assert "/" not in name and ".." not in name
    with pytest.raises(OutputError) as exc:
        format_name("{nope}", {"kind": "plan"})
    assert exc.value.code == "output.bad_pattern"


def test_atomic_write_refuses_overwrite(tmp_path):
    target = tmp_path / "a.docx"
    atomic_write(target, b"one")
    with pytest.raises(OutputError) as exc:
        atomic_write(target, b"two")
    assert exc.value.code == "output.exists"
    assert target.read_bytes() == b"one"
    atomic_write(target, b"two", force=True)
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


@pytest.mark.parametrize("err, code", [
    (errno.EACCES, "output.read_only"), (errno.EROFS, "output.read_only"),
    (errno.ENOSPC, "output.disk_full"), (errno.EIO, "output.write_failed"),
])
def test_os_errors_are_mapped_and_leave_nothing(tmp_path, monkeypatch, err, code):
    from .faults import fail_writes

    fail_writes(monkeypatch, err)
    with pytest.raises(OutputError) as exc:
        atomic_write(tmp_path / "x.pdf", b"data")
    assert exc.value.code == code
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind, code", [("full", "output.disk_full"), ("read_only", "output.read_only")])
def test_full_disk_and_read_only_folder_leave_no_file(monkeypatch, kind, code):
    from .faults import fault_folder

    with fault_folder(kind, monkeypatch) as (folder, real):
        before = sorted(p.name for p in folder.iterdir())
        with pytest.raises(OutputError) as exc:
            atomic_write(folder / "plan.pdf", b"%PDF-1.7\n" + b"x" * 100_000)
        assert exc.value.code == code
        assert sorted(p.name for p in folder.iterdir()) == before  # no partial or temp file
