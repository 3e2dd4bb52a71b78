"""``sipdocs render`` as a convener runs it (issue 15, point 8), and the README synopsis."""

from __future__ import annotations

import re

from .conftest import REPO, SAMPLES

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_render_without_to_makes_word_and_pdf(run_cli, tmp_path):
    code, out, _ = run_cli("render", str(SAMPLES / "closure.json"), "-o", str(tmp_path))
    assert code == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf"]
    assert tmp_path.joinpath(next(tmp_path.glob("*.pdf")).name).read_bytes().startswith(b"%PDF-")


def test_an_existing_file_stops_that_input_only_with_exit_5(run_cli, tmp_path):
    code, out, _ = run_cli("render", str(SAMPLES / "closure.json"), "--to", "docx,pdf", "-o", str(tmp_path))
    assert code == 0
    docx = next(tmp_path.glob("*.docx"))
    pdf = next(tmp_path.glob("*.pdf"))
    pdf.unlink()
    docx.write_bytes(b"the convener's edited copy")
    code, out, err = run_cli("render", str(SAMPLES / "closure.json"), str(SAMPLES / "consent.json"),
                             "--to", "docx,pdf", "-o", str(tmp_path))
    assert code == 5
    # a clear message naming the file and --force; neither file of that input is written
    assert f"output.exists: {docx.name} finns redan; inget skrevs (använd --force för att skriva över)" in err
    assert docx.read_bytes() == b"the convener's edited copy" and not pdf.exists()
    # the other input is written
    assert len(list(tmp_path.glob("consent-*.docx"))) == 1 and len(list(tmp_path.glob("consent-*.pdf"))) == 1
    code, _, _ = run_cli("render", str(SAMPLES / "closure.json"), "-o", str(tmp_path), "--force")
    assert code == 0 and docx.read_bytes().startswith(b"PK") and pdf.is_file()


def test_an_existing_packet_is_refused_before_any_work(run_cli, tmp_path):
    packet = tmp_path / "packet.pdf"
    packet.write_bytes(b"old")
    code, out, err = run_cli("render", str(SAMPLES / "closure.json"), "-o", str(tmp_path / "o"),
                             "--merge-pdf", str(packet))
    assert code == 5 and "packet.pdf" in err and "--force" in err
    assert packet.read_bytes() == b"old" and not (tmp_path / "o").exists()


def test_exit_codes_and_every_option_are_in_the_readme():
    from sipdocs.cli import cli

    assert "| 5 |" in README
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    for name, command in cli.commands.items():
        line = next((ln for ln in block.splitlines() if f"sipdocs {name}" in ln), "")
        assert line, name
        synopsis = block[block.index(line):].split("\nsipdocs ", 1)[0]
        commands = getattr(command, "commands", None) or {name: command}
        for sub in commands.values():
            for param in sub.params:
                if getattr(param, "hidden", False):  # a deprecated alias, in the note under the synopsis
                    assert any(o in README for o in param.opts), f"sipdocs {name} {sub.name}: {param.opts}"
                    continue
                opts = [o for o in getattr(param, "opts", []) if o.startswith("-") and o != "--help"]
                if opts:  # an option is listed by its long or its short name
                    assert any(re.search(re.escape(o) + r"(?![\w-])", synopsis) for o in opts), \
                        f"sipdocs {name} {sub.name}: {opts}"
