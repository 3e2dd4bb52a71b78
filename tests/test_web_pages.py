"""The web app's pages without a browser (issue 18, scopes 2–5 and 7): access, CSRF, headers,
forms from the schemas, autosave with versions and conflicts, files, deletion, retention."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import zipfile

import pytest

from .conftest import REPO, SAMPLES, load_sample

pytest.importorskip("starlette")

TOKEN = "pages-test-token-123456"
CHILD = "Alex Testsson"


@pytest.fixture(scope="module")
def app_and_dir(tmp_path_factory):
    from starlette.testclient import TestClient

    from sipdocs.web.app import Config, create_app

    data_dir = tmp_path_factory.mktemp("pages-data")
    config = Config(token=TOKEN, data_dir=data_dir, workers=1)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as c:
        yield c, data_dir


@pytest.fixture
def client(app_and_dir):
    c = app_and_dir[0]
    c.cookies.clear()
    c.get(f"/?token={TOKEN}")
    return c


def csrf(client) -> str:
    return re.search(r'name="_csrf" value="([0-9a-f]+)"', client.get("/").text).group(1)


def new_case(client, pack="national", lang="sv") -> str:
    response = client.post("/cases", data={"_csrf": csrf(client), "pack": pack, "doc_lang": lang},
                           follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def flat(data, prefix=""):
    """A document as the (name, value) pairs its form posts."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("kind", "pack", "lang"):
                continue
            out += flat(value, f"{prefix}{key}.")
    elif isinstance(data, list):
        if data and all(isinstance(v, dict) for v in data):
            for i, value in enumerate(data):
                out.append((f"{prefix}{i}.__row", "1"))
                out += flat(value, f"{prefix}{i}.")
        elif data and all(isinstance(v, str) for v in data) and prefix.rstrip(".").split(".")[-1] in (
                "needs", "short_term_goals", "enclosures"):
            out.append((prefix.rstrip("."), "\n".join(data)))
        else:
            out += [(prefix.rstrip("."), str(v)) for v in data]
    elif isinstance(data, bool):
        out.append((prefix.rstrip("."), "true" if data else "false"))
    else:
        out.append((prefix.rstrip("."), str(data)))
    return out


FORM = {"content-type": "application/x-www-form-urlencoded"}


def post_pairs(client, path, pairs, headers=None, **kwargs):
    """POST repeated form names (what a browser sends for checkboxes) as urlencoded content."""
    from urllib.parse import urlencode

    return client.post(path, content=urlencode(pairs).encode(), headers={**FORM, **(headers or {})}, **kwargs)


def save(client, case, kind, data, base, **extra):
    pairs = [("_csrf", csrf(client)), ("_base_version", str(base)), *flat(data), *extra.items()]
    return post_pairs(client, f"{case}/docs/{kind}", pairs, follow_redirects=False)


# -- access ---------------------------------------------------------------------------------------

def test_no_session_means_401_on_every_page(app_and_dir):
    c = app_and_dir[0]
    c.cookies.clear()
    for path in ("/", "/cases/x", "/cases/x/docs/plan", "/cases/x/docs/plan/download.pdf", "/cases/x/packet.pdf"):
        response = c.get(path)
        assert response.status_code == 401 and "?token=" in response.text and TOKEN not in response.text
    assert c.post("/cases", data={"pack": "national"}).status_code == 401
    assert c.get("/?token=wrong").status_code == 401


