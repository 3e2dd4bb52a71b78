"""Output formats live in one registry (``sipdocs.backends.base.FORMATS``): a format added there
is rendered, named, written and offered by the library, the CLI and bulk rendering alike."""

from __future__ import annotations

import sys
import types

import pytest

import sipdocs
from sipdocs.backends.base import FORMATS, OutputFormat, create_backend, output_format
from sipdocs.errors import RenderError

from .conftest import SAMPLES, load_sample
from .sheetdata import invitation_rows, write_csv


class _TitleBackend:
    """A toy backend: the document's title and kind as plain text."""

    def __init__(self, options: sipdocs.RenderOptions) -> None:
        self.options = options

    def render(self, job) -> bytes:
        return f"{job.context['doc']['title']}\n{job.kind}\n".encode()


@pytest.fixture
def txt_format(monkeypatch):
    """A "txt" format registered the way a new one is: one entry in FORMATS (its module is put in
    sys.modules here instead of being a file in sipdocs/backends/)."""
    module = types.ModuleType("sipdocs.backends.title_txt")
    module.TitleBackend = _TitleBackend
    monkeypatch.setitem(sys.modules, "sipdocs.backends.title_txt", module)
    monkeypatch.setitem(FORMATS, "txt", OutputFormat("txt", "txt", "text/plain; charset=utf-8", "html",
                                                     {"plain": "title_txt:TitleBackend"}))
    return "txt"


def test_a_registered_format_is_rendered_named_and_written(txt_format, tmp_path):
    result = sipdocs.Renderer().render(load_sample("plan"), ("txt", "docx"))
    artifact = result.artifacts["txt"]
    assert artifact.filename == f"{result.stem}.txt" and artifact.media_type == "text/plain; charset=utf-8"
    assert artifact.data.decode().splitlines()[1] == "plan"
    assert result.artifacts["docx"].media_type == FORMATS["docx"].media_type
    written = result.write(tmp_path)
    assert sorted(p.suffix for p in written) == [".docx", ".txt"]
    assert (tmp_path / f"{result.stem}.txt").read_bytes() == artifact.data


def test_the_cli_and_bulk_take_their_formats_from_the_registry(txt_format, run_cli, tmp_path):
    code, out, err = run_cli("render", str(SAMPLES / "closure.json"), "--to", "txt", "-o", str(tmp_path / "o"))
    assert code == 0, err
    assert [p.suffix for p in (tmp_path / "o").iterdir()] == [".txt"]
    sheet = write_csv(tmp_path / "rows.csv", invitation_rows(2))
    code, out, err = run_cli("bulk", str(sheet), "--kind", "invitation", "--to", "txt,docx", "--jobs", "1",
                             "-o", str(tmp_path / "bulk"))
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "bulk").glob("row-*")) == [
        "row-0002-invitation.docx", "row-0002-invitation.txt", "row-0003-invitation.docx", "row-0003-invitation.txt"]
    assert (tmp_path / "bulk" / "row-0002-invitation.txt").read_text().splitlines()[1] == "invitation"


def test_an_unknown_format_is_refused_everywhere(run_cli, tmp_path):
    with pytest.raises(RenderError) as exc:
        sipdocs.render(load_sample("plan"), ("odt",))
    assert exc.value.code == "render.unknown_format" and "docx, pdf" in exc.value.message
    with pytest.raises(RenderError):
        output_format("odt")
    code, _, err = run_cli("render", str(SAMPLES / "plan.json"), "--to", "odt", "-o", str(tmp_path))
    assert code == 2 and "use docx, pdf" in err


def test_the_engine_option_chooses_among_a_formats_engines():
    from sipdocs.backends.docx import DocxtplBackend
    from sipdocs.backends.docx_compiled import CompiledDocxBackend

    assert type(create_backend("docx", sipdocs.RenderOptions())) is CompiledDocxBackend
    assert type(create_backend("docx", sipdocs.RenderOptions(docx_engine="docxtpl"))) is DocxtplBackend
    assert output_format("docx").module(sipdocs.RenderOptions(docx_engine="docxtpl")) == "sipdocs.backends.docx"
    assert output_format("pdf").module(sipdocs.RenderOptions()) == "sipdocs.backends.pdf"
