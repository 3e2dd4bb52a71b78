"""The JSON Schemas: a local ``referencing`` registry, validators and field titles.

All schemas are Draft 2020-12 with ``urn:sipdocs:schema:<name>`` ids, so nothing is
ever fetched: the registry has no retrieve function and an unknown ``$ref`` fails.
``format`` is always asserted (jsonschema ignores it unless a checker is passed) with a
checker that needs no optional packages: ``date``, ``email`` and ``uri``.
"""

from __future__ import annotations

import copy
import json
import re
import urllib.parse
from datetime import date
from functools import cache, lru_cache
from typing import Any

from .kinds import KIND_IDS
from .resources import schemas_dir

COMMON_ID = "urn:sipdocs:schema:common"
_ID_PREFIX = "urn:sipdocs:schema:"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL_RE.match(value))


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme and parts.netloc)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The raw schema ``schemas/<name>.schema.json`` (``name`` is a kind, ``common`` or ``pack``)."""
    path = schemas_dir() / f"{name}.schema.json"
    with open(path, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def schema_names() -> tuple[str, ...]:
    return ("common", *KIND_IDS, "pack", "layout")


@lru_cache(maxsize=1)
def registry() -> Any:
    """A ``referencing.Registry`` holding every sipdocs schema and nothing else."""
    from referencing import Registry  # start-up: referencing (~20 ms) loads with the first validation
    from referencing.jsonschema import DRAFT202012

    resources = []
    for name in schema_names():
        schema = load_schema(name)
        resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    # no .crawl(): schemas use JSON-pointer fragments only, which resolve lazily
    return Registry().with_resources(resources)


@lru_cache(maxsize=1)
def format_checker() -> Any:
    from jsonschema import FormatChecker  # start-up: jsonschema (~35 ms) loads with the first validation

    checker = FormatChecker(formats=())
    checker.checks("date")(_is_date)
    checker.checks("email")(_is_email)
    checker.checks("uri")(_is_uri)
    return checker


@cache
def validator(name: str) -> Any:
    """A ready Draft 2020-12 validator for ``name`` with the local registry and format checking."""
    from jsonschema import Draft202012Validator  # start-up: jsonschema (~35 ms) loads with the first validation

    return Draft202012Validator(load_schema(name), registry=registry(),
                                format_checker=format_checker())


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` chains (local registry only)."""
    seen = 0
    while "$ref" in node and seen < 10:
        ref = node["$ref"]
        base, _, fragment = ref.partition("#")
        target: Any = load_schema(base[len(_ID_PREFIX):]) if base else node
        for token in [t for t in fragment.split("/") if t]:
            target = target[token.replace("~1", "/").replace("~0", "~")]
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        node = merged
        seen += 1
    return node


def _walk(name: str, path: tuple[str | int, ...]) -> tuple[dict[str, Any] | None, str | None]:
    """The schema node at ``path`` (unresolved) and the nearest title met on the way."""
    node: dict[str, Any] | None = load_schema(name)
    title = None
    for token in path:
        if node is None:
            break
        node = _resolve(node)
        is_index = isinstance(token, int) or (isinstance(token, str) and token.isdigit()
                                              and "items" in node)
        node = node.get("items") if is_index else node.get("properties", {}).get(token)
        if node is not None and (not is_index or title is None):
            # a property's own title wins over its $ref target's; items keep the list's title
            title = node.get("title") or _resolve(node).get("title") or title
    return node, title


def subschema(name: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """The (resolved) schema node describing the instance at ``path``, or ``None``."""
    node, _ = _walk(name, path)
    return _resolve(node) if node is not None else None


@lru_cache(maxsize=4096)
def field_title(name: str, path: tuple[str | int, ...]) -> str | None:
    """The Swedish ``title`` of the field at ``path`` (the property's own title wins over its ``$ref``'s)."""
    return _walk(name, path)[1]


def bundled_schema(name: str) -> dict[str, Any]:
    """A self-contained copy of a kind's schema: common ``$defs`` inlined, refs made local.

    Useful outside sipdocs (editors, other validators, hypothesis-jsonschema) where the
    ``urn:sipdocs:`` registry is not available.
    """
    schema = copy.deepcopy(load_schema(name))
    defs = copy.deepcopy(load_schema("common")["$defs"])
    prefix = COMMON_ID + "#/$defs/"

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (("#/$defs/" + v[len(prefix):]) if k == "$ref" and isinstance(v, str)
                        and v.startswith(prefix) else fix(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    fixed: dict[str, Any] = fix(schema)
    fixed["$defs"] = {**fix(defs), **fixed.get("$defs", {})}
    return fixed


@cache
def resolved_schema(name: str) -> dict[str, Any]:
    """The inlined schema of a kind, built once (shared: never modify it)."""
    return inlined_schema(name)


def inlined_schema(name: str) -> dict[str, Any]:
    """A copy of a kind's schema with every ``$ref`` replaced by its target (no ``$id``/``$defs``).

    For tools without ``$ref`` support (and hypothesis-jsonschema, which cannot resolve
    non-URL ids). sipdocs' schemas have no recursive references, so this terminates.
    """

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(_resolve(node))
            return {k: inline(v) for k, v in node.items() if k not in ("$id", "$defs", "$schema")}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    inlined: dict[str, Any] = inline(copy.deepcopy(load_schema(name)))
    return inlined
