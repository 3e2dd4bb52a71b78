"""``sipdocs forms check``: lint a pack's layouts and templates against the context they will get.

For every pack and document kind the layout is loaded (which checks it: structure, section
ids, catalogue keys, context paths). Then, for every template format (Word and HTML) — the
pack's own file, or the one built from the layout — and language the pack speaks, the
template is parsed the way it is rendered (docxtpl's ``patch_xml`` for Word) and its Jinja
syntax tree is walked. (``patch_xml`` is not docxtpl's public API: where its fast path is off —
another docxtpl, or ``SIPDOCS_FAST_PATHS=0``, see ``sipdocs/backends/_docxtpl_compat.py`` — a
Word template's Jinja is only checked for syntax, as a whole, by docxtpl's public
``get_undeclared_template_variables``.) Problems reported:

* ``lint.layout`` – the layout does not load (the message names file, pointer and cause);
* ``lint.sections_differ`` (a warning) – a pack's own template no longer has the layout's
  sections, so its Word and PDF versions may say different things;
* ``lint.undefined`` – a variable or attribute the context does not provide, with the full
  path: nested fields and loop-item fields too (``interventions[].responsible``), checked
  against real contexts built from example inputs (the catalogue ``t.*`` included, per
  language);
* ``lint.syntax`` – the template does not parse (e.g. a tag Word split so that docxtpl's
  clean-up could not mend it);
* ``lint.smart_quotes`` – typographic quotes inside a tag (Word's autocorrect);
* ``lint.split_tag`` – unbalanced ``{{ }}`` / ``{% %}`` in a Word paragraph;
* ``lint.two_paragraph_tags`` – two ``{%p``/``{%tr``/``{%tc``/``{%r`` tags in one paragraph;
* ``lint.missing_template`` – an HTML template extends a frame the pack does not have.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, TemplateSyntaxError, nodes

from .backends import _docxtpl_compat as docxtpl_compat
from .context import make_context
from .errors import PackError
from .kinds import KIND_IDS
from .layout.build import TEMPLATE_TYPES, base_template, template_for
from .layout.load import load_layout
from .packs import Pack, iter_packs, load_pack
from .resources import data_root
from .templating import make_environment
from .validation import validate

_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_W_P = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_W_T = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_SMART = "“”„‘’‚«»"
_PARA_TAG = re.compile(r"\{%\s*(p|tr|tc|r)\s")
_GLOBALS = {"range", "dict", "cycler", "joiner", "namespace", "loop", "true", "false", "none",
            "True", "False", "None", "self", "super", "varargs", "kwargs", "caller"}


@dataclass(frozen=True)
class LintProblem:
    pack: str
    template: str
    part: str | None
    lang: str | None
    code: str
    detail: str
    level: str = "error"  # or "warning": reported, but `forms check` still succeeds

    def __str__(self) -> str:
        where = self.template + (f" [{self.part}]" if self.part else "") + (f" ({self.lang})" if self.lang else "")
        return f"{self.pack}: {where}: {self.code}{' (warning)' if self.level == 'warning' else ''}: {self.detail}"


# --- contexts to check against ----------------------------------------------------------------------

def _example_inputs(kind: str) -> list[dict[str, Any]]:
    """The kind's sample, enriched so that optional lists and sections are present."""
    folder = data_root() / "samples"
    sample = json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))
    rich = copy.deepcopy(sample)
    plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    consent = json.loads((folder / "consent.json").read_text(encoding="utf-8"))
    if kind == "followup":
        rich.update(decision="revise", revised_interventions=plan["interventions"],
                    new_actors_to_invite=plan["attendees"][:1], family_contact=plan["family_contact"],
                    relatives=plan["relatives"])
    elif kind == "plan":
        rich["consent"].update(purposes=consent["purposes"], parties=consent["parties"],
                               information_covered=consent["information_covered"], exclusions="Inga.")
    elif kind == "consent":
        rich["withdrawal"] = {"date": "2026-06-01", "by": "Robin Testsson", "received_by": "Kim Kurator"}
        rich["purposes"] = [*rich["purposes"], "other"]
        rich["purpose_other"] = "Annat"
    elif kind == "closure":
        rich.update(reason="SAMTYCKE_ATERKALLAT", consent_withdrawal={"date": "2027-03-01", "by": "guardian"})
    elif kind == "invitation":
        rich.setdefault("distribution", {})["extra_recipients"] = [{"name": "Arkivet", "channel": "post"}]
    return [sample, rich]


def _contexts(pack: Pack, kind: str, lang: str) -> list[dict[str, Any]]:
    out = []
    for data in _example_inputs(kind):
        data = dict(data, pack=pack.id)
        result = validate(data, pack)
        if result.data is None:
            continue
        # the example's validity under this pack does not matter: only the context's shape
        ctx = make_context(result, pack, lang)
        ctx["evaluation"] = ctx.get("evaluation") or [{"organisation": "X", "url": "https://example.org",
                                                        "qr": ctx["doc"]["logo"]}]
        out.append(ctx)
    return out


