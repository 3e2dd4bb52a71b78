"""Reading a kind's layout from a pack: YAML files, inheritance patches, checks.

A pack's ``layouts/<kind>.yaml`` either gives the whole layout (``sections:``) or patches the
one it inherits (``patch:``): insert a section before or after one, replace one, remove one,
move one, or add blocks to one — always naming sections by their ``id``. Files are applied
from the base pack to the pack itself (a county pack's patch on top of the national layout).

Everything is checked when the layout is loaded, with the file, a JSON pointer into it and a
message in Swedish and English: the structure (``schemas/layout.schema.json``), the section
ids a patch names, every catalogue key (in every language the pack has) and every context
path (against :func:`sipdocs.layout.shape.context_shape`). A layout that loads renders.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2.exceptions import TemplateSyntaxError

from ..catalogue import Phrase, Translated, phrase
from ..errors import PackError
from ..packs import load_pack
from ..schemas import validator
from .blocks import (
    H1,
    H2,
    B,
    Block,
    Bullets,
    Checkboxes,
    Col,
    Evaluation,
    Fields,
    If,
    P,
    Row,
    Section,
    Signatures,
    Table,
    Text,
    Together,
)
from .shape import LIST, context_shape, unknown_keys, unknown_paths
from .values import PATH, LayoutValueError, Used, names, snippet, template_names

LAYOUTS = "layouts"


@dataclass(frozen=True)
class Layout:
    """A kind's layout as loaded for a pack: its sections and the files it came from."""

    kind: str
    sections: tuple[Section, ...]
    files: tuple[Path, ...]
    #: the context paths each section's blocks use (``child.name``), section by section
    paths: tuple[frozenset[str], ...] = ()
    #: whether each section has a condition (``when``) of its own
    conditional: tuple[bool, ...] = ()

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)

    def first_section_of(self, name: str) -> int | None:
        """The index of the first section that uses the context value ``name`` (``child`` finds
        ``child.name``), or None when no section does. A value printed by several sections that
        each have a condition of their own takes the last one: the alternatives of a pack setting
        (the plan's consent, embedded on page 1 by the packs that want it, else after the
        child's views) are written first-the-exception, then-the-rule."""
        found = [n for n, paths in enumerate(self.paths) if any(p == name or p.startswith(name + ".") for p in paths)]
        always = [n for n in found if not self.conditional[n]]
        if always:
            return always[0]
        return found[-1] if found else None


def layout_files(chain: Sequence[Path], kind: str) -> list[Path]:
    """The layout files for ``kind`` along a pack chain, base pack first."""
    return [root / LAYOUTS / f"{kind}.yaml" for root in reversed(chain) if (root / LAYOUTS / f"{kind}.yaml").is_file()]


def load_layout(pack: Any, kind: str) -> Layout:
    """The checked layout of ``kind`` for ``pack`` (cached by the files' contents)."""
    files = layout_files(pack.chain, kind)
    contents = tuple(path.read_bytes() for path in files)
    return _load(pack.id, tuple(pack.chain), kind, tuple(files), contents)


@lru_cache(maxsize=128)
def _load(pack_id: str, chain: tuple[Path, ...], kind: str, files: tuple[Path, ...],
          contents: tuple[bytes, ...]) -> Layout:
    if not files:
        raise PackError.from_code("pack.file_missing#layout", pack=pack_id, kind=kind,
                                  details={"pack": pack_id, "file": f"layouts/{kind}.yaml"})
    raw: list[dict[str, Any]] | None = None
    for path, content in zip(files, contents):
        doc = _parse(path, content)
        if not doc:
            continue
        if "sections" in doc:
            raw = copy.deepcopy(doc["sections"])
            _check_unique(raw, path, "/sections")
        if "patch" in doc:
            if raw is None:
                raise _error(path, "/patch", phrase("layout.patch_needs_layout"))
            raw = _apply_patches(raw, doc["patch"], path)
    assert raw is not None
    pack = load_pack(chain[0])
    sections = []
    paths = []
    shape = context_shape(kind, str(pack.path))
    for n, section in enumerate(raw):
        path = _origin(section, files)
        built, section_used, printed = _section(section, path, f"/sections/{n}")
        sections.append(built)
        paths.append(printed)
        _check_names(section_used, shape, pack, path, f"/sections/{n}", section.get("id", "?"))
    return Layout(kind, tuple(sections), files, tuple(paths), tuple(bool(section.get("when")) for section in raw))