def test_token_is_exchanged_for_a_strict_httponly_cookie_and_dropped_from_the_url(app_and_dir):
    c = app_and_dir[0]
    c.cookies.clear()
    response = c.get(f"/?token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    page = c.get("/")
    assert page.status_code == 200 and TOKEN not in page.text


def test_security_headers_on_every_kind_of_response(client):
    for path in ("/", "/static/app.css", "/static/htmx.min.js", "/nothing-here"):
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_every_post_needs_the_csrf_value_and_same_origin(client):
    case = new_case(client)
    assert client.post("/cases", data={"pack": "national"}).status_code == 403
    assert client.post("/cases", data={"pack": "national", "_csrf": "0" * 64}).status_code == 403
    assert client.post(f"{case}/delete", data={}).status_code == 403
    response = client.post("/cases", data={"pack": "national", "_csrf": csrf(client)},
                           headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    assert client.get(case).status_code == 200  # still there


def test_pages_load_nothing_from_elsewhere_and_use_no_inline_script_or_style(client):
    case = new_case(client)
    client.post(f"{case}/docs/plan/start", data={"_csrf": csrf(client), "mode": "empty"})
    for path in ("/", case, f"{case}/docs/plan", f"{case}/delete"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href|action|hx-post)="([^"]*)"', html):
            assert url.startswith(("/", "#")), (path, url)
        assert "<style" not in html and " style=" not in html
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


# -- forms, validation, versions -----------------------------------------------------------------

def test_form_is_built_from_the_schema(client):
    case = new_case(client)
    html = client.get(f"{case}/docs/invitation").text
    assert '<label for="f-document_date">Datum' in html and 'type="date" id="f-document_date"' in html
    assert 'id="f-meeting-start_time"' in html and 'type="time"' in html
    # choices show the pack's labels, not the codes
    assert '<label for="f-meeting-form--in_person">Fysiskt möte</label>' in html
    # help text and the field's error container are tied to the input
    assert 'aria-describedby="help-document_date err-document_date"' in html
    # rows can be added without JavaScript
    assert 'name="_action" value="add:guardians"' in html
    # sections in the schema's property order
    order = [html.index(f'id="f-{key}"') for key in ("convener", "child", "guardians", "meeting", "invitees")]
    assert order == sorted(order)
    assert CHILD not in html