class _Unknown:
    """Marks a part of the context whose shape the examples cannot tell (e.g. an empty list)."""


UNKNOWN = _Unknown()


def _merge_shape(values: Iterable[Any]) -> Any:
    values = [v for v in values if v is not None]
    if not values:
        return UNKNOWN
    if all(isinstance(v, dict) for v in values):
        keys: dict[str, list[Any]] = {}
        for v in values:
            for k, item in v.items():
                keys.setdefault(k, []).append(item)
        return {k: _merge_shape(items) for k, items in keys.items()}
    if all(isinstance(v, list) for v in values):
        items = [item for v in values for item in v]
        return [_merge_shape(items)] if items else [UNKNOWN]
    return values[0]


def _check_path(shape: Any, path: list[str]) -> str | None:
    """The first missing segment of ``path`` in ``shape`` (None when it exists or can't be told)."""
    node = shape
    for i, seg in enumerate(path):
        if node is UNKNOWN:
            return None
        if seg == "[]":
            if not isinstance(node, list):
                return None  # iterating a mapping or string: leave it to the renderer
            node = node[0]
            continue
        if isinstance(node, dict):
            if seg not in node:
                return ".".join(path[: i + 1]).replace(".[]", "[]")
            node = node[seg]
        else:
            return None  # attribute of a plain value (e.g. str methods): not ours to check
    return None


# --- walking the Jinja AST ------------------------------------------------------------------------

def _paths(template_ast: Any) -> Iterator[list[str]]:
    """Every variable path the template reads (loop variables resolved to their list)."""
    def path_of(node: Any, scope: dict[str, list[str] | None]) -> list[str] | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                bound = scope[node.name]
                return list(bound) if bound is not None else None
            if node.name in _GLOBALS:
                return None
            return [node.name]
        if isinstance(node, nodes.Getattr):
            base = path_of(node.node, scope)
            return None if base is None else [*base, node.attr]
        if isinstance(node, nodes.Getitem):
            base = path_of(node.node, scope)
            if base is None or not isinstance(node.arg, nodes.Const):
                return None
            return [*base, node.arg.value if isinstance(node.arg.value, str) else "[]"]
        return None

    found: list[list[str]] = []

    def visit(node: Any, scope: dict[str, list[str] | None]) -> None:
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)) and getattr(node, "ctx", "load") == "load":
            p = path_of(node, scope)
            if p is not None:
                found.append(p)
                return
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            item = path_of(node.iter, scope)
            inner = dict(scope)
            targets = [node.target] if isinstance(node.target, nodes.Name) else getattr(node.target, "items", [])
            for target in targets:
                inner[target.name] = [*item, "[]"] if item is not None else None
            inner["loop"] = None
            for child in (*node.body, *node.else_):
                visit(child, inner)
            if node.test is not None:
                visit(node.test, inner)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            targets = [node.target] if isinstance(node.target, nodes.Name) else getattr(node.target, "items", [])
            for target in targets:
                if isinstance(target, nodes.Name):
                    scope[target.name] = None
        if isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = None
            for child in node.body:
                visit(child, inner)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(template_ast, {})
    return iter(found)


def _undefined(source: str, env: Any, shape: Any) -> tuple[set[str], str | None]:
    """Missing paths in ``source`` (set) and a syntax error message, if any."""
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        return set(), f"line {exc.lineno}: {exc.message}"
    missing = set()
    for path in _paths(ast):
        gap = _check_path(shape, path)
        if gap:
            missing.add(gap)
    return missing, None


def _docxtpl_syntax(content: bytes, env: Any) -> str | None:
    """A Word template's Jinja syntax error, found through docxtpl's public API, or None."""
    try:
        DocxTemplate(io.BytesIO(content)).get_undeclared_template_variables(env)
    except TemplateSyntaxError as exc:
        return f"line {exc.lineno}: {exc.message}"
    return None


# --- the checks -----------------------------------------------------------------------------------

def _docx_sources(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if _PARTS.match(n)}


def _word_checks(pack: Pack, name: str, part: str, xml: str) -> Iterator[LintProblem]:
    for para in _W_P.findall(xml):
        text = "".join(_W_T.findall(para))
        for tag in re.findall(r"\{[{%].*?[}%]\}", text):
            if any(ch in tag for ch in _SMART):
                yield LintProblem(pack.id, name, part, None, "lint.smart_quotes",
                                  f"typographic quotes inside {tag[:40]!r}; type straight quotes")
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            yield LintProblem(pack.id, name, part, None, "lint.split_tag",
                              f"unbalanced tag braces in the paragraph {text[:50]!r}")
        if len(_PARA_TAG.findall(text)) > 1:
            yield LintProblem(pack.id, name, part, None, "lint.two_paragraph_tags",
                              f"two paragraph/row/cell tags in one paragraph {text[:50]!r}")


