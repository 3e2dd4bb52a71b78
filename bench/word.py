"""Word: the naive docxtpl loop vs sipdocs' compiled engine, same template, same contexts.

naive   = per document: ``DocxTemplate(path)``, QR codes generated anew (qrcode → PNG →
          ``InlineImage``), ``render(ctx, autoescape=True)``, ``save``.
sipdocs = ``CompiledDocxBackend.render`` (template compiled once, QR codes cached per URL).

Both get the context from :func:`sipdocs.build_context`, built before timing; validation
and context building are timed separately.
"""

from __future__ import annotations

import io
import statistics
import time
from typing import Any

from bench.workload import bench_pack, built_templates, fresh_qr_png, inputs


def _naive(path: str, ctx: dict[str, Any]) -> bytes:
    import jinja2
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from sipdocs.images import map_images
    from sipdocs.templating import join_isolated, nothing_for_none, plain_link, plain_mailto

    tpl = DocxTemplate(path)

    def image(img: Any) -> Any:
        if img.alt.startswith("QR"):  # make the code again, as a naive loop does
            return InlineImage(tpl, io.BytesIO(fresh_qr_png(ctx, img)), width=Mm(img.width_mm))
        return InlineImage(tpl, io.BytesIO(img.png), width=Mm(img.width_mm))

    env = jinja2.Environment(finalize=nothing_for_none)
    # the filters and finalize sipdocs' templates rely on (link/mailto: their plain-text defaults)
    env.filters.update(join_isolated=join_isolated, link=plain_link, mailto=plain_mailto)
    tpl.render(map_images(ctx, image), jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def run(n: int = 200) -> dict[str, Any]:
    import sipdocs
    from sipdocs.backends import RenderJob, RenderOptions
    from sipdocs.backends.docx_compiled import CompiledDocxBackend

    pack = sipdocs.load_pack(str(bench_pack()))
    data = inputs(n)
    t0 = time.perf_counter()
    contexts = [sipdocs.build_context(d, pack) for d in data]
    context_ms = (time.perf_counter() - t0) / n * 1000
    assert all(len(c["evaluation"]) == 5 and len(c["invitees"]) == 8 for c in contexts)
    path = str(built_templates(pack) / "invitation.docx")
    backend = CompiledDocxBackend(RenderOptions())
    jobs = [RenderJob("invitation", pack, "sv", c, backend.options) for c in contexts]
    backend.render(jobs[0])  # compile once (counted in "first document")
    first = time.perf_counter()
    CompiledDocxBackend(RenderOptions()).render(jobs[0])
    first_ms = (time.perf_counter() - first) * 1000

    naive_times, fast_times = [], []
    for ctx, job in zip(contexts, jobs):
        t = time.perf_counter()
        _naive(path, ctx)
        naive_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        backend.render(job)
        fast_times.append(time.perf_counter() - t)
    naive_ms = statistics.median(naive_times) * 1000
    fast_ms = statistics.median(fast_times) * 1000
    return {
        "documents": n, "context_ms": context_ms, "first_document_ms": first_ms,
        "naive_median_ms": naive_ms, "sipdocs_median_ms": fast_ms,
        "naive_docs_per_s": n / sum(naive_times), "sipdocs_docs_per_s": n / sum(fast_times),
        "ratio": sum(naive_times) / sum(fast_times), "goal": 10.0,
    }


def report(r: dict[str, Any]) -> str:
    return (f"Word, national invitation, 8 participants, 5 QR codes, N={r['documents']}\n"
            f"  naive docxtpl loop : {r['naive_median_ms']:7.2f} ms/doc median, {r['naive_docs_per_s']:7.1f} docs/s\n"
            f"  sipdocs compiled   : {r['sipdocs_median_ms']:7.2f} ms/doc median, {r['sipdocs_docs_per_s']:7.1f} docs/s"
            f"  (first document incl. compile {r['first_document_ms']:.0f} ms)\n"
            f"  ratio naive/sipdocs: {r['ratio']:.1f}x (goal >= {r['goal']:.0f}x) "
            f"{'OK' if r['ratio'] >= r['goal'] else 'MISSED'}\n"
            f"  (validation + context per document, both sides: {r['context_ms']:.1f} ms)")


if __name__ == "__main__":
    print(report(run()))