# --- parsing and patching ------------------------------------------------------------------------

def _parse(path: Path, content: bytes) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(content.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise PackError.from_code("pack.layout_invalid#yaml" if line is None else "pack.layout_invalid#yaml_line",
                                  file=_shown(path), line=None if line is None else line + 1,
                                  details={"file": str(path)}) from None
    if doc is None:  # only comments (a scaffold not yet used): no changes
        return {}
    errors = sorted(validator("layout").iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        error = min(errors, key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
        pointer = "/" + "/".join(str(p) for p in error.absolute_path)
        raise _error(path, pointer, phrase("layout.schema", count=len(errors),
                                           problem=Translated(sv=_swedish(error), en=error.message)))
    # remember which file each section came from, for messages
    for section in doc.get("sections", []):
        section["__file__"] = str(path)
    for op in doc.get("patch", []):
        for key in ("section",):
            if isinstance(op.get(key), dict):
                op[key]["__file__"] = str(path)
    return dict(doc)


def _swedish(error: Any) -> str:
    keyword = error.validator
    if keyword == "additionalProperties":
        return "okänd nyckel (se tabellen över blocktyper i README)"
    if keyword == "required":
        return "en obligatorisk nyckel saknas"
    if keyword in ("oneOf", "anyOf"):
        return "okänd blocktyp eller fel form på blocket"
    if keyword == "type":
        return f"fel datatyp, väntad: {error.validator_value}"
    if keyword == "pattern":
        return "fel form på värdet"
    return "ogiltigt värde"


def _check_unique(sections: list[dict[str, Any]], path: Path, pointer: str) -> None:
    seen: set[str] = set()
    for n, section in enumerate(sections):
        if section["id"] in seen:
            raise _error(path, f"{pointer}/{n}/id", phrase("layout.section_twice", section=section["id"]))
        seen.add(section["id"])


def _apply_patches(sections: list[dict[str, Any]], ops: list[dict[str, Any]], path: Path) -> list[dict[str, Any]]:
    out = list(sections)

    def index(section_id: str, pointer: str) -> int:
        for n, section in enumerate(out):
            if section["id"] == section_id:
                return n
        known = ", ".join(s["id"] for s in out)
        raise _error(path, pointer, phrase("layout.no_section", section=section_id, known=known))

    for n, op in enumerate(ops):
        where = f"/patch/{n}"
        if "remove" in op:
            del out[index(op["remove"], f"{where}/remove")]
        elif "move" in op:
            moved = out.pop(index(op["move"], f"{where}/move"))
            anchor = str(op.get("before") or op.get("after"))
            at = index(anchor, f"{where}/{'before' if 'before' in op else 'after'}")
            out.insert(at if "before" in op else at + 1, moved)
        elif "replace" in op:
            out[index(op["replace"], f"{where}/replace")] = op["section"]
        elif "insert_before" in op or "insert_after" in op:
            key = "insert_before" if "insert_before" in op else "insert_after"
            at = index(op[key], f"{where}/{key}")
            out.insert(at if key == "insert_before" else at + 1, op["section"])
        elif "append_to" in op or "prepend_to" in op:
            key = "append_to" if "append_to" in op else "prepend_to"
            at = index(op[key], f"{where}/{key}")
            section = dict(out[at])
            blocks = [dict(b, __file__=str(path)) for b in op["blocks"]]
            section["blocks"] = list(section.get("blocks", [])) + blocks if key == "append_to" \
                else blocks + list(section.get("blocks", []))
            out[at] = section
        _check_unique(out, path, "/patch")
    return out


def _origin(section: Mapping[str, Any], files: Sequence[Path]) -> Path:
    return Path(section.get("__file__", files[-1]))


def _shown(path: Path) -> str:
    """A layout file as a reader finds it: ``<pack folder>/layouts/<kind>.yaml``."""
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def _error(path: Path, pointer: str, problem: Phrase) -> PackError:
    return PackError.from_code("pack.layout_invalid", file=_shown(path), pointer=pointer, problem=problem,
                               details={"file": str(path)})


# --- sections and blocks ---------------------------------------------------------------------------

class _Scope:
    """Loop variables in scope (``a`` → ``invitees``), to check ``a.name`` as ``invitees.[].name``."""

    def __init__(self, loops: Mapping[str, str] | None = None) -> None:
        self.loops = dict(loops or {})

    def inner(self, var: str, items: str) -> _Scope:
        return _Scope({**self.loops, var: self.resolve(items)})

    def resolve(self, path: str) -> str:
        root, _, rest = path.partition(".")
        if root in self.loops:
            return f"{self.loops[root]}.{LIST}" + (f".{rest}" if rest else "")
        return path

    def used(self, used: Used) -> Used:
        return Used(frozenset(self.resolve(p) for p in used.paths), used.keys)


def _section(raw: Mapping[str, Any], path: Path, pointer: str) -> tuple[Section, Used, frozenset[str]]:
    """The section, what it uses, and the context paths its blocks print (not its condition)."""
    used = Used()
    blocks: list[Block] = []
    if raw.get("heading"):
        blocks.append(H2(_text(raw["heading"])))
        used = used | Used(keys=frozenset([raw["heading"]]))
    body, body_used = _blocks(raw.get("blocks", []), _Scope(), path, f"{pointer}/blocks")
    blocks += body
    used = used | body_used
    out: list[Block] = [Together(tuple(blocks))] if raw.get("together") else blocks
    if raw.get("when"):
        out = [If(raw["when"], tuple(out))]
        used = used | _cond_names(raw["when"], path, f"{pointer}/when")
    return Section(raw["id"], tuple(out)), used, body_used.paths


def _blocks(raw: Sequence[Any], scope: _Scope, path: Path, pointer: str) -> tuple[list[Block], Used]:
    out: list[Block] = []
    used = Used()
    for n, item in enumerate(raw):
        where = f"{pointer}/{n}"
        file = Path(item.get("__file__", path)) if isinstance(item, dict) else path
        try:
            block, block_used = _block(item, scope, file, where)
        except LayoutValueError as exc:
            raise _error(file, where + exc.where, exc.problem) from None
        if isinstance(item, dict) and item.get("when"):
            block = If(item["when"], (block,))
            block_used = block_used | scope.used(_cond_names(item["when"], file, f"{where}/when"))
        out.append(block)
        used = used | block_used
    return out, used


def _text(key: str) -> str:
    return "{{ t." + key + " }}"


def _block(raw: Mapping[str, Any], scope: _Scope, path: Path, where: str) -> tuple[Block, Used]:
    keys = [k for k in raw if k not in ("when", "__file__")]
    kind = keys[0]
    value = raw[kind]
    if kind == "title":
        return H1(snippet(value)), scope.used(names(value))
    if kind == "heading":
        return H2(_text(value)), Used(keys=frozenset([value]))
    if kind == "text":
        return P((_text(value),)), Used(keys=frozenset([value]))
    if kind == "label":
        return P((B(_text(value)),)), Used(keys=frozenset([value]))
    if kind == "value":
        return Text(snippet(value)), scope.used(names(value))
    if kind == "label_value":
        sep = value.get("sep", ": ")
        # "Label: value" with the colon and its space bold; a bare space stays between the runs
        bold, gap = (sep, "") if sep.strip() else ("", sep)
        return (P((B(_text(value["label"]) + bold), gap + snippet(value["value"]))),
                Used(keys=frozenset([value["label"]])) | scope.used(names(value["value"])))
    if kind == "fields":
        rows, used = [], Used()
        for n, row in enumerate(value):
            cond = row.get("when", _auto_condition(row["value"]))
            rows.append(Row(_text(row["label"]), snippet(row["value"]), None if cond == "always" else cond))
            used = used | Used(keys=frozenset([row["label"]])) | scope.used(names(row["value"]))
            if cond and cond != "always":
                used = used | scope.used(_cond_names(cond, path, f"{where}/fields/{n}/when"))
        return Fields(tuple(rows)), used
    if kind == "table":
        var, items = value.get("as", "item"), value["items"]
        inner = scope.inner(var, items)
        cols, used = [], scope.used(Used(frozenset([items])))
        for col in value["columns"]:
            when = tuple(col.get("when_any", ()))
            cols.append(Col(_text(col["header"]), snippet(col["value"]), float(col.get("width", 1)), when))
            used = used | Used(keys=frozenset([col["header"]])) | inner.used(names(col["value"]))
            used = used | Used(frozenset(f"{inner.resolve(var)}.{field}" for field in when))
        return Table(items, var, tuple(cols)), used
    if kind == "list":
        var, items = value.get("as", "item"), value["items"]
        inner = scope.inner(var, items)
        item = value.get("value", var)
        return (Bullets(items, var, snippet(item), int(value.get("columns", 1))),
                scope.used(Used(frozenset([items]))) | inner.used(names(item)))
    if kind == "evaluation":
        return Evaluation(), Used(frozenset(["evaluation", "evaluation_intro"]))
    if kind == "checkboxes":
        var, items = value.get("as", "item"), value["items"]
        inner = scope.inner(var, items)
        exprs = [value["name"], value["checked"], value["label"], value.get("title") or value["label"]]
        used = scope.used(Used(frozenset([items])))
        for expr in exprs:
            used = used | inner.used(_cond_names(expr, path, where))
        return (Checkboxes(items, var, value["name"], value["checked"], value["label"], value.get("title", "")),
                used)
    if kind == "signatures":
        var, items = value.get("as", "item"), value["items"]
        inner = scope.inner(var, items)
        name, role = snippet(value["name"]), snippet(value["role"])
        return (Signatures(items, var, name, role, bool(value.get("fillable"))),
                scope.used(Used(frozenset([items]))) | inner.used(names(value["name"]) | names(value["role"])))
    if kind == "if":
        blocks, used = _blocks(raw["then"], scope, path, f"{where}/then")
        return If(value, tuple(blocks)), used | scope.used(_cond_names(value, path, f"{where}/if"))
    if kind == "together":
        blocks, used = _blocks(value, scope, path, f"{where}/together")
        return Together(tuple(blocks)), used
    raise LayoutValueError(phrase("layout.unknown_block", kind=kind))


def _auto_condition(value: Any) -> str | None:
    """A label/value row is printed when its value is set: the value's own paths, or always
    for a fixed text and a Jinja snippet."""
    if isinstance(value, str) and PATH.fullmatch(value):
        return value
    if isinstance(value, dict):
        if "link" in value or "mailto" in value:
            return _auto_condition(value.get("link") or value.get("mailto"))
        if "staff" in value:
            return _auto_condition(value["staff"])
        if "contact" in value:
            person = value["contact"]
            fields = value.get("fields", ["phone", "email", "address"])
            return " or ".join([f"{person}.protected"] + [f"{person}.{f}" for f in fields])
        if "join" in value or "lines" in value:
            parts = [c for item in value.get("join") or value.get("lines") or () if (c := _auto_condition(item))]
            return " or ".join(parts) or None
    return None


def _cond_names(expr: str, path: Path, where: str) -> Used:
    try:
        return template_names("{{ " + expr + " }}")
    except TemplateSyntaxError as exc:
        raise _error(path, where, phrase("layout.bad_condition", reason=exc.message)) from None


def _check_names(used: Used, shape: dict[str, Any], pack: Any, path: Path, pointer: str, section_id: str) -> None:
    missing_paths = unknown_paths(used.paths, shape)
    if missing_paths:
        shown = ", ".join(p.replace(f".{LIST}", "[]") for p in missing_paths)
        raise _error(path, pointer, phrase("layout.unknown_name", section=section_id, names=shown))
    for lang in pack.languages:
        missing_keys = unknown_keys(used.keys, pack.catalogue(lang))
        if missing_keys:
            shown = ", ".join(missing_keys)
            raise _error(path, pointer, phrase("layout.unknown_text", section=section_id, names=shown, lang=lang))