def check_pack(pack: Pack) -> list[LintProblem]:
    """All problems of one pack: every kind's layout, and every template it renders with —
    its own files or those built from the layout — in both formats and every language."""
    problems: list[LintProblem] = []
    own = FileSystemLoader([str(r / "templates") for r in pack.roots])
    loader = ChoiceLoader([own, DictLoader({"_base.html": base_template().text})])
    env = make_environment(autoescape=True, loader=loader)
    for kind in KIND_IDS:
        try:
            layout = load_layout(pack, kind)
        except PackError as exc:
            problems.append(LintProblem(pack.id, f"layouts/{kind}.yaml", None, None, "lint.layout", exc.message))
            layout = None
        shapes = {lang: _merge_shape(_contexts(pack, kind, lang)) for lang in pack.languages}
        for fmt in TEMPLATE_TYPES:
            path = pack.own_template(kind, fmt)
            if path is None and layout is None:
                continue  # reported above
            if path is None:
                built = template_for(pack, kind, fmt)
                name = f"{pack.id}/{built.name} (built from the layout)"
                content = built.content
            else:
                name = _shown(pack, path)
                content = path.read_bytes() if fmt == "docx" else path.read_text(encoding="utf-8")
                if layout is not None:
                    problems.extend(_compare_sections(pack, name, fmt, content, layout.section_ids))
            sources: dict[str | None, str] = {}
            if fmt == "docx":
                per_part = docxtpl_compat.compiled_engine()
                for part, xml in _docx_sources(_as_bytes(content)).items():
                    problems.extend(_word_checks(pack, name, part, xml))
                    if per_part:
                        sources[part] = docxtpl_compat.patch_xml(xml)
                syntax = None if per_part or not isinstance(content, bytes) else _docxtpl_syntax(content, env)
                if syntax:
                    problems.append(LintProblem(pack.id, name, None, None, "lint.syntax", syntax))
            else:
                sources[None] = str(content)
                base = _extends(sources[None])
                if base:
                    try:
                        sources[base] = loader.get_source(env, base)[0]
                    except Exception:
                        problems.append(LintProblem(pack.id, name, None, None, "lint.missing_template",
                                                    f"extends {base!r}, which the pack does not have"))
            for where, source in sources.items():
                for lang, shape in shapes.items():
                    missing, syntax = _undefined(source, env, shape)
                    if syntax:
                        problems.append(LintProblem(pack.id, name, where, None, "lint.syntax", syntax))
                        break
                    for gap in sorted(missing):
                        problems.append(LintProblem(pack.id, name, where, lang, "lint.undefined",
                                                    f"{gap} is not in the context"))
    return _dedupe(problems)


_HTML_SECTION = re.compile(r"<!-- section: ([a-z][a-z0-9_]*) -->")
_WORD_SECTION = re.compile(r'<w:bookmarkStart [^>]*w:name="sipdocs_([a-z][a-z0-9_]*)"')


def template_sections(content: bytes | str, fmt: str) -> list[str]:
    """The section ids a template marks, in order: ``<!-- section: id -->`` comments in HTML,
    ``sipdocs_<id>`` bookmarks in Word (both written by the layout's writers, and kept when a
    county makes its own design from a built template)."""
    if fmt == "html":
        return _HTML_SECTION.findall(str(content))
    return [m for xml in _docx_sources(_as_bytes(content)).values() for m in _WORD_SECTION.findall(xml)]


def _as_bytes(content: bytes | str) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _compare_sections(pack: Pack, name: str, fmt: str, content: bytes | str,
                      expected: tuple[str, ...]) -> list[LintProblem]:
    """A warning when a pack's own template no longer has the layout's sections (in order)."""
    found = template_sections(content, fmt)
    if found == list(expected):
        return []
    missing = [s for s in expected if s not in found]
    extra = [s for s in found if s not in expected]
    parts = []
    if missing:
        parts.append("lacks " + ", ".join(missing))
    if extra:
        parts.append("has " + ", ".join(extra) + " that the layout has not")
    if not parts:
        parts.append("has the sections in another order")
    return [LintProblem(pack.id, name, None, None, "lint.sections_differ",
                        "the template " + "; ".join(parts) + " (the Word and PDF versions may differ)",
                        level="warning")]


def _extends(source: str) -> str | None:
    m = re.search(r"\{%-?\s*extends\s+[\"']([^\"']+)[\"']", source)
    return m.group(1) if m else None


def _shown(pack: Pack, path: Path) -> str:
    for root in pack.chain:
        if path.is_relative_to(root):
            return f"{root.name}/{path.relative_to(root)}"
    return str(path)


def _dedupe(problems: list[LintProblem]) -> list[LintProblem]:
    return list(dict.fromkeys(problems))


def check_packs(names: Iterable[str] | None = None) -> list[LintProblem]:
    """Lint the named packs (ids or folders), or every pack on the search path."""
    packs = [load_pack(n) for n in names] if names else list(iter_packs())
    problems: list[LintProblem] = []
    for pack in packs:
        problems.extend(check_pack(pack))
    return problems
