"""The import graph keeps the architecture: no circles, layers call only downward, backends
are plug-ins that never import one another, and the thin layers go through the front.

Every ``import`` statement of every module counts — at the top, inside functions and under
``if TYPE_CHECKING:`` alike — read with :mod:`ast` (nothing is imported). ``from a import b``
counts as an import of ``a.b`` when that is a module, else of ``a``. Importing ``a.b`` also
runs the package ``a``, but that implicit step is not an edge (every module would otherwise
depend on :mod:`sipdocs` itself). Backends found through the format registry
(:data:`sipdocs.backends.base.FORMATS`, ``"module:Class"`` strings) are not edges either: that
is what makes them plug-ins.

A new module must be placed in :data:`LAYERS` (and a new backend module in a backend family
below) — the first test says so when one is not.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "sipdocs"

# Bottom to top. A module may import modules of its own layer and of the layers below it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation: errors, messages, kinds, value objects, utilities", (
        "sipdocs._version", "sipdocs.catalogue", "sipdocs.catalogue.*", "sipdocs.errors", "sipdocs.exit_codes",
        "sipdocs.messages", "sipdocs.kinds",
        "sipdocs.resources", "sipdocs.domain", "sipdocs.idnumbers", "sipdocs.images", "sipdocs.qr",
        "sipdocs.limits", "sipdocs.archive", "sipdocs.templating", "sipdocs.pdf_variants")),
    ("inputs, schemas and packs", (
        "sipdocs.inputs", "sipdocs.jsonvalues", "sipdocs.schemas", "sipdocs.field_hints", "sipdocs.normalize",
        "sipdocs.spreadsheet_damage", "sipdocs.packs", "sipdocs.vocabulary", "sipdocs.skeleton")),
    ("derivation: values computed from the input", ("sipdocs.derive",)),
    ("validation and rules", ("sipdocs.validation", "sipdocs.rules", "sipdocs.prefill")),
    ("context", ("sipdocs.context",)),
    ("templates built from layouts", ("sipdocs.layout.*",)),
    ("backends", ("sipdocs.backends", "sipdocs.backends.*")),
    ("the pack checker (sipdocs forms check)", ("sipdocs.lint",)),
    ("postprocess and output", ("sipdocs.pdfpost", "sipdocs.output", "sipdocs.consent_form")),
    ("front: the public library API", ("sipdocs.api",)),
    ("bulk rendering", ("sipdocs.bulk", "sipdocs.bulk.*")),
    ("the package (re-exports the front and bulk)", ("sipdocs",)),
    ("command line and web app", ("sipdocs.__main__", "sipdocs.cli", "sipdocs.cli.*", "sipdocs.web.*")),
]

# What any backend module may import: the base module, the helpers both Word engines share,
# and the compatibility modules around dependencies' private names (the switch in ``_compat``;
# WeasyPrint's compat module also belongs to the PDF family, whose PDF object helpers it uses).
BACKEND_SHARED = ("sipdocs.backends", "sipdocs.backends.base", "sipdocs.backends.ooxml",
                  "sipdocs.backends.docx_xml", "sipdocs.backends.docx_language", "sipdocs.backends.docx_links",
                  "sipdocs.backends.docx_rows", "sipdocs.backends._compat", "sipdocs.backends._*_compat")
# Each backend (a module the registry names) with the helper modules only it uses.
BACKEND_FAMILIES: dict[str, tuple[str, ...]] = {
    "sipdocs.backends.docx": ("sipdocs.backends.docx",),
    "sipdocs.backends.docx_compiled": ("sipdocs.backends.docx_compiled",),
    "sipdocs.backends.pdf": ("sipdocs.backends.pdf", "sipdocs.backends.pdf_fonts", "sipdocs.backends.pdf_forms",
                             "sipdocs.backends.pdf_objects", "sipdocs.backends.style_memo",
                             "sipdocs.backends.html_tree", "sipdocs.backends.pdf_streams",
                             "sipdocs.backends.pdf_xmp", "sipdocs.backends._weasyprint_compat"),
}
THIN_LAYERS = ("sipdocs.bulk", "sipdocs.bulk.*", "sipdocs.cli", "sipdocs.cli.*", "sipdocs.web.*")
CLI_SHARED = ("sipdocs.cli", "sipdocs.cli.common", "sipdocs.cli.program")


# --- the graph ----------------------------------------------------------------------------------

def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The sipdocs modules ``name`` (the module in ``path``) imports anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "sipdocs")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "sipdocs":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
    found.discard(name)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(path, root): path for path in root.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(name, path, modules) for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def matches(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def layer_of(name: str) -> int | None:
    found = [n for n, (_, patterns) in enumerate(LAYERS) if matches(name, patterns)]
    assert len(found) <= 1, f"{name} is in more than one layer"
    return found[0] if found else None


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in sorted(graph.items()):
        for target in sorted(targets):
            here, there = layer_of(name), layer_of(target)
            if here is not None and there is not None and there > here:
                problems.append(f"{name} ({LAYERS[here][0]}) imports {target} ({LAYERS[there][0]})")
    return problems


def backend_family(name: str) -> str | None:
    return next((head for head, members in BACKEND_FAMILIES.items() if name in members), None)


def backend_leaks(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in sorted(graph.items()):
        if not name.startswith("sipdocs.backends."):
            continue
        family = backend_family(name)
        for target in sorted(t for t in targets if t.startswith("sipdocs.backends")):
            if not matches(target, BACKEND_SHARED) and backend_family(target) != family:
                problems.append(f"{name} imports {target}")
    return problems



# --- imports inside functions -------------------------------------------------------------------

START_UP = "# start-up:"


def unexplained_function_imports(root: Path = PACKAGE) -> list[str]:
    """Imports inside functions that do not say why they are not at the top of the module.

    An import belongs inside a function only where start-up time needs it (a heavy library, or a
    module that pulls one in, that ``import sipdocs``, ``sipdocs --help`` or ``sipdocs validate``
    would otherwise load), and then it says so. The rule: import statements that directly follow
    one another in the same block of a function (methods and nested functions included) form a
    group, and the first statement of each group carries a trailing ``# start-up: <why>``
    comment (for a parenthesised import, on any of its lines). One comment covers the group.
    """
    problems = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines), str(path))
        blocks = {id(block): block
                  for function in ast.walk(tree) if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for node in ast.walk(function)
                  for block in (getattr(node, field, None) for field in ("body", "orelse", "finalbody"))
                  if isinstance(block, list) and block and isinstance(block[0], ast.stmt)}
        for block in blocks.values():
            previous: ast.stmt | None = None
            for statement in block:
                is_import = isinstance(statement, (ast.Import, ast.ImportFrom))
                follows_import = isinstance(previous, (ast.Import, ast.ImportFrom))
                if is_import and not follows_import:
                    text = lines[statement.lineno - 1:statement.end_lineno]
                    if not any(START_UP in line for line in text):
                        problems.append(f"{path.relative_to(root.parent)}:{statement.lineno}: {text[0].strip()}")
                previous = statement
    return sorted(problems)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


# --- the rules ----------------------------------------------------------------------------------

def test_every_module_has_a_layer_and_every_backend_module_a_place(graph):
    assert [name for name in sorted(graph) if layer_of(name) is None] == [], "add them to LAYERS"
    unplaced = [name for name in sorted(graph) if name.startswith("sipdocs.backends.")
                and not matches(name, BACKEND_SHARED) and backend_family(name) is None]
    assert unplaced == [], "add them to BACKEND_SHARED or a BACKEND_FAMILIES entry"


def test_no_import_circles(graph):
    assert cycles(graph) == []


def test_layers_import_only_downward(graph):
    assert upward_imports(graph) == []


def test_no_backend_imports_another(graph):
    assert backend_leaks(graph) == []


def test_the_registry_names_exactly_the_backend_families():
    from sipdocs.backends.base import FORMATS
    from sipdocs.layout.build import TEMPLATE_TYPES

    registered = {f"sipdocs.backends.{path.partition(':')[0]}" for spec in FORMATS.values()
                  for path in spec.engines.values()}
    assert registered == set(BACKEND_FAMILIES)
    assert {spec.template for spec in FORMATS.values()} <= set(TEMPLATE_TYPES)


def test_bulk_cli_and_web_render_through_the_front(graph):
    reaching = [f"{name} imports {target}" for name, targets in sorted(graph.items()) if matches(name, THIN_LAYERS)
                for target in sorted(targets) if target == "sipdocs.backends" or target.startswith("sipdocs.backends.")]
    assert reaching == []


def test_cli_command_modules_are_independent(graph):
    """Each command module imports the shared helpers, never another command module, and only
    the program that assembles them imports a command module."""
    commands = {name for name in graph if name.startswith("sipdocs.cli.") and name not in CLI_SHARED}
    assert commands >= {"sipdocs.cli.documents", "sipdocs.cli.bulk", "sipdocs.cli.consent", "sipdocs.cli.forms",
                        "sipdocs.cli.web"}
    wrong = [f"{name} imports {target}" for name, targets in sorted(graph.items())
             for target in sorted(targets & commands) if name != "sipdocs.cli.program"]
    assert wrong == []



def test_every_import_inside_a_function_says_why():
    assert unexplained_function_imports() == [], "move it to the top, or say `# start-up: <why>`"


# --- the checks can fail ------------------------------------------------------------------------

def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "sipdocs"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_circle_through_a_function_level_import_is_found(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "errors.py": "def f():\n    from .packs import load_pack\n",
        "packs.py": "from .errors import f\n",
        "backends/__init__.py": "from .base import RenderOptions\n",
        "backends/base.py": "from ..errors import f\n",
    })
    graph = import_graph(root)
    assert graph["sipdocs.backends"] == {"sipdocs.backends.base"}
    assert cycles(graph) == [["sipdocs.errors", "sipdocs.packs"]]


def test_an_upward_import_and_a_backend_leak_are_found(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "packs.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .api import Renderer\n",
        "api.py": "",
        "backends/__init__.py": "",
        "backends/pdf.py": "from .docx import map_template_error\nfrom .base import RenderJob\n",
        "backends/docx.py": "",
        "backends/base.py": "",
    })
    graph = import_graph(root)
    assert upward_imports(graph) == ["sipdocs.packs (inputs, schemas and packs) imports sipdocs.api "
                                     "(front: the public library API)"]
    assert backend_leaks(graph) == ["sipdocs.backends.pdf imports sipdocs.backends.docx"]


def test_an_import_inside_a_function_without_a_reason_is_found(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "import io\n",
        "a.py": ("def f():\n"
                 "    import zlib  # start-up: one comment covers the group\n"
                 "    import binascii\n"
                 "    x = 1\n"
                 "    import json\n"
                 "    if x:\n"
                 "        from pypdf import (  # start-up: a parenthesised import\n"
                 "            PdfReader)\n"
                 "        import pikepdf\n"
                 "\n"
                 "\n"
                 "class C:\n"
                 "    def m(self):\n"
                 "        try:\n"
                 "            import weasyprint  # noqa: F401\n"
                 "        except ImportError:\n"
                 "            def g():\n"
                 "                import yaml\n"),
    })
    assert unexplained_function_imports(root) == [
        "sipdocs/a.py:15: import weasyprint  # noqa: F401",
        "sipdocs/a.py:18: import yaml",
        "sipdocs/a.py:5: import json",
    ]
