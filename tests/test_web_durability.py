"""A real server killed with `kill -9` mid-edit keeps every acknowledged save; no personal value
(and not the token) ever reaches its log (issue 18, scopes 3 and 7)."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time

import pytest

from .conftest import load_sample

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx2")

TOKEN = "durability-token-5678"


def signed_in(server) -> tuple[object, str]:
    client = httpx.Client(base_url=server.url, timeout=60)
    client.get(f"/?token={server.token}")
    csrf = re.search(r'name="_csrf" value="([0-9a-f]+)"', client.get("/").text).group(1)
    return client, csrf


def new_case(client, csrf) -> str:
    response = client.post("/cases", data={"_csrf": csrf, "pack": "national", "doc_lang": "sv"})
    return re.fullmatch(r"/cases/([A-Za-z0-9_-]+)", response.headers["location"]).group(1)


def test_kill_9_mid_edit_keeps_every_acknowledged_save(tmp_path):
    from .webserver import Server

    data_dir = tmp_path / "data"
    server = Server(data_dir, token=TOKEN).start()
    try:
        client, csrf = signed_in(server)
        case_id = new_case(client, csrf)
        acked: dict[int, str] = {}
        stop = threading.Event()

        def edit() -> None:
            """Autosave after every 'keystroke', as htmx does, until the server dies."""
            base, n = 0, 0
            while not stop.is_set():
                n += 1
                text = f"Utkast {n}"
                try:
                    response = client.post(f"/cases/{case_id}/docs/plan/autosave", headers={"HX-Request": "true"},
                                           data={"_csrf": csrf, "_base_version": str(base), "_editor": "tab",
                                                 "summary": text})
                except httpx.TransportError:
                    return
                found = re.search(r'name="_base_version" value="(\d+)"', response.text)
                if response.status_code == 200 and found:
                    base = int(found.group(1))
                    acked[base] = text

        worker = threading.Thread(target=edit)
        worker.start()
        deadline = time.monotonic() + 30
        while len(acked) < 25 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill9()  # mid-edit: saves are in flight
        stop.set()
        worker.join(30)
        client.close()
        assert len(acked) >= 25
        last = max(acked)

        server = Server(data_dir, token=TOKEN).start()
        client, csrf = signed_in(server)
        html = client.get(f"/cases/{case_id}/docs/plan").text
        shown = int(re.search(r'name="_base_version" value="(\d+)"', html).group(1))
        assert shown >= last
        with sqlite3.connect(data_dir / "sipdocs.sqlite3") as db:
            rows = dict(db.execute("SELECT version, data FROM versions WHERE case_id=? AND kind='plan'",
                                   (case_id,)).fetchall())
        for version, text in acked.items():  # every acknowledged version, with what was sent
            assert json.loads(rows[version])["summary"] == text
        with sqlite3.connect(data_dir / "sipdocs.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        client.close()
    finally:
        server.stop()


PROBE = "Zqxprobe Hemligsdotter"
PROBE_PN = "20121212-1212"  # a test-looking number that is not in any sample


def test_no_personal_value_or_token_in_any_log_line(tmp_path):
    from .webserver import Server

    with Server(tmp_path / "data", token=TOKEN) as server:
        client, csrf = signed_in(server)
        case_id = new_case(client, csrf)
        doc = load_sample("invitation")
        doc["child"]["name"] = PROBE
        doc["child"]["personal_number"] = PROBE_PN
        doc["guardians"][0]["email"] = "zqxprobe@@broken"      # an invalid value: an issue about it
        pairs = {"_csrf": csrf, "_base_version": "0", "child.name": PROBE, "child.personal_number": PROBE_PN,
                 "guardians.0.__row": "1", "guardians.0.email": "zqxprobe@@broken", "purpose": PROBE}
        client.post(f"/cases/{case_id}/docs/invitation", data=pairs)
        client.post(f"/cases/{case_id}/docs/invitation/autosave", headers={"HX-Request": "true"},
                    data={**pairs, "_base_version": "1"})
        client.post(f"/cases/{case_id}/docs/invitation/autosave", headers={"HX-Request": "true"},
                    data={**pairs, "_base_version": "0"})  # a conflict
        client.get(f"/cases/{case_id}/docs/invitation/download.pdf")  # invalid: 422
        client.post("/cases/upload", data={"_csrf": csrf},
                    files={"file": ("x.json", json.dumps(doc).encode(), "application/json")})
        client.post("/cases/upload", data={"_csrf": csrf},
                    files={"file": ("x.yaml", f"kind: plan\nsummary: [{PROBE}\n".encode(), "application/x-yaml")})
        api = {"Authorization": f"Bearer {TOKEN}"}
        client.post("/api/v1/validate", json=doc, headers=api)
        client.post("/api/v1/render?format=pdf", json=doc, headers=api)
        good = load_sample("plan")
        good["child"]["name"] = PROBE
        assert client.post("/api/v1/render?format=pdf", json=good, headers=api).status_code == 200
        client.post("/api/v1/prefill/plan", json=[doc], headers=api)
        client.post("/api/v1/validate", content=f'{{"kind": "plan", "x": "{PROBE}"'.encode(), headers=api)
        client.get(f"/?token={PROBE}")  # a wrong token that is a value
        client.get("/?token=" + TOKEN)
        client.close()
        time.sleep(0.5)
        log = server.log_text()
        printed = server.stdout.read_text(encoding="utf-8")
    assert f"{server.url}/?token={TOKEN}" in printed  # the sign-in link is printed at start, to stdout
    lines = [line for line in log.splitlines() if " sipdocs.web: " in line]
    assert len(lines) >= 12  # the requests were logged …
    for needle in (PROBE, "Zqxprobe", PROBE_PN, "zqxprobe", "Hemligsdotter", TOKEN):
        assert needle not in log, needle  # … without a value, and without the token


def test_render_workers_are_ready_before_the_first_request():
    """The server's start-up warms every render worker with a real PDF (WeasyPrint loaded, fonts
    and the plan template ready), so a convener's first preview is not the slow one."""
    import asyncio

    from sipdocs.web.workers import RenderPool

    pool = RenderPool(1)
    try:
        [(pid, ready)] = asyncio.run(pool.warm())
        assert pid > 0 and ready == ("pdf",)
        t0 = time.perf_counter()
        blob = asyncio.run(pool.render(load_sample("plan"), ("pdf",)))["pdf"][0]
        assert blob.startswith(b"%PDF-") and time.perf_counter() - t0 < 3.0
    finally:
        pool.close()
