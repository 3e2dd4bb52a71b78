"""Catalogues: every language of every pack has every key, translated."""

from __future__ import annotations

import re

import pytest

from sipdocs.packs import iter_packs, load_pack


def _flatten(node, prefix=""):
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, path)
        else:
            yield path, value


REFERENCE = dict(_flatten(load_pack("national").catalogue("sv")))
# values that are legitimately the same in every language
LANGUAGE_NEUTRAL = {"common.not_given", "meta.time_range_separator", "meta.date_format",
                    "meta.weekday_date_format"}
_SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|eller|till|för|med|som|inte|barnet)\b")


def _pack_langs():
    return [(p.id, lang) for p in iter_packs() for lang in p.languages]


@pytest.mark.parametrize("pack_id, lang", _pack_langs())
def test_catalogue_is_complete(pack_id, lang):
    flat = dict(_flatten(load_pack(pack_id).catalogue(lang)))
    missing = sorted(set(REFERENCE) - set(flat))
    extra = sorted(set(flat) - set(REFERENCE))
    assert not missing, f"{pack_id}/{lang} lacks {missing}"
    assert not extra, f"{pack_id}/{lang} has keys the national Swedish catalogue lacks: {extra}"
    for key, value in flat.items():
        assert isinstance(value, str), key


@pytest.mark.parametrize("pack_id", [p.id for p in iter_packs()])
def test_english_is_translated(pack_id):
    pack = load_pack(pack_id)
    sv = dict(_flatten(pack.catalogue("sv")))
    en = dict(_flatten(pack.catalogue("en")))
    for key, value in en.items():
        if key in LANGUAGE_NEUTRAL or key.startswith("meta.") or not value:
            continue
        assert value != sv[key] or not _SWEDISH.search(value), f"{pack_id}: {key} is not translated"
        assert not re.search(r"[åäöÅÄÖ]", value) or "(" in value, f"{pack_id}: {key} looks Swedish"


def test_every_pack_speaks_swedish_and_english():
    for pack in iter_packs():
        assert {"sv", "en"} <= set(pack.languages), pack.id
