"""PDF: the naive WeasyPrint loop vs sipdocs' PDF backend, same template, same contexts.

naive   = per document: the HTML template rendered with a plain Jinja environment, QR codes
          generated anew (the same PNG sipdocs embeds) as data URIs,
          ``HTML(string=…).write_pdf(stylesheets=[CSS(filename=…)])`` — the stylesheet read and
          parsed, fonts loaded, for every document — with the same PDF options as sipdocs
          (tagged PDF/A-2a), so both do the same work per page.
sipdocs = ``PdfBackend.render``: stylesheet parsed once, one shared ``FontConfiguration``,
          WeasyPrint's image cache, QR codes cached per URL, the collector paused, streams
          compressed at zlib level 6, plus the PDF/UA+A finisher — and the fast paths that reach
          into WeasyPrint's internals (``sipdocs/backends/_weasyprint_compat.py``): HTML parsed
          by Lexbor, computed styles kept, the encoded image streams kept. None of it patches
          WeasyPrint or pydyf, so the naive loop in the same process runs them as shipped.

``python -m bench.pdf --fast-paths [N]`` measures what each fast path saves: the same documents
rendered, one after another, with every fast path on, with each one off alone
(``SIPDOCS_FAST_PATHS_OFF``), with all off (``SIPDOCS_FAST_PATHS=0``) and by the naive loop; a
fast path's gain is the median over the documents of (its time off − the time all on).
"""

from __future__ import annotations

import base64
import ctypes.util
import statistics
import time
from typing import Any

from bench.workload import bench_pack, built_templates, fresh_qr_png, inputs


def _naive_html(env: Any, ctx: dict[str, Any]) -> str:
    from sipdocs.images import Image, map_images

    def fresh(img: Image) -> Any:
        if not img.alt.startswith("QR"):
            return img
        return {"data_uri": "data:image/png;base64," + base64.b64encode(fresh_qr_png(ctx, img)).decode(),
                "alt": img.alt, "width_mm": img.width_mm, "height_mm": img.height_mm}

    return env.get_template("invitation.html").render(map_images(ctx, fresh))


def run(n: int = 50) -> dict[str, Any]:
    from jinja2 import Environment, FileSystemLoader
    from weasyprint import CSS, HTML

    import sipdocs
    from sipdocs.backends import RenderJob, RenderOptions
    from sipdocs.backends.pdf import PdfBackend
    from sipdocs.templating import html_link, html_mailto, join_isolated, nothing_for_none

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


def run_fast_paths(n: int = 60) -> dict[str, Any]:
    """Per-document times with each fast path off alone (see the module docstring)."""
    import os

    from jinja2 import Environment, FileSystemLoader
    from weasyprint import CSS, HTML

    import sipdocs
    from sipdocs.backends import RenderJob, RenderOptions, _weasyprint_compat
    from sipdocs.backends.pdf import PdfBackend
    from sipdocs.templating import html_link, html_mailto, join_isolated, nothing_for_none

    names = [path.name for path in _weasyprint_compat.FAST_PATHS]
    configurations = ["all on", *names, "all off"]
    pack = sipdocs.load_pack(str(bench_pack()))
    contexts = [sipdocs.build_context(d, pack) for d in inputs(n + 1, seed=3)]
    templates = built_templates(pack)
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True, finalize=nothing_for_none)
    env.filters.update(join_isolated=join_isolated, link=html_link, mailto=html_mailto)
    backends = {name: PdfBackend(RenderOptions()) for name in configurations}

    def render(name: str, ctx: dict[str, Any]) -> float:
        os.environ.pop("SIPDOCS_FAST_PATHS", None)
        os.environ.pop("SIPDOCS_FAST_PATHS_OFF", None)
        if name == "all off":
            os.environ["SIPDOCS_FAST_PATHS"] = "0"
        elif name != "all on":
            os.environ["SIPDOCS_FAST_PATHS_OFF"] = name
        backend = backends[name]
        job = RenderJob("invitation", pack, "sv", ctx, backend.options)
        t = time.perf_counter()
        backend.render(job)
        return time.perf_counter() - t

    for name in configurations:  # warm-up: first font load, template compile, first kept styles
        render(name, contexts[0])
    _naive_pdf(env, contexts[0], str(pack.stylesheet), str(templates) + "/", HTML, CSS)
    times: dict[str, list[float]] = {name: [] for name in [*configurations, "naive"]}
    for ctx in contexts[1:]:
        t = time.perf_counter()
        _naive_pdf(env, ctx, str(pack.stylesheet), str(templates) + "/", HTML, CSS)
        times["naive"].append(time.perf_counter() - t)
        for name in configurations:
            times[name].append(render(name, ctx))
    os.environ.pop("SIPDOCS_FAST_PATHS", None)
    os.environ.pop("SIPDOCS_FAST_PATHS_OFF", None)
    on = times["all on"]
    return {
        "documents": n,
        "median_ms": {name: statistics.median(t) * 1000 for name, t in times.items()},
        "gain_ms": {name: statistics.median(off - base for off, base in zip(times[name], on)) * 1000
                    for name in [*names, "all off"]},
        "ratio": {name: sum(times["naive"]) / sum(t) for name, t in times.items() if name != "naive"},
    }


def report_fast_paths(r: dict[str, Any]) -> str:
    base = r["median_ms"]["all on"]
    lines = [f"PDF fast paths, national invitation, N={r['documents']} (median ms per document; "
             f"gain = median of paired differences with every fast path on)",
             f"  {'configuration':32} {'ms/doc':>8} {'gain ms':>8} {'gain %':>7} {'naive/x':>8}"]
    for name, median in r["median_ms"].items():
        gain = r["gain_ms"].get(name)
        shown = "" if gain is None else f"{gain:8.1f} {gain / base * 100:6.1f}%"
        ratio = r["ratio"].get(name)
        lines.append(f"  {('off: ' if gain is not None and name != 'all off' else '') + name:32} {median:8.1f} "
                     f"{shown:>16} {'' if ratio is None else f'{ratio:7.2f}x':>8}")
    return "\n".join(lines)


def report(r: dict[str, Any]) -> str:
    return (f"PDF, national invitation, 8 participants, 5 QR codes, N={r['documents']} "
            f"(hb-subset {'present' if r['hb_subset'] else 'MISSING'})\n"
            f"  naive WeasyPrint loop: {r['naive_median_ms']:7.1f} ms/doc median, {r['naive_docs_per_s']:5.2f} docs/s\n"
            f"  sipdocs PdfBackend   : {r['sipdocs_median_ms']:7.1f} ms/doc median, "
            f"{r['sipdocs_docs_per_s']:5.2f} docs/s\n"
            f"  ratio naive/sipdocs  : {r['ratio']:.2f}x per core (goal >= {r['goal']}x) "
            f"{'OK' if r['ratio'] >= r['goal'] else 'MISSED'}")


if __name__ == "__main__":
    import sys

    if "--fast-paths" in sys.argv:
        count = [int(a) for a in sys.argv[1:] if a.isdigit()]
        print(report_fast_paths(run_fast_paths(*count)))
    else:
        print(report(run()))
