"""The fast paths' switch and version gate (``sipdocs/backends/_compat.py`` and one compatibility
module per dependency): off, the documents come from the libraries' public API alone; a
simulated upgrade — one private name or signature changed — turns the fast path that relies on
it off with exactly one logged warning, and the PDF still passes the PDF/UA and PDF/A checks."""

from __future__ import annotations

import logging
import sys

import pytest

import sipdocs
from sipdocs import Renderer, RenderOptions
from sipdocs.backends import _compat, _docxtpl_compat, _weasyprint_compat

from .conftest import REPO, load_sample, needs_fast_paths
from .docs import docx_text, expected_strings, missing_from, pdf_missing
from .test_pdf import conformance_failures, qpdf_check

ALL = _weasyprint_compat.FAST_PATHS + _docxtpl_compat.FAST_PATHS


@pytest.fixture(autouse=True)
def fresh_verdicts():
    """Each test asks the gate afresh (verdicts are kept per process), and leaves no verdict behind."""
    _compat.reset()
    yield
    _compat.reset()


@pytest.fixture
def warnings_logged(caplog):
    caplog.set_level(logging.WARNING, logger="sipdocs.compat")

    def logged() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "sipdocs.compat"]

    return logged


@pytest.fixture(scope="module")
def fast_plan() -> bytes:
    """The sample plan with every fast path on (QR codes and the logo: images; tables, headings)."""
    _compat.reset()
    return Renderer().render(load_sample("plan"), ("pdf",))["pdf"]


def check_pdf(blob: bytes, tmp_path, name: str) -> None:
    data = load_sample("plan")
    assert pdf_missing(blob, expected_strings("plan", data)) == []
    assert conformance_failures(blob, tmp_path / f"{name}.pdf") == []
    qpdf_check(tmp_path / f"{name}.pdf")


# --- the switch -------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["option", "environment"])
def test_switched_off_nothing_private_is_asked_for_and_the_pdf_is_the_same(how, monkeypatch, tmp_path,
                                                                          fast_plan):
    from weasyprint.images import RasterImage

    checked = []
    monkeypatch.setattr(_compat, "_check", lambda path: checked.append(path.name))
    if how == "environment":
        monkeypatch.setenv("SIPDOCS_FAST_PATHS", "0")
        renderer = Renderer()
    else:
        renderer = Renderer(RenderOptions(fast_paths=False))
    result = renderer.render(load_sample("plan"), ("pdf", "docx"))
    assert checked == []  # no fast path was even considered
    backend = renderer.backend("pdf")
    assert not backend._style_memos
    cached = [image for image in backend.image_cache.values() if isinstance(image, RasterImage)]
    assert cached and all(type(image) is RasterImage for image in cached)
    assert type(renderer.backend("docx")).__name__ == "DocxtplBackend"
    assert missing_from(docx_text(result["docx"]), expected_strings("plan", load_sample("plan"))) == []
    assert result["pdf"] == fast_plan
    check_pdf(result["pdf"], tmp_path, how)


@needs_fast_paths
def test_one_fast_path_can_be_turned_off_by_name(monkeypatch, fast_plan):
    monkeypatch.setenv("SIPDOCS_FAST_PATHS_OFF", "weasyprint.style_memo, docxtpl.compiled_engine")
    assert not _compat.usable(_weasyprint_compat.STYLE_MEMO)
    assert _compat.usable(_weasyprint_compat.HTML_TREE) and _compat.usable(_weasyprint_compat.IMAGE_STREAMS)
    renderer = Renderer()
    assert renderer.render(load_sample("plan"), ("pdf",))["pdf"] == fast_plan
    assert not renderer.backend("pdf")._style_memos
    assert type(renderer.backend("docx")).__name__ == "DocxtplBackend"


@needs_fast_paths
def test_every_fast_path_is_verified_for_what_is_installed(warnings_logged):
    assert [path.name for path in ALL if not _compat.usable(path)] == []
    assert warnings_logged() == []


