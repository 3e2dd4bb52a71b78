"""The documents the page checks read: the sample matrix and the corpus, rendered once per test
session, with their Word files laid out by LibreOffice in one batch per group.

* ``matrix``: every sample and every "long real names" input (``tests/corpus/long_names.*``) ×
  six kinds × {national sv, national en, stockholm sv, dalarna sv}, in Word and PDF;
* ``corpus``: every corpus case that renders (``manifest.json``: ``render`` and ``fit``).

A group is made when a test first asks for it, so running the snapshot tests alone does not
render the corpus. Rendering runs in worker processes (one per core, at most two): the long
unbroken tokens of the ``fit`` cases cost WeasyPrint up to a minute per case.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .conftest import KINDS, REPO, load_sample

CORPUS = REPO / "tests" / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
# (pack, lang): the national pack in both languages and the two county packs in Swedish
VARIANTS = (("national", "sv"), ("national", "en"), ("stockholm", "sv"), ("dalarna", "sv"))
SOURCES = ("sample", "long_names")


def variant_id(pack: str, lang: str) -> str:
    return f"{pack}-{lang}"


def source_input(source: str, kind: str) -> dict[str, Any]:
    if source == "sample":
        return load_sample(kind)
    return json.loads((CORPUS / f"{source}.{kind}.json").read_text(encoding="utf-8"))


def matrix_input(source: str, kind: str, pack: str, lang: str) -> dict[str, Any]:
    """A sample (or long-names input) for another pack and language, adapted where the pack's
    rules would reject it: Stockholm embeds the consent in the plan, so the plan must state what
    the consent covers (``consent.scope_missing``), taken from the same case's consent."""
    data = source_input(source, kind)
    data["pack"], data["lang"] = pack, lang
    if pack == "stockholm" and kind == "plan":
        consent = source_input(source, "consent")
        data["consent"].update(purposes=consent["purposes"], parties=consent["parties"],
                               information_covered=consent["information_covered"])
    return data


@dataclass(frozen=True)
class Cell:
    """One document of the sample matrix."""

    source: str
    kind: str
    pack: str
    lang: str

    @property
    def id(self) -> str:
        name = f"{variant_id(self.pack, self.lang)}/{self.kind}"
        return name if self.source == "sample" else f"{self.source}/{name}"

    def input(self) -> dict[str, Any]:
        return matrix_input(self.source, self.kind, self.pack, self.lang)


CELLS = [Cell(source, kind, pack, lang) for source in SOURCES for pack, lang in VARIANTS for kind in KINDS]
SAMPLE_CELLS = [c for c in CELLS if c.source == "sample"]
CORPUS_CASES = [e for e in MANIFEST if e["expect"] in ("render", "fit")]


def corpus_input(entry: dict[str, Any]) -> dict[str, Any]:
    return json.loads((CORPUS / entry["file"]).read_text(encoding="utf-8"))


@dataclass
class Document:
    """One rendered input: its Word and PDF files, LibreOffice's PDF of the Word file, or the
    error that stopped rendering or conversion."""

    name: str
    kind: str
    data: dict[str, Any]
    docx: bytes | None = None
    pdf: bytes | None = None
    libreoffice_pdf: bytes | None = None
    error: str | None = None

    def pdf_of(self, fmt: str) -> bytes:
        """The PDF a reader sees: sipdocs' own (``pdf``) or LibreOffice's layout of the Word file
        (``docx``)."""
        if self.error:
            raise AssertionError(f"{self.name}: {self.error}")
        blob = self.pdf if fmt == "pdf" else self.libreoffice_pdf
        if blob is None:
            raise AssertionError(f"{self.name}: LibreOffice did not convert the Word file")
        return blob


_WORKER_RENDERER = None


def _render(job: tuple[str, dict[str, Any]]) -> tuple[str, bytes | None, bytes | None, str | None]:
    """Render one input to Word and PDF in a worker process (one renderer per worker)."""
    global _WORKER_RENDERER
    from sipdocs import Renderer, RenderOptions, SipdocsError

    if _WORKER_RENDERER is None:
        # the checks are about layout: a long-token case may take longer than the default
        # 60 s limit on a busy machine (the limit has its own tests)
        _WORKER_RENDERER = Renderer(RenderOptions(time_limit=600))
    name, data = job
    try:
        out = _WORKER_RENDERER.render(data, ("docx", "pdf"), pack=data.get("pack"), lang=data.get("lang"))
    except SipdocsError as exc:
        detail = [(i.code, i.pointer) for i in getattr(exc, "issues", [])]
        return name, None, None, f"rendering failed: {exc.code} {detail or ''}".strip()
    return name, out["docx"], out["pdf"], None


def render_all(jobs: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[bytes | None, bytes | None, str | None]]:
    """Render every (name, input) job, the biggest inputs first, in up to two worker processes."""
    jobs = sorted(jobs, key=lambda job: len(json.dumps(job[1])), reverse=True)
    workers = max(1, min(2, os.cpu_count() or 1, len(jobs)))
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        return {name: (docx, pdf, error) for name, docx, pdf, error in pool.map(_render, jobs)}


def libreoffice_convert(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Word files converted to PDF by LibreOffice in one headless batch with its own profile;
    the names of the files it could not convert are missing from the result."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by `make test` (libreoffice-writer-nogui)"
    source, target = folder / "docx", folder / "pdf"
    source.mkdir(parents=True)
    target.mkdir()
    stems = {}
    for i, (name, blob) in enumerate(sorted(files.items())):
        stem = f"{i:03d}-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        (source / f"{stem}.docx").write_bytes(blob)
        stems[stem] = name
    if stems:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
                        "--convert-to", "pdf", "--outdir", str(target), *sorted(map(str, source.glob("*.docx")))],
                       capture_output=True, timeout=1800, check=True)
    return {stems[p.stem]: p.read_bytes() for p in target.glob("*.pdf") if p.stem in stems}


class DocumentSet:
    """The session's documents by group (``matrix``, ``corpus``), each made when first asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._groups: dict[str, dict[str, Document]] = {}
        self._failures: dict[str, Exception] = {}

    def group(self, name: str) -> dict[str, Document]:
        """The group's documents; when making them fails, every later test of the group fails
        at once with the first error (instead of rendering the whole group again)."""
        if name in self._failures:
            raise AssertionError(f"making the {name} documents failed earlier: {self._failures[name]!r}")
        try:
            return self._make(name)
        except Exception as exc:
            self._failures[name] = exc
            raise

    def _make(self, name: str) -> dict[str, Document]:
        if name not in self._groups:
            if name == "matrix":
                inputs = {cell.id: (cell.kind, cell.input()) for cell in CELLS}
            elif name == "corpus":
                inputs = {e["file"].removesuffix(".json"): (e["kind"], corpus_input(e)) for e in CORPUS_CASES}
            else:
                raise KeyError(name)
            rendered = render_all([(doc, data) for doc, (_, data) in inputs.items()])
            documents = {doc: Document(doc, kind, data, *rendered[doc][:2], error=rendered[doc][2])
                         for doc, (kind, data) in inputs.items()}
            converted = libreoffice_convert({d.name: d.docx for d in documents.values() if d.docx},
                                            self.folder / name)
            for doc in documents.values():
                doc.libreoffice_pdf = converted.get(doc.name)
            self._groups[name] = documents
        return self._groups[name]

    def matrix(self, cell: Cell) -> Document:
        return self.group("matrix")[cell.id]

    def corpus(self, entry: dict[str, Any]) -> Document:
        return self.group("corpus")[entry["file"].removesuffix(".json")]
