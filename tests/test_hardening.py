"""Hardening: the hostile corpus, generated inputs, real readers, template attacks, privacy.

The corpus (``tests/corpus/``, built by ``tests/corpus/build.py``) lists in
``manifest.json`` what must happen to each case: it renders with every value present in
both formats, or it is rejected with exact issues. Every produced file is then opened by
the readers a recipient would use: LibreOffice (Word), qpdf, pdftotext and the PDF/UA-1
and PDF/A-2a checkers.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

import sipdocs
from sipdocs import Renderer, RenderOptions
from sipdocs.errors import InvalidInputError, RenderError, TemplateSecurityError

from .conftest import KINDS, REPO, SAMPLES, load_sample
from .docs import (
    docx_parts,
    docx_text,
    evaluation_shown,
    expected_strings,
    iter_objects,
    missing_from,
    parsers_disagree,
    pdf_missing,
    pdf_text,
    protected_secrets,
    recording_html,
    unshared_renderer,
)
from .test_docx import SSTI, user_pack
from .test_pdf import conformance_failures, html_pack, qpdf_check

CORPUS = REPO / "tests" / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
RENDER_CASES = [entry for entry in MANIFEST if entry["expect"] == "render"]
REJECT_CASES = [entry for entry in MANIFEST if entry["expect"] == "reject"]
RENDERER = Renderer()
HTML_SOURCES = recording_html(RENDERER)  # the HTML each PDF was laid out from
UNSHARED = unshared_renderer()  # every fast path off: plain WeasyPrint, the oracle for the fast paths
# Keys whose values identify a person (the privacy scan looks for them in every by-product).
PERSONAL_KEYS = ("name", "personal_number", "address", "other_address", "phone", "email")


def corpus_input(file: str) -> dict[str, Any]:
    return json.loads((CORPUS / file).read_text(encoding="utf-8"))


@functools.cache
def rendered(file: str) -> dict[str, Any]:
    """Word and PDF (and the PDF's HTML) of a corpus case or a sample (``samples/<kind>.json``),
    rendered once per session."""
    data = load_sample(file.removeprefix("sample:")) if file.startswith("sample:") else corpus_input(file)
    out = RENDERER.render(data, ("docx", "pdf"))
    return {"docx": out["docx"], "pdf": out["pdf"], "html": HTML_SOURCES[-1]}


def personal_values(data: Any) -> set[str]:
    """Every name, personnummer (all spellings), address, phone and e-mail in an input."""
    from sipdocs.idnumbers import parse_id_number

    found: set[str] = set()
    for obj in iter_objects(data):
        for key, value in obj.items():
            if key not in PERSONAL_KEYS or not isinstance(value, str) or not value.strip():
                continue
            found.add(value)
            found.update(line for line in value.splitlines() if len(line) >= 6)
            if key == "personal_number":
                try:
                    number = parse_id_number(value).normalized
                except ValueError:  # an invalid number: its raw spelling is enough
                    continue
                found.update({number, number.replace("-", ""), number[2:]})
    return found


def leaks(text: str, values: set[str]) -> list[str]:
    return sorted(v for v in values if v in text)


# --- hostile corpus: renders with everything, or is refused exactly --------------------------------

def test_corpus_covers_every_kind_and_case():
    cases = {entry["case"] for entry in RENDER_CASES}
    assert {"xml_metacharacters", "html_injection", "jinja_in_data", "arabic_rtl", "emoji", "zero_width",
            "urls_in_text", "long_strings", "protected_identity"} <= cases
    for case in cases - {"big_tables"}:
        assert {e["kind"] for e in RENDER_CASES if e["case"] == case} == set(KINDS), case
    assert {e["case"] for e in REJECT_CASES} == {"control_characters", "bad_urls"}
    assert any(e["file"] == "big_tables.plan.json" for e in RENDER_CASES)


@pytest.mark.parametrize("entry", RENDER_CASES, ids=lambda e: e["file"])
def test_corpus_case_renders_with_every_value_in_both_formats(entry):
    from lxml import etree

    data = corpus_input(entry["file"])
    out = rendered(entry["file"])
    values = expected_strings(entry["kind"], data, evaluation=evaluation_shown(entry["kind"], data))
    assert values, "the case has free-text values"
    assert missing_from(docx_text(out["docx"]), values) == []
    assert pdf_missing(out["pdf"], values) == []
    for name, part in docx_parts(out["docx"]).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(part, etree.XMLParser(recover=False))  # strictly well-formed
    if entry["case"] == "jinja_in_data":  # data is never evaluated as a template
        assert "{{ 7*7 }}" in docx_text(out["docx"]) and "{{7*7}}" in re.sub(r"\s", "", pdf_text(out["pdf"]))


@pytest.mark.parametrize("entry", RENDER_CASES, ids=lambda e: e["file"])
def test_corpus_html_parses_to_the_same_tree_with_lexbor(entry):
    assert parsers_disagree(rendered(entry["file"])["html"]) is None


@pytest.mark.parametrize("entry", RENDER_CASES, ids=lambda e: e["file"])
def test_corpus_pdf_is_the_same_without_kept_styles(entry):
    """The fast paths — styles kept from the corpus documents laid out before, the Lexbor tree,
    kept image streams — change no byte: the PDF of plain WeasyPrint through its public API."""
    assert rendered(entry["file"])["pdf"] == UNSHARED.render(corpus_input(entry["file"]), ("pdf",))["pdf"]


def test_long_tables_span_pages_with_repeated_headers():
    import pypdf

    data = corpus_input("big_tables.plan.json")
    assert len(data["interventions"]) >= 100
    out = rendered("big_tables.plan.json")
    assert b"<w:tblHeader" in out["docx"] or b"tblHeader" in docx_parts(out["docx"])["word/document.xml"]
    reader = pypdf.PdfReader(io.BytesIO(out["pdf"]))
    header = sipdocs.load_pack("national").catalogue("sv")["plan"]["col_what"]
    pages_with_header = [i for i, page in enumerate(reader.pages) if header in page.extract_text()]
    assert len(reader.pages) >= 4 and len(pages_with_header) >= 3  # the header row repeats


@pytest.mark.parametrize("entry", [e for e in RENDER_CASES if e["case"] in ("protected_identity", "long_strings")],
                         ids=lambda e: e["file"])
def test_protected_contact_details_appear_nowhere(entry):
    data = corpus_input(entry["file"])
    secrets = protected_secrets(data)
    if entry["case"] == "protected_identity":
        assert secrets, "the case has protected persons with contact details"
    out = rendered(entry["file"])
    raw_docx = b"".join(docx_parts(out["docx"]).values()).decode("utf-8", "replace")
    haystacks = [docx_text(out["docx"]), raw_docx, pdf_text(out["pdf"]), _pdf_metadata_text(out["pdf"])]
    for secret in secrets:
        for line in [secret, *secret.splitlines()]:
            assert not any(line in hay for hay in haystacks), "protected contact detail in the output"


@pytest.mark.parametrize("entry", REJECT_CASES, ids=lambda e: e["file"])
def test_corpus_rejects_with_exact_issues(entry):
    data = corpus_input(entry["file"])
    result = sipdocs.validate(data)
    assert not result.ok
    assert sorted([i.code, i.pointer] for i in result.errors) == sorted(entry["issues"])
    with pytest.raises(InvalidInputError) as exc:
        RENDERER.render(data, ("docx",))
    assert {i.code for i in exc.value.errors} == {code for code, _ in entry["issues"]}
    # the messages name the field, never the offending value
    for issue in result.issues:
        text = json.dumps(issue.to_dict("sv")) + json.dumps(issue.to_dict("en"))
        assert "passwd" not in text and "\\u0000" not in text and "Bcc" not in text and "alert" not in text


def test_cli_reports_illegal_characters_without_a_traceback(run_cli, tmp_path):
    code, out, err = run_cli("render", str(CORPUS / "control_characters.plan.json"), "-o", str(tmp_path))
    assert code == 3
    assert "input.illegal_character" in out + err and "/child_views" in out + err
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []


# --- template attacks: refused or stopped by limits, in both formats --------------------------------

@pytest.mark.parametrize("payload", SSTI)
def test_html_template_attacks_are_refused(tmp_path, payload):
    pack = html_pack(tmp_path, payload)
    with pytest.raises(TemplateSecurityError) as exc:
        Renderer().render(load_sample("plan"), ("pdf",), pack=str(pack))
    assert exc.value.code == "render.security"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_runaway_template_is_stopped_by_the_time_limit(tmp_path, fmt):
    loop = "{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}"
    pack = user_pack(tmp_path, loop) if fmt == "docx" else html_pack(tmp_path, loop)
    start = time.perf_counter()
    with pytest.raises(RenderError) as exc:
        Renderer(RenderOptions(time_limit=1.0)).render(load_sample("plan"), (fmt,), pack=str(pack))
    assert exc.value.code == "render.timeout"
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_oversized_output_is_refused(fmt):
    with pytest.raises(RenderError) as exc:
        Renderer(RenderOptions(max_output_bytes=20_000)).render(load_sample("plan"), (fmt,))
    assert exc.value.code == "render.output_too_large"


# --- generated inputs ------------------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("SIPDOCS_FUZZ_EXAMPLES", "200"))


@pytest.mark.fuzz
def test_generated_inputs_render_with_every_value():
    """≥ 200 generated valid inputs per kind (``make fuzz``: 2000) render to Word and PDF with
    every string value in both texts. The kinds run in parallel worker processes."""
    from .fuzzing import fuzz_kind

    jobs = max(1, min(len(KINDS), os.cpu_count() or 1))
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(fuzz_kind, KINDS, [FUZZ_EXAMPLES] * len(KINDS)))
    failures = [r for r in results if r["error"]]
    assert not failures, "\n\n".join(f"{r['kind']}: {r['error']}\ninput: {r['input']}" for r in failures)
    counts = {r["kind"]: r["checked"] for r in results}
    print(f"generated inputs checked: {counts} (total {sum(counts.values())})")
    assert all(n >= FUZZ_EXAMPLES for n in counts.values()), counts


# --- real readers ------------------------------------------------------------------------------------

READER_FILES = [f"sample:{kind}" for kind in KINDS] + [entry["file"] for entry in RENDER_CASES]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """Every sample and corpus output, written to one folder."""
    folder = tmp_path_factory.mktemp("readers")
    for name in READER_FILES:
        stem = name.replace(":", "-").removesuffix(".json")
        for fmt in ("docx", "pdf"):
            (folder / f"{stem}.{fmt}").write_bytes(rendered(name)[fmt])
    return folder


@pytest.mark.slow
def test_libreoffice_opens_and_converts_every_word_file(written, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by `make test` (libreoffice-writer-nogui)"
    files = sorted(written.glob("*.docx"))
    assert len(files) == len(READER_FILES)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
                   capture_output=True, timeout=1200, check=True)
    converted = {p.stem for p in tmp_path.glob("*.pdf") if p.stat().st_size > 1000}
    assert sorted(p.stem for p in files if p.stem not in converted) == []
    print(f"LibreOffice converted {len(converted)} Word files")


@pytest.mark.slow
def test_every_pdf_passes_qpdf_pdftotext_and_conformance(written):
    files = sorted(written.glob("*.pdf"))
    assert len(files) == len(READER_FILES)
    failures = {}
    for path in files:
        qpdf_check(path)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
        assert len(text.stdout.strip()) > 200, path.name
        problems = conformance_failures(path.read_bytes(), written / "check.tmp")
        if problems:
            failures[path.name] = problems
    assert failures == {}
    print(f"qpdf, pdftotext, PDF/UA-1, PDF/A-2a and pdfua checked {len(files)} PDF files")


# --- privacy: no personal value in any by-product ------------------------------------------------------

def _pdf_metadata_text(blob: bytes) -> str:
    import pikepdf

    with pikepdf.open(io.BytesIO(blob)) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8", "replace") if "/Metadata" in pdf.Root else ""
        names = [str(field.get("/T", "")) for field in pdf.Root.get("/AcroForm", {}).get("/Fields", [])]
    return json.dumps(info, ensure_ascii=False) + xmp + " ".join(names)


def _docx_metadata_text(blob: bytes) -> str:
    parts = docx_parts(blob)
    return "".join(parts[name].decode("utf-8") for name in parts
                   if name.startswith(("docProps/", "customXml/")) and name.endswith(".xml"))


@pytest.mark.parametrize("name", READER_FILES)
def test_metadata_carries_no_personal_value(name):
    data = load_sample(name.removeprefix("sample:")) if name.startswith("sample:") else corpus_input(name)
    values = personal_values(data)
    out = rendered(name)
    assert leaks(_docx_metadata_text(out["docx"]), values) == []
    assert leaks(_pdf_metadata_text(out["pdf"]), values) == []


def test_error_messages_and_cli_output_carry_no_personal_value(run_cli, tmp_path):
    """Invalid samples and rejected corpus cases through the CLI (validate and render, both
    languages, JSON output): the output names fields and codes, never values."""
    files = sorted((SAMPLES / "invalid").glob("*.invalid.json")) + [CORPUS / e["file"] for e in REJECT_CASES]
    scanned = 0
    for path in files:
        values = personal_values(json.loads(path.read_text(encoding="utf-8")))
        for args in (("validate", str(path)), ("validate", "--messages", "en", "--format", "json", str(path)),
                     ("render", str(path), "-o", str(tmp_path / "o"))):
            code, out, err = run_cli(*args)
            assert code == 3, (args, out, err)
            assert leaks(out + err, values) == [], args
            scanned += 1
    assert scanned == 3 * len(files)


def test_debug_flag_is_what_shows_values(run_cli, tmp_path):
    data = load_sample("invitation")
    data["child"]["personal_number"] = "20170101-2394"  # wrong check digit
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _, quiet_out, quiet_err = run_cli("validate", str(path))
    assert "id.personnummer_invalid" in quiet_out + quiet_err
    assert "2394" not in quiet_out + quiet_err
    _, out, err = run_cli("--debug", "validate", str(path))
    assert "20170101-2394" in out + err


def test_bulk_reports_and_output_carry_no_personal_value(tmp_path, capfd):
    from .sheetdata import HEADERS, invitation_rows, write_csv

    rows = invitation_rows(6, {1: "pnr", 3: "date", 4: "form"})
    sheet = write_csv(tmp_path / "k.csv", rows)
    values = {cell for row in rows for header, cell in zip(HEADERS, row)
              if isinstance(cell, str) and re.search("Namn|namn|personnummer|Telefon", header)}
    values |= {"20170101-2393", "201701012393", "170101-2393", "20170101-2394"}
    result = subprocess.run([sys.executable, "-m", "sipdocs", "bulk", str(sheet), "--kind", "invitation",
                             "-o", str(tmp_path / "out"), "--jobs", "1", "--to", "docx,pdf", "--zip"],
                            env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True)
    assert result.returncode == 4, result.stderr  # some rows failed
    assert leaks(result.stdout + result.stderr, values) == []
    out = tmp_path / "out"
    reports = [out / "report.csv", out / "report.json", out / "manifest.json", out / "manifest.jsonl"]
    for report in reports:
        assert leaks(report.read_text(encoding="utf-8-sig"), values) == [], report.name
    rows = csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    failed = [r for r in rows if r.get("status") == "failed" or r.get("level") == "error"]
    assert failed, "the report lists the bad rows"
    for doc in out.glob("row-*.docx"):
        assert leaks(_docx_metadata_text(doc.read_bytes()), values) == []
    for pdf in out.glob("row-*.pdf"):
        assert leaks(_pdf_metadata_text(pdf.read_bytes()), values) == []
    with zipfile.ZipFile(next(out.glob("*.zip"))) as zf:
        assert all(leaks(name, values) == [] for name in zf.namelist())


# --- faults in bulk ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["full", "read_only"])
def test_bulk_into_a_full_or_read_only_folder_leaves_nothing_partial(monkeypatch, kind):
    from .faults import fault_folder
    from .sheetdata import invitation_rows, write_csv

    with fault_folder(kind, monkeypatch) as (folder, real):
        sheet = write_csv(Path(folder).parent / f"{folder.name}.csv", invitation_rows(4))
        try:
            before = sorted(p.name for p in folder.iterdir())
            try:
                run = sipdocs.bulk(sheet, "invitation", outdir=folder, jobs=1)
                outcomes = list(run)
            except sipdocs.OutputError as exc:  # the folder cannot even take the manifest
                assert exc.code in ("output.disk_full", "output.read_only")
            else:
                assert all(not o.ok for o in outcomes)
                assert {i.code for o in outcomes for i in o.issues} <= {"output.disk_full", "output.read_only"}
            after = sorted(p.name for p in folder.iterdir())
            new = [name for name in after if name not in before]
            assert [n for n in new if n.endswith((".docx", ".pdf", ".part"))] == []
            for name in new:  # whatever the run managed to write is complete
                if name.endswith(".jsonl"):
                    text = (folder / name).read_text(encoding="utf-8")
                    assert all(json.loads(line) for line in text.splitlines() if line.strip())
        finally:
            sheet.unlink()


def test_a_table_row_longer_than_a_page_stays_one_table_with_its_header():
    import pikepdf

    out = rendered("long_strings.intake_note.json")
    with pikepdf.open(io.BytesIO(out["pdf"])) as pdf:
        assert len(pdf.pages) >= 5

        def kids(element):
            k = element.get("/K")
            return list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])

        def tables(element, found):
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                if element.S == "/Table":
                    found.append(element)
                for kid in kids(element):
                    tables(kid, found)
            return found

        reachable = [t for top in kids(pdf.Root.StructTreeRoot) for t in tables(top, [])]
        assert reachable
        # every tagged table has its headers (PDF/UA UA-15-003): a data table names its
        # columns in a THead; a label/value table names every row in its first cell (TH)
        headed = 0
        for table in reachable:
            groups = kids(table)
            if str(groups[0].S) == "/THead":
                headed += 1
                continue
            rows = [row for group in groups for row in kids(group)]
            assert rows and all(str(kids(row)[0].S) == "/TH" for row in rows)
        # the entry table's long row crosses pages and stays one table with its header
        assert headed == 1