def test_versions_compare_by_their_numbers():
    assert _compat.version_tuple("70") == (70, 0, 0) == _compat.version_tuple("70.0")
    assert _compat.version_tuple("0.13.0rc1") == (0, 13, 0) and _compat.version_tuple("1.2.3.4") == (1, 2, 3, 4)
    assert _compat.in_range("70.1", ("70.0", "71")) and not _compat.in_range("71.0", ("70.0", "71"))
    assert _compat.in_range("0.20.2", ("0.20.2", "0.21")) and not _compat.in_range("0.20.1", ("0.20.2", "0.21"))
    assert not _compat.in_range("0.9", ("0.13", "0.14")) and _compat.in_range("0.13.9", ("0.13", "0.14"))


# --- simulated upgrades: WeasyPrint -----------------------------------------------------------------------

@needs_fast_paths
def test_weasyprint_with_another_build_layout_context_falls_back_with_one_warning(
        monkeypatch, warnings_logged, tmp_path, fast_plan):
    """Document._build_layout_context grows a parameter, as an upgrade might: the style memo is
    off, said once, and the PDF is the same."""
    from weasyprint.document import Document

    original = Document._build_layout_context.__func__

    def upgraded(cls, html, font_config, counter_style, color_profiles, options, *, new_option=None):
        return original(cls, html, font_config, counter_style, color_profiles, options)

    monkeypatch.setattr(Document, "_build_layout_context", classmethod(upgraded))
    renderer = Renderer()
    blob = renderer.render(load_sample("plan"), ("pdf",))["pdf"]
    renderer.render(load_sample("invitation"), ("pdf",))
    logged = warnings_logged()
    assert len(logged) == 1 and "weasyprint.style_memo" in logged[0] and "_build_layout_context" in logged[0]
    assert not renderer.backend("pdf")._style_memos
    assert blob == fast_plan
    check_pdf(blob, tmp_path, "upgraded")


@needs_fast_paths
def test_weasyprint_outside_the_verified_range_takes_the_public_path(monkeypatch, warnings_logged, tmp_path,
                                                                      fast_plan):
    real = _compat.installed_version
    monkeypatch.setattr(_compat, "installed_version",
                        lambda name: "71.0" if name == "weasyprint" else real(name))
    renderer = Renderer()
    blob = renderer.render(load_sample("plan"), ("pdf",))["pdf"]
    renderer.render(load_sample("plan"), ("pdf",))
    logged = warnings_logged()
    # one warning per fast path, each once
    assert sorted(m.split()[3] for m in logged) == ["weasyprint.html_tree", "weasyprint.image_streams",
                                                    "weasyprint.style_memo"]
    assert all("71.0 is outside the verified range >=70.0,<71" in m for m in logged)
    assert blob == fast_plan
    check_pdf(blob, tmp_path, "weasyprint71")


def test_a_keyword_only_generate_rdf_metadata_breaks_nothing(monkeypatch, warnings_logged, tmp_path):
    """The XMP packet is built from the documented DocumentMetadata attributes, not by calling
    WeasyPrint's generate_rdf_metadata(variant, version, conformance): an upgrade that makes it
    keyword-only (and calls it so itself) changes nothing."""
    from weasyprint.pdf.metadata import DocumentMetadata

    original = DocumentMetadata.generate_rdf_metadata
    include = DocumentMetadata.include_in_pdf

    def keyword_only(self, variant, *, version, conformance):
        return original(self, variant, version, conformance)

    def calling_with_keywords(self, pdf, variant, version, conformance, compress):
        self.generate_rdf_metadata = lambda *args: keyword_only(self, args[0], version=args[1],
                                                                conformance=args[2])
        try:
            include(self, pdf, variant, version, conformance, compress)
        finally:
            del self.generate_rdf_metadata

    monkeypatch.setattr(DocumentMetadata, "generate_rdf_metadata", keyword_only)
    monkeypatch.setattr(DocumentMetadata, "include_in_pdf", calling_with_keywords)
    for fast in (True, False):
        blob = Renderer(RenderOptions(fast_paths=fast)).render(load_sample("plan"), ("pdf",))["pdf"]
        check_pdf(blob, tmp_path, f"rdf-{fast}")
    encrypted = Renderer(RenderOptions(pdf_variant="pdf/ua-1")).render(load_sample("plan"), ("pdf",))["pdf"]
    assert b"pdfuaid:part" in encrypted
    assert warnings_logged() == []


