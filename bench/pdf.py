"""PDF: the naive WeasyPrint loop vs sipdocs' PDF backend, same template, same contexts.

naive   = per document: the HTML template rendered with a plain Jinja environment, QR codes
          generated anew (the same PNG sipdocs embeds) as data URIs,
          ``HTML(string=…).write_pdf(stylesheets=[CSS(filename=…)])`` — the stylesheet read and
          parsed, fonts loaded, for every document — with the same PDF options as sipdocs
          (tagged PDF/A-2a), so both do the same work per page.
sipdocs = ``PdfBackend.render``: stylesheet parsed once, one shared ``FontConfiguration``,
          WeasyPrint's image cache and the encoded image streams, QR codes cached per URL, HTML
          parsed by Lexbor, the collector paused, each PDF object serialised once, plus the
          PDF/UA+A finisher. None of it patches WeasyPrint or pydyf, so the naive loop in the
          same process runs them as shipped.
"""

from __future__ import annotations

import base64
import ctypes.util
import statistics
import time
from typing import Any

from bench.workload import bench_pack, built_templates, fresh_qr_png, inputs


def _naive_html(env: Any, ctx: dict[str, Any]) -> str:
    from sipdocs.images import map_images
    from sipdocs.images import Image

    def fresh(img: Image) -> Any:
        if not img.alt.startswith("QR"):
            return img
        return {"data_uri": "data:image/png;base64," + base64.b64encode(fresh_qr_png(ctx, img)).decode(),
                "alt": img.alt, "width_mm": img.width_mm, "height_mm": img.height_mm}

    return env.get_template("invitation.html").render(map_images(ctx, fresh))


def run(n: int = 50) -> dict[str, Any]:
    from jinja2 import Environment, FileSystemLoader

    from sipdocs.templating import html_link, html_mailto, join_isolated, nothing_for_none
    from weasyprint import CSS, HTML

    import sipdocs
    from sipdocs.backends import RenderJob, RenderOptions
    from sipdocs.backends.pdf import PdfBackend

    pack = sipdocs.load_pack(str(bench_pack()))
    contexts = [sipdocs.build_context(d, pack) for d in inputs(n, seed=2)]
    templates = built_templates(pack)
    # the filters and finalize sipdocs' templates rely on, as the PDF backend has them (links as <a href>)
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, finalize=nothing_for_none)
    env.filters.update(join_isolated=join_isolated, link=html_link, mailto=html_mailto)
    css_path = str(pack.stylesheet)
    base_url = str(templates) + "/"
    backend = PdfBackend(RenderOptions())
    jobs = [RenderJob("invitation", pack, "sv", c, backend.options) for c in contexts]
    backend.render(jobs[0])  # warm-up: first font load, template compile
    _naive_pdf(env, contexts[0], css_path, base_url, HTML, CSS)
    naive_times, fast_times, pages = [], [], []
    for ctx, job in zip(contexts, jobs):
        t = time.perf_counter()
        _naive_pdf(env, ctx, css_path, base_url, HTML, CSS)
        naive_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = backend.render(job)
        fast_times.append(time.perf_counter() - t)
        pages.append(out.count(b"/Type /Page\n") or out.count(b"/Type/Page"))
    return {
        "documents": n, "hb_subset": ctypes.util.find_library("harfbuzz-subset") is not None,
        "naive_median_ms": statistics.median(naive_times) * 1000,
        "sipdocs_median_ms": statistics.median(fast_times) * 1000,
        "naive_docs_per_s": n / sum(naive_times), "sipdocs_docs_per_s": n / sum(fast_times),
        "ratio": sum(naive_times) / sum(fast_times), "goal": 1.5,
    }


def _naive_pdf(env: Any, ctx: dict[str, Any], css_path: str, base_url: str, HTML: Any, CSS: Any) -> bytes:
    from weasyprint.text.fonts import FontConfiguration

    html = _naive_html(env, ctx)
    fonts = FontConfiguration()  # @font-face needs one; the naive loop makes it per document
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=css_path, font_config=fonts)], font_config=fonts,
        pdf_variant="pdf/a-2a", pdf_tags=True)


def report(r: dict[str, Any]) -> str:
    return (f"PDF, national invitation, 8 participants, 5 QR codes, N={r['documents']} "
            f"(hb-subset {'present' if r['hb_subset'] else 'MISSING'})\n"
            f"  naive WeasyPrint loop: {r['naive_median_ms']:7.1f} ms/doc median, {r['naive_docs_per_s']:5.2f} docs/s\n"
            f"  sipdocs PdfBackend   : {r['sipdocs_median_ms']:7.1f} ms/doc median, {r['sipdocs_docs_per_s']:5.2f} docs/s\n"
            f"  ratio naive/sipdocs  : {r['ratio']:.2f}x per core (goal >= {r['goal']}x) "
            f"{'OK' if r['ratio'] >= r['goal'] else 'MISSED'}")


if __name__ == "__main__":
    print(report(run()))