def test_no_js_save_round_trips_the_sample_and_shows_no_errors(client):
    case = new_case(client)
    sample = load_sample("invitation")
    response = save(client, case, "invitation", sample, 0)
    assert response.status_code == 303 and response.headers["location"].endswith("?checked=1")
    assert CHILD not in response.headers["location"]
    page = client.get(response.headers["location"])
    assert "Inga fel. Handlingen kan skapas." in page.text
    # the page title never names the child
    assert CHILD not in re.search(r"<title>(.*?)</title>", page.text).group(1)
    # what was stored is exactly the sample (the form posts what the schema allows)
    api = client.post("/api/v1/validate", json=sample, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert api["ok"]
    assert 'value="Alex Testsson"' in page.text


def test_errors_are_tied_to_their_fields_and_summarised_with_links(client):
    case = new_case(client)
    sample = load_sample("invitation")
    sample["child"]["personal_number"] = "20170101-2394"   # wrong check digit
    sample["meeting"]["end_time"] = "25:00"
    page = client.get(save(client, case, "invitation", sample, 0).headers["location"])
    html = page.text
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert "f-child-personal_number" in links and "f-meeting-end_time" in links
    for target in links:
        assert f'id="{target}"' in html
    field = html.split('id="err-child-personal_number">', 1)[1].split("</div>", 1)[0]
    assert "personnummer" in field.lower()
    assert re.search(r'id="f-child-personal_number"[^>]*aria-invalid="true"', html)
    assert "20170101-2394" not in summary and "20170101-2394" not in field  # messages carry no values
    assert "data-autofocus" in summary or 'data-autofocus' in html.split('id="error-summary"', 1)[1][:200]


def test_warnings_are_shown_apart(client):
    case = new_case(client)
    sample = load_sample("invitation")
    sample["document_date"] = "2026-05-01"   # less than 21 days before the meeting: a warning
    html = client.get(save(client, case, "invitation", sample, 0).headers["location"]).text
    assert 'class="warning-summary"' in html and "Inga fel" in html
    assert "invitation.short_notice" not in html  # messages, not codes


def test_add_and_remove_rows(client):
    case = new_case(client)
    response = save(client, case, "plan", {"needs": ["a"]}, 0, _action="add:guardians")
    assert response.headers["location"].endswith("#f-guardians-0")
    html = client.get(f"{case}/docs/plan").text
    assert 'id="f-guardians-0-name"' in html and 'id="f-guardians-1-name"' not in html
    response = save(client, case, "plan", {"needs": ["a"], "guardians": [{"name": "A"}, {"name": "B"}]}, 1,
                    **{"_action": "remove:guardians.0"})
    html = client.get(f"{case}/docs/plan").text
    assert 'value="B"' in html and 'value="A"' not in html


def test_every_save_is_a_new_version_and_a_stale_save_is_a_conflict(app_and_dir, client):
    _, data_dir = app_and_dir
    case = new_case(client)
    case_id = case.rsplit("/", 1)[1]
    assert save(client, case, "consent", {"information_covered": "v1"}, 0).status_code == 303
    assert save(client, case, "consent", {"information_covered": "v2"}, 1).status_code == 303
    stale = save(client, case, "consent", {"information_covered": "other tab"}, 1)
    assert stale.status_code == 409 and "version 2" in stale.text
    with sqlite3.connect(data_dir / "sipdocs.sqlite3") as db:
        rows = db.execute("SELECT version, data FROM versions WHERE case_id=? AND kind='consent' ORDER BY version",
                          (case_id,)).fetchall()
    assert [(v, json.loads(d)["information_covered"]) for v, d in rows] == [(1, "v1"), (2, "v2")]


def test_one_pages_own_autosave_racing_its_button_is_not_a_conflict(client):
    """An autosave in flight when the user presses a button: both are based on version 1 and come
    from the same page (editor), so the second is saved; another page's save still conflicts."""
    case = new_case(client)
    save(client, case, "consent", {"information_covered": "v1"}, 0)
    assert save(client, case, "consent", {"information_covered": "typed"}, 1, _editor="tab-a").status_code == 303
    assert save(client, case, "consent", {"information_covered": "typed more"}, 1, _editor="tab-a").status_code == 303
    assert save(client, case, "consent", {"information_covered": "tab b"}, 1, _editor="tab-b").status_code == 409
    assert save(client, case, "consent", {"information_covered": "tab b"}, 3, _editor="tab-b").status_code == 303


def test_autosave_ignores_the_last_clicked_button(client):
    """htmx sends a form's last-clicked submit button with its requests; an autosave must not
    repeat "add a row" (it did: one click gave two rows and swaps for fields not on the page)."""
    case = new_case(client)
    save(client, case, "plan", {"needs": ["a"]}, 0, _action="add:guardians")
    pairs = [("_csrf", csrf(client)), ("_base_version", "1"), ("guardians.0.__row", "1"),
             ("guardians.0.name", "Robin"), ("_action", "add:guardians")]
    response = post_pairs(client, f"{case}/docs/plan/autosave", pairs, headers={"HX-Request": "true"})
    assert "err-guardians-1" not in response.text
    html = client.get(f"{case}/docs/plan").text
    assert 'id="f-guardians-0-name"' in html and 'id="f-guardians-1-name"' not in html


def test_autosave_answers_with_out_of_band_swaps(client):
    case = new_case(client)
    pairs = [("_csrf", csrf(client)), ("_base_version", "0"), ("child.name", "X")]
    response = post_pairs(client, f"{case}/docs/invitation/autosave", pairs, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.text
    assert '<input type="hidden" id="base-version" name="_base_version" value="1" hx-swap-oob="true">' in html
    assert 'id="save-status" hx-swap-oob="innerHTML">Sparad, version 1' in html
    assert 'id="err-convener" hx-swap-oob="innerHTML">' in html
    assert 'id="issues" hx-swap-oob="innerHTML"><div class="error-summary"' in html
    # the same base again (another tab): a conflict, nothing saved
    response = post_pairs(client, f"{case}/docs/invitation/autosave", pairs, headers={"HX-Request": "true"})
    assert "Handlingen har ändrats någon annanstans" in response.text and "version 1" in response.text


def test_start_from_the_case_prefills(client):
    case = new_case(client)
    save(client, case, "invitation", load_sample("invitation"), 0)
    save(client, case, "consent", load_sample("consent"), 0)
    response = client.post(f"{case}/docs/plan/start", data={"_csrf": csrf(client), "mode": "prefill"},
                           follow_redirects=False)
    assert response.headers["location"].endswith("/docs/plan")
    html = client.get(response.headers["location"]).text
    assert 'id="f-attendees-3-organisation"' in html and 'value="Habiliteringen Testregionen"' in html
    assert 'value="Alex Testsson"' in html


# -- files -------------------------------------------------------------------------------------

def test_downloads_preview_ics_and_packet(client, tmp_path):
    from icalendar import Calendar

    case = new_case(client)
    save(client, case, "invitation", load_sample("invitation"), 0)
    save(client, case, "consent", load_sample("consent"), 0)
    docx = client.get(f"{case}/docs/invitation/download.docx")
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    assert CHILD not in docx.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert CHILD in z.read("word/document.xml").decode()
    preview = client.get(f"{case}/docs/invitation/preview.pdf?v=1")
    assert preview.headers["content-type"] == "application/pdf"
    assert preview.headers["content-disposition"].startswith("inline")
    (tmp_path / "p.pdf").write_bytes(preview.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Kallelse" in text and CHILD in text
    ics = client.get(f"{case}/docs/invitation/meeting.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["summary"]) == "SIP-möte"
    assert event.decoded("dtstart").isoformat() == "2026-05-12T13:00:00+02:00"
    assert event.decoded("dtend").isoformat() == "2026-05-12T15:00:00+02:00"
    assert str(event["location"]) == "Testskolan, konferensrum Ekorren"
    for person in ("Alex", "Testsson", "Robin", "Samira", "20170101"):
        assert person not in ics.text
    packet = client.get(f"{case}/packet.pdf")
    (tmp_path / "k.pdf").write_bytes(packet.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "k.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Kallelse" in text and "Samtycke" in text


def test_invalid_document_is_not_downloadable(client):
    case = new_case(client)
    save(client, case, "plan", {"needs": ["a"]}, 0)
    response = client.get(f"{case}/docs/plan/download.pdf")
    assert response.status_code == 422 and "Rätta felen" in response.text


def test_unknown_case_or_kind_is_404(client):
    assert client.get("/cases/nope").status_code == 404
    assert client.get("/cases/nope/docs/plan").status_code == 404
    case = new_case(client)
    assert client.get(f"{case}/docs/letter").status_code == 404


# -- deletion, retention, uploads ------------------------------------------------------------------

def test_delete_removes_every_row_of_the_case_and_says_so(app_and_dir, client):
    _, data_dir = app_and_dir
    case = new_case(client)
    case_id = case.rsplit("/", 1)[1]
    save(client, case, "invitation", load_sample("invitation"), 0)
    save(client, case, "invitation", {**load_sample("invitation"), "purpose": "Ändrat"}, 1)
    client.get(f"{case}/docs/invitation/download.docx")
    response = client.post(f"{case}/delete", data={"_csrf": csrf(client)})
    assert response.status_code == 200 and "2 versioner av handlingar" in response.text
    with sqlite3.connect(data_dir / "sipdocs.sqlite3") as db:
        for table, column in (("cases", "id"), ("versions", "case_id"), ("audit", "case_id")):
            assert db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column}=?", (case_id,)).fetchone() == (0,)
        # the whole database no longer holds the case's values
        dump = "\n".join(db.iterdump())
    assert case_id not in dump and "Ändrat" not in dump
    assert client.get(case).status_code == 404


def test_audit_log_holds_no_values(app_and_dir, client):
    _, data_dir = app_and_dir
    case = new_case(client)
    save(client, case, "invitation", load_sample("invitation"), 0)
    client.get(f"{case}/docs/invitation/download.pdf")
    with sqlite3.connect(data_dir / "sipdocs.sqlite3") as db:
        rows = db.execute("SELECT action, kind, version, detail FROM audit").fetchall()
    text = json.dumps(rows, ensure_ascii=False)
    assert "document.download.pdf" in text and "document.saved" in text
    for value in ("Alex", "Testsson", "20170101", "Kim Kurator", "example.org"):
        assert value not in text


def test_retention_purges_closed_cases_only(tmp_path):
    import time

    from sipdocs.web.store import Store

    store = Store(tmp_path / "s.sqlite3")
    old, recent, still_open = (store.create_case("national", "sv") for _ in range(3))
    for case in (old, recent, still_open):
        store.save(case.id, "plan", {"summary": "x"}, 0)
    store.set_closed(old.id, True)
    store.set_closed(recent.id, True)
    assert store.purge_closed(30, now=time.time() + 10 * 86400) == 0
    store._db.execute("UPDATE cases SET closed_at=? WHERE id=?", (time.time() - 40 * 86400, old.id))
    assert store.purge_closed(30) == 1
    assert {c.id for c in store.cases()} == {recent.id, still_open.id}
    assert store.latest(old.id, "plan") is None


def test_upload_starts_a_case_and_is_capped_and_safe(client):
    data = (SAMPLES / "consent.json").read_bytes()
    response = client.post("/cases/upload", data={"_csrf": csrf(client)},
                           files={"file": ("x.json", data, "application/json")}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("/docs/consent")
    assert 'value="Alex Testsson"' in client.get(response.headers["location"]).text
    hostile = b"kind: plan\nsummary: !!python/object/apply:os.system ['echo owned']\n"
    response = client.post("/cases/upload", data={"_csrf": csrf(client)},
                           files={"file": ("x.yaml", hostile, "application/x-yaml")})
    assert response.status_code == 422
    big = b'{"kind": "plan", "summary": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post("/cases/upload", data={"_csrf": csrf(client)},
                           files={"file": ("x.json", big, "application/json")})
    assert response.status_code in (400, 413, 422)
    laughs = "kind: plan\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi")) + "summary: [*i]\n"
    import time

    start = time.monotonic()
    response = client.post("/cases/upload", data={"_csrf": csrf(client)},
                           files={"file": ("x.yaml", laughs.encode(), "application/x-yaml")})
    assert response.status_code == 422 and time.monotonic() - start < 10  # aliases expand to 10⁹ values
    response = client.post("/cases/upload", data={"_csrf": csrf(client)},
                           files={"file": ("x.json", b'{"kind": "letter"}', "application/json")})
    assert response.status_code == 422 and "dokumenttyp" in response.text.lower()


def test_ui_language_switch(client):
    response = client.post("/ui", data={"_csrf": csrf(client), "ui": "en", "next": "/"}, follow_redirects=False)
    assert response.headers["location"] == "/"
    html = client.get("/").text
    assert '<html lang="en">' in html and "New case" in html
    response = client.post("/ui", data={"_csrf": csrf(client), "ui": "sv", "next": "//evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"
    assert '<html lang="sv">' in client.get("/").text


def test_non_loopback_host_needs_a_token(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "sipdocs", "serve", "--host", "0.0.0.0", "--no-browser",
                             "--data", str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "SIPDOCS_TOKEN" in result.stderr


def test_import_sipdocs_and_validate_stay_light():
    probe = ("import sys\nfrom sipdocs.cli import main\n"
             "try:\n    main(['validate', %r])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('starlette', 'uvicorn', 'icalendar', 'multipart', 'python_multipart', 'jinja2')"
             " if m in sys.modules))\n") % str(SAMPLES / "plan.json")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


def test_messages_name_fields_by_their_labels_not_pointers(client):
    """The library's English messages name a field by its JSON pointer; on a page the pointer
    becomes the field's label (with its row), in both UI languages."""
    case = new_case(client)
    save(client, case, "plan", {"interventions": [{"what": "Stöd"}]}, 0)
    for lang, missing in (("en", "Required field missing: Insatser 1 › Ansvarig verksamhet"),
                          ("sv", "Obligatoriskt fält saknas: Ansvarig verksamhet")):
        client.post("/ui", data={"_csrf": csrf(client), "ui": lang, "next": "/"})
        html = client.get(f"{case}/docs/plan").text
        summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
        assert missing in summary
        assert "/interventions" not in summary.replace('href="#f-interventions', "")
    client.post("/ui", data={"_csrf": csrf(client), "ui": "sv", "next": "/"})