def test_the_xmp_packet_has_what_weasyprint_would_write(fast_plan):
    """Built from the public metadata, the packet holds what WeasyPrint's own would — plus the
    producer and the PDF/UA identification (compared as XML)."""
    import io
    from xml.etree import ElementTree as ET

    import pikepdf
    from weasyprint.pdf.metadata import DocumentMetadata

    from sipdocs.backends.pdf_xmp import xmp_packet

    metadata = DocumentMetadata(title="Plan", authors=["sipdocs"], description="d", keywords=["a", "b"],
                                generator="g", created="2026-05-12", modified="2026-05-13")
    packet = xmp_packet(metadata, "WeasyPrint 70.0", pdfa=False)
    ours = packet.split(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">', 1)[1].rsplit(b"</x:xmpmeta>", 1)[0]
    theirs = metadata.generate_rdf_metadata("ua", 1, None)
    assert ET.canonicalize(ours.decode()) == ET.canonicalize(theirs.decode())
    with pikepdf.open(io.BytesIO(fast_plan)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        assert "/Filter" not in pdf.Root.Metadata
    assert b'pdfaid:part="2"' in xmp and b'pdfuaid:part="1"' in xmp and b"sipdocs" in xmp


# --- simulated upgrades: pydyf ---------------------------------------------------------------------------------

def test_pydyf_is_used_through_its_public_api_only(monkeypatch, tmp_path, fast_plan):
    """The finisher edits pydyf's objects and compresses the streams (zlib level 6, no stream
    ending with CR) through the public ``Stream`` attributes: no object changes class, and a
    pydyf that serialised differently — here at another compression level, as pydyf's own
    choice — would still give a conformant file."""
    import zlib

    import pydyf

    written = []
    write = pydyf.PDF.write

    def watching(self, *args, **kwargs):
        written.append({type(self), *map(type, self.objects)})
        return write(self, *args, **kwargs)

    def stream_data_at_level_1(self):  # pydyf 0.13's Stream.data, compressing at level 1
        content = b"\n".join(i if isinstance(i, bytes) else pydyf.Array((i,)).data[1:-1] for i in self.stream)
        extra = pydyf.Dictionary(self.extra.copy())
        if self.compress:
            extra["Filter"] = "/FlateDecode"
            content = zlib.compress(content, 1)
        extra["Length"] = len(content)
        return b"\n".join((extra.data, b"stream", content, b"endstream"))

    monkeypatch.setattr(pydyf.PDF, "write", watching)
    assert Renderer().render(load_sample("plan"), ("pdf",))["pdf"] == fast_plan
    classes = set().union(*written)
    assert classes and all(cls.__module__.split(".")[0] in ("pydyf", "weasyprint") for cls in classes), classes
    monkeypatch.setattr(pydyf.Stream, "data", property(stream_data_at_level_1))
    blob = Renderer().render(load_sample("plan"), ("pdf",))["pdf"]
    assert blob != fast_plan
    check_pdf(blob, tmp_path, "pydyf-level-1")


# --- simulated upgrades: docxtpl and python-docx ----------------------------------------------------------------

@needs_fast_paths
def test_docxtpl_with_another_patch_xml_renders_with_the_reference_engine(monkeypatch, warnings_logged):
    from docxtpl import DocxTemplate

    original = DocxTemplate.patch_xml

    def upgraded(self, src_xml, strict=False):
        return original(self, src_xml)

    monkeypatch.setattr(DocxTemplate, "patch_xml", upgraded)
    renderer = Renderer()
    data = load_sample("plan")
    docx = renderer.render(data, ("docx",))["docx"]
    renderer.render(load_sample("invitation"), ("docx",))
    logged = warnings_logged()
    assert len(logged) == 1 and "docxtpl.compiled_engine" in logged[0] and "patch_xml" in logged[0]
    assert type(renderer.backend("docx")).__name__ == "DocxtplBackend"
    assert missing_from(docx_text(docx), expected_strings("plan", data)) == []


def test_lint_without_the_compiled_engine_still_finds_a_syntax_error(monkeypatch, tmp_path):
    """With docxtpl's patch_xml off limits, a Word template's Jinja is checked through docxtpl's
    public get_undeclared_template_variables: a syntax error is still found."""
    from sipdocs.lint import check_packs

    from .test_lint import _docx

    def off_limits(xml):
        raise AssertionError("patch_xml called with the fast path off")

    monkeypatch.setattr(_docxtpl_compat, "patch_xml", off_limits)
    monkeypatch.setenv("SIPDOCS_FAST_PATHS", "0")
    pack = tmp_path / "badpack"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.toml").write_text('id = "badpack"\nname = "B"\nversion = "1.0"\nextends = "national"\n',
                                    encoding="utf-8")
    _docx(pack / "templates" / "closure.docx", ["{{ doc.title }}", "{% if %}broken{% endif %}"])
    found = {(p.code, p.template.rsplit("/", 1)[-1], p.detail.split()[0]) for p in check_packs([str(pack)])}
    assert ("lint.syntax", "closure.docx", "line") in found


def test_python_docx_is_used_through_its_public_api_only(monkeypatch):
    """Word templates are built from layouts without python-docx's private ``_p``, ``_tr``,
    ``_tc`` and ``_tbl`` (a later python-docx may not have them)."""
    from docx.table import Table, _Cell, _Row
    from docx.text.paragraph import Paragraph

    from sipdocs.layout.build import load_layout
    from sipdocs.layout.word import build_docx

    def hidden(name):  # python-docx's own code still reads it; sipdocs' must not
        def get(self):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("sipdocs"):
                raise AssertionError(f"{caller} read python-docx's private {name}")
            return self.__dict__["hidden" + name]

        def put(self, value):
            self.__dict__["hidden" + name] = value

        return property(get, put)

    for cls, name in ((Paragraph, "_p"), (_Row, "_tr"), (_Cell, "_tc"), (Table, "_tbl")):
        monkeypatch.setattr(cls, name, hidden(name), raising=False)
    pack = sipdocs.load_pack("national")
    for kind in ("invitation", "plan"):  # page fields, header rows, fixed tables, cell margins
        assert build_docx(load_layout(pack, kind).sections)[:2] == b"PK"


# --- pins and declarations ---------------------------------------------------------------------------------------

def _requirement_name(requirement: str) -> str:
    import re

    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_imported_package_is_declared_and_every_internal_pinned():
    """Each third-party package a sipdocs module imports is a declared dependency (the web app's
    in the ``web`` extra), and each dependency whose internals a fast path uses is pinned to the
    range the compat module verified."""
    import ast
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["web"]
    declared = {_requirement_name(r): r for r in requirements}
    distributions = packages_distributions()
    undeclared = set()
    for path in (REPO / "sipdocs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "sipdocs":
                    continue
                for dist in distributions.get(top, [top]):
                    if _requirement_name(dist) not in declared:
                        undeclared.add(f"{dist} (import {name} in {path.relative_to(REPO)})")
    assert sorted(undeclared) == []
    for path in ALL:
        low, high = path.verified
        requirement = declared[path.distribution].replace(" ", "")
        assert requirement.startswith(path.distribution) and f"<{high}" in requirement, (path.name, requirement)
        assert _compat.version_tuple(requirement.split(">=")[1].split(",")[0]) >= _compat.version_tuple(low), \
            (path.name, requirement)


@pytest.mark.parametrize("fast", ["1", "0"])
def test_weasyprints_temporary_font_folder_is_removed_at_exit(tmp_path, fast):
    """FontConfiguration removes its folder when it is freed; the backend lets go of it at exit
    (the folder was left behind when the interpreter shut down with the renderer still alive in
    a reference cycle, as in an application's object graph)."""
    import os
    import subprocess

    code = ("import sipdocs, json; renderer = sipdocs.Renderer(); "
            f"renderer.render(json.load(open({str(REPO / 'samples' / 'plan.json')!r})), ('pdf',)); "
            "import glob, os, sys; print(len(glob.glob(os.path.join(os.environ['TMPDIR'], 'weasyprint-*')))); "
            "sys.kept = [renderer]; sys.kept.append(sys.kept)")
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=str(REPO), SIPDOCS_FAST_PATHS=fast)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "1"  # while it ran
    assert "Exception ignored" not in result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("weasyprint-")] == []
