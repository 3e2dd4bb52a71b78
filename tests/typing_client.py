"""An integration as a type checker sees it: every name in ``sipdocs.__all__`` used with types.

Not a test module (pytest does not collect it): ``mypy --strict`` checks it, following the
imports into the package, in ``tests/test_typing.py`` (part of ``make test``). A name added to
``sipdocs.__all__`` must be used here too (the test checks that).
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import sipdocs


def validate_everything(folder: Path) -> list[str]:
    sources: list[sipdocs.InputSource] = [
        folder / "plan.json", str(folder / "plan.json"), '{"kind": "plan"}', b'{"kind": "plan"}',
        {"kind": "plan", "document_date": datetime.date(2026, 5, 12)}, io.BytesIO(b"{}"), io.StringIO("{}"),
    ]
    codes: list[str] = []
    for source in sources:
        result: sipdocs.ValidationResult = sipdocs.validate(source, "national", kind="plan")
        issue: sipdocs.Issue
        for issue in result.issues:
            codes.append(f"{issue.code} {issue.pointer} {issue.message('en')}")
        if result.ok and result.data is not None:
            codes.append(str(result.derived.get("child_age")))
    loaded: dict[str, object] = sipdocs.loads("kind: plan")
    codes.append(str(sorted(loaded)))
    return codes


def render_everything(folder: Path) -> bytes:
    options = sipdocs.RenderOptions(pdf_variant="plain")
    renderer: sipdocs.Renderer = sipdocs.Renderer(options, pack="national", lang="sv")
    result: sipdocs.RenderResult = renderer.render(folder / "plan.json", ("docx", "pdf"))
    artifact: sipdocs.Artifact = result.artifacts["pdf"]
    written: list[Path] = result.write(folder / "out", force=True)
    once: sipdocs.RenderResult = sipdocs.render({"kind": "plan"}, ("docx",))
    packet, results = sipdocs.render_packet([folder / "plan.json"], renderer=renderer)
    merged: bytes = sipdocs.merge_pdfs([("Plan", artifact.data), ("Plan", packet)], title="SIP")
    encrypted: bytes = sipdocs.encrypt_pdf(merged, "lösenord")
    context: dict[str, object] = sipdocs.build_context(folder / "plan.json", "national", "sv")
    consent = sipdocs.read_consent(encrypted, base={"kind": "consent"})
    _ = (written, once, results, context, consent.ok, sipdocs.__version__)
    return encrypted


def bulk_everything(sheet: Path) -> int:
    run = sipdocs.bulk(sheet, "invitation", formats=("docx",), jobs=1)
    for outcome in run:
        print(outcome.row, outcome.status)
    failed: int = run.summary.failed
    return failed


def packs_and_kinds() -> list[str]:
    pack: sipdocs.Pack = sipdocs.load_pack("stockholm")
    names = [p.id for p in sipdocs.list_packs()] + [pack.id] + list(sipdocs.KINDS)
    return names


def handle_errors(path: Path) -> str:
    try:
        sipdocs.render(path).write(path.parent)
    except sipdocs.InvalidInputError as exc:
        best: sipdocs.Issue | None = exc.best
        return best.code if best else exc.code
    except sipdocs.SheetError as exc:
        return exc.code
    except sipdocs.InputError as exc:
        return exc.message_sv
    except sipdocs.OutputExistsError as exc:
        return exc.localized("sv")
    except sipdocs.OutputError as exc:
        return exc.code
    except sipdocs.TemplateSecurityError as exc:
        return exc.code
    except sipdocs.BackendUnavailableError as exc:
        return exc.code
    except sipdocs.RenderError as exc:
        return exc.code
    except sipdocs.PostprocessError as exc:
        return exc.code
    except sipdocs.PackError as exc:
        return exc.code
    except sipdocs.InternalError as exc:  # a bug in sipdocs, e.g. internal.rule_failed
        return str(exc.details.get("rule"))
    except sipdocs.SipdocsError as exc:
        return str(exc.to_dict("en"))
    return "ok"


# Each lazily imported name returns a concrete type straight through: were it ``Any`` (a module
# ``__getattr__`` without declarations), ``--strict`` would report "Returning Any".
def lazy_render(path: Path) -> bytes:
    return sipdocs.render(path, ("pdf",))["pdf"]


def lazy_renderer(path: Path) -> bytes:
    return sipdocs.Renderer(sipdocs.RenderOptions()).render(path)["docx"]


def lazy_result(result: sipdocs.RenderResult, artifact: sipdocs.Artifact) -> tuple[str, bytes]:
    return result.stem, artifact.data


def lazy_options() -> str:
    return sipdocs.RenderOptions().pdf_variant


def lazy_context(path: Path) -> dict[str, object]:
    return sipdocs.build_context(path)


def lazy_packet(path: Path) -> bytes:
    return sipdocs.render_packet([path])[0]


def lazy_pdfpost(pdf: bytes) -> bytes:
    return sipdocs.encrypt_pdf(sipdocs.merge_pdfs([("Plan", pdf)]), "lösenord")


def lazy_consent(pdf: bytes) -> bool:
    return sipdocs.read_consent(pdf).ok


def lazy_consents(pdf: bytes) -> list[bool]:
    return [result.ok for result in sipdocs.read_consents(pdf, password=None)]


def lazy_bulk(sheet: Path) -> int:
    return sipdocs.bulk(sheet, "plan").summary.failed


def lazy_version() -> str:
    return sipdocs.__version__


def lazy_prefill(invitation: dict[str, object]) -> dict[str, object]:
    return sipdocs.prefill("consent", invitation)
