"""Load test of `sipdocs serve` on loopback (`make bench`, or `python -m bench.web`).

A real server (two render workers) on 127.0.0.1 and 10 concurrent clients for 60 s. Each
client is a convener editing the sample plan in its own case: an autosave round trip (save a
new version, validate it with sipdocs.validate, answer with the issues next to their fields)
about every 0.5 s, as the form does while someone types, and every 10th time a PDF preview of
the version just saved (a fresh render: the document changed). Goals (issue 18): p95 validate
round trip < 100 ms, p95 PDF preview < 1.5 s, zero errors. Bounded: it stops by itself and
only talks to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("SIPDOCS_BENCH_CLIENTS", "10"))
SECONDS = float(os.environ.get("SIPDOCS_BENCH_SECONDS", "60"))
THINK = 0.5          # seconds between a client's autosaves
PREVIEW_EVERY = 10   # every n-th autosave is followed by a preview
TOKEN = "bench-token-" + os.urandom(8).hex()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flat(data, prefix=""):
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k not in ("kind", "pack", "lang"):
                out += _flat(v, f"{prefix}{k}.")
    elif isinstance(data, list):
        if data and all(isinstance(v, dict) for v in data):
            for i, v in enumerate(data):
                out.append((f"{prefix}{i}.__row", "1"))
                out += _flat(v, f"{prefix}{i}.")
        elif prefix.rstrip(".").split(".")[-1] in ("needs", "short_term_goals"):
            out.append((prefix.rstrip("."), "\n".join(data)))
        else:
            out += [(prefix.rstrip("."), str(v)) for v in data]
    elif isinstance(data, bool):
        out.append((prefix.rstrip("."), "true" if data else "false"))
    else:
        out.append((prefix.rstrip("."), str(data)))
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values or [0.0])


def _client(url: str, plan: dict, stop: threading.Event, out: dict) -> None:
    from urllib.parse import urlencode

    import httpx2 as httpx

    with httpx.Client(base_url=url, timeout=60) as c:
        c.get(f"/?token={TOKEN}")
        csrf = re.search(r'name="_csrf" value="([0-9a-f]+)"', c.get("/").text).group(1)
        location = c.post("/cases", data={"_csrf": csrf, "pack": "national", "doc_lang": "sv"}).headers["location"]
        doc = f"{location}/docs/plan"
        base, n = 0, 0
        pairs = _flat(plan)
        while not stop.is_set():
            n += 1
            body = [("_csrf", csrf), ("_base_version", str(base)), ("_editor", "bench"),
                    *[(k, f"{v} {n}" if k == "summary" else v) for k, v in pairs]]
            t0 = time.perf_counter()
            r = c.post(f"{doc}/autosave", content=urlencode(body).encode(),
                       headers={"HX-Request": "true", "content-type": "application/x-www-form-urlencoded"})
            elapsed = time.perf_counter() - t0
            found = re.search(r'name="_base_version" value="(\d+)"', r.text)
            if r.status_code != 200 or not found or "Inga fel" not in r.text:
                out["errors"].append(f"autosave {r.status_code}")
            else:
                base = int(found.group(1))
                out["validate"].append(elapsed)
            if n % PREVIEW_EVERY == 0 and base:
                t0 = time.perf_counter()
                r = c.get(f"{doc}/preview.pdf?v={base}")
                elapsed = time.perf_counter() - t0
                if r.status_code != 200 or not r.content.startswith(b"%PDF-"):
                    out["errors"].append(f"preview {r.status_code}")
                else:
                    out["preview"].append(elapsed)
            stop.wait(THINK)


def run() -> dict:
    port = _port()
    url = f"http://127.0.0.1:{port}"
    data = tempfile.mkdtemp(prefix="sipdocs-bench-web-")
    env = dict(os.environ, SIPDOCS_TOKEN=TOKEN, PYTHONPATH=str(REPO))
    log = open(Path(data) / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "sipdocs", "serve", "--port", str(port), "--data", data,
                             "--no-browser", "--workers", "2"], stdout=log, stderr=log, env=env,
                            start_new_session=True)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/static/app.css", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        plan = json.loads((REPO / "samples" / "plan.json").read_text(encoding="utf-8"))
        out: dict = {"validate": [], "preview": [], "errors": []}
        stop = threading.Event()
        threads = [threading.Thread(target=_client, args=(url, plan, stop, out)) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(SECONDS)
        stop.set()
        for t in threads:
            t.join(120)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    return {
        "clients": CLIENTS, "seconds": SECONDS,
        "validate_n": len(out["validate"]), "validate_p50_ms": 1000 * statistics.median(out["validate"] or [0]),
        "validate_p95_ms": 1000 * p95(out["validate"]),
        "preview_n": len(out["preview"]), "preview_p50_s": statistics.median(out["preview"] or [0]),
        "preview_p95_s": p95(out["preview"]), "errors": len(out["errors"]),
    }


def main() -> int:
    r = run()
    ok_v, ok_p, ok_e = r["validate_p95_ms"] < 100, r["preview_p95_s"] < 1.5, r["errors"] == 0
    print(f"\nweb app, {r['clients']} clients × {r['seconds']:.0f} s on loopback (2 render workers)")
    print("| measurement | n | p50 | p95 | goal |")
    print("|---|---|---|---|---|")
    print(f"| autosave + validate round trip (sample plan) | {r['validate_n']} | {r['validate_p50_ms']:.0f} ms | "
          f"{r['validate_p95_ms']:.0f} ms | < 100 ms {'✔' if ok_v else '✘'} |")
    print(f"| PDF preview of the sample plan (fresh render) | {r['preview_n']} | {r['preview_p50_s']:.2f} s | "
          f"{r['preview_p95_s']:.2f} s | < 1.5 s {'✔' if ok_p else '✘'} |")
    print(f"| errors | {r['errors']} | | | 0 {'✔' if ok_e else '✘'} |")
    return 0 if ok_v and ok_p and ok_e else 1


if __name__ == "__main__":
    sys.exit(main())
