"""The schemas themselves: valid 2020-12, local ids, labels and descriptions everywhere."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from sipdocs.kinds import KIND_IDS
from sipdocs.schemas import bundled_schema, field_title, load_schema, schema_names, subschema, validator

from .conftest import load_sample


@pytest.mark.parametrize("name", schema_names())
def test_schema_is_valid_2020_12_with_local_id(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:sipdocs:schema:{name}"


def _properties(node, path=()):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield (*path, key), value
        for key, value in node.items():
            if key in ("properties",):
                for k, v in value.items():
                    yield from _properties(v, (*path, k))
            elif isinstance(value, dict):
                yield from _properties(value, path)


@pytest.mark.parametrize("name", ["common", *KIND_IDS])
def test_every_property_has_swedish_title_and_bilingual_description(name):
    for path, prop in _properties(load_schema(name)):
        assert prop.get("title"), path
        assert " — " in prop.get("description", ""), path


@pytest.mark.parametrize("kind", KIND_IDS)
def test_kind_schema_names_its_kind(kind):
    assert load_schema(kind)["properties"]["kind"]["const"] == kind
    assert validator(kind).is_valid(load_sample(kind))


@pytest.mark.parametrize("kind", KIND_IDS)
def test_bundled_schema_is_self_contained(kind):
    bundled = bundled_schema(kind)
    assert "urn:sipdocs:schema:common" not in json.dumps(bundled)
    Draft202012Validator(bundled).validate(load_sample(kind))


def test_field_titles_follow_refs_and_arrays():
    assert field_title("invitation", ("child", "name")) == "Barnets namn"
    assert field_title("plan", ("interventions", 0, "what")) == "Insats/åtgärd"
    assert subschema("plan", ("interventions", "0"))["title"] == "Insats"


def test_format_is_always_checked():
    bad = load_sample("consent")
    bad["valid_from"] = "2026-13-45"
    assert not validator("consent").is_valid(bad)


def test_unknown_ref_never_fetches():
    from referencing.exceptions import Unresolvable

    with pytest.raises(Unresolvable):
        from sipdocs.schemas import registry

        registry().resolver().lookup("https://example.org/schema.json")
