"""The exception tree: codes, pointers, both languages, and pickling for worker processes."""

from __future__ import annotations

import pickle

import pytest

import sipdocs
from sipdocs.errors import InvalidInputError, Issue, PackError, RenderError, SipdocsError, join_pointer


def test_pointer_escaping():
    assert join_pointer("guardians", 0, "phone") == "/guardians/0/phone"
    assert join_pointer("a/b", "c~d") == "/a~1b/c~0d"


@pytest.mark.parametrize("err", [
    SipdocsError("boom", message_sv="pang", code="x.y", pointer="/a", details={"n": 1}),
    PackError("no pack", code="pack.not_found"),
    RenderError("bad", pointer="/child/name"),
    InvalidInputError([Issue("schema.required", "/purpose", "error", "sv", "en")], source="a.json"),
])
def test_errors_survive_pickling(err):
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert (back.code, back.pointer, back.message, back.message_sv, back.details) == (
        err.code, err.pointer, err.message, err.message_sv, err.details)
    if isinstance(err, InvalidInputError):
        assert back.issues == err.issues and back.source == "a.json"


def test_every_public_error_derives_from_the_root():
    for name in sipdocs.__all__:
        obj = getattr(sipdocs, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, SipdocsError), name


def test_issue_to_dict_hides_value_unless_debug():
    issue = Issue("x", "/a", "error", "sv", "en", value="secret")
    assert "value" not in issue.to_dict()
    assert issue.to_dict(debug=True)["value"] == "secret"
    assert issue.to_dict("en")["message"] == "en"
