"""The JSON API of `sipdocs serve` (issue 18, scope 6): every endpoint, its errors, and the
README's curl examples run against a real server."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, SAMPLES, load_sample

pytest.importorskip("starlette")

TOKEN = "api-test-token-abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from starlette.testclient import TestClient

    from sipdocs.web.app import Config, create_app

    config = Config(token=TOKEN, data_dir=tmp_path_factory.mktemp("api-data"), workers=1, max_body=256 * 1024)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as c:
        yield c


def pdf_text(blob: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(blob)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("method,path", [
    ("get", "/api/v1/kinds"), ("get", "/api/v1/schemas/plan"), ("post", "/api/v1/validate"),
    ("post", "/api/v1/render"), ("post", "/api/v1/prefill/plan"), ("get", "/api/v1/openapi.json")])
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer "])
def test_every_endpoint_needs_the_bearer_token(client, method, path, header):
    headers = {"Authorization": header} if header else {}
    response = getattr(client, method)(path, headers=headers, **({"json": {}} if method == "post" else {}))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.required"
    assert response.headers["www-authenticate"] == "Bearer"


def test_kinds(client):
    body = client.get("/api/v1/kinds", headers=AUTH).json()
    assert [k["id"] for k in body["kinds"]] == ["invitation", "consent", "plan", "followup", "closure", "intake_note"]
    assert body["kinds"][0]["name_sv"] == "Kallelse till SIP-möte"


def test_schema_and_wrong_kind(client):
    schema = client.get("/api/v1/schemas/consent", headers=AUTH).json()
    assert schema["$id"] == "urn:sipdocs:schema:consent" and "$defs" in schema
    response = client.get("/api/v1/schemas/letter", headers=AUTH)
    assert response.status_code == 404 and response.json()["error"]["code"] == "input.unknown_kind"


def test_validate_returns_the_library_issues(client):
    body = client.post("/api/v1/validate", headers=AUTH, json=load_sample("plan")).json()
    assert body["ok"] is True and body["kind"] == "plan"
    invalid = json.loads((SAMPLES / "invalid" / "consent.invalid.json").read_text(encoding="utf-8"))
    expected = json.loads((SAMPLES / "invalid" / "consent.expected.json").read_text(encoding="utf-8"))
    body = client.post("/api/v1/validate", headers=AUTH, json=invalid).json()
    assert body["ok"] is False
    got = [(i["code"], i["pointer"], i["level"]) for i in body["issues"]]
    want = [tuple(e) if isinstance(e, list) else (e["code"], e["pointer"], e["level"])
            for e in (expected["issues"] if isinstance(expected, dict) else expected)]
    assert sorted(got) == sorted(want)
    first = body["issues"][0]
    assert set(first) >= {"code", "pointer", "level", "message", "message_sv"}


def test_validate_wrong_kind_and_not_an_object(client):
    body = client.post("/api/v1/validate", headers=AUTH, json={"kind": "letter"}).json()
    assert body["ok"] is False and body["issues"][0]["code"] == "input.unknown_kind"
    body = client.post("/api/v1/validate", headers=AUTH, json=[1, 2]).json()
    assert body["issues"][0]["code"] == "input.not_an_object"


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00", b""])
def test_bad_json_is_400_input_unreadable(client, raw):
    for path in ("/api/v1/validate", "/api/v1/render", "/api/v1/prefill/plan"):
        response = client.post(path, headers={**AUTH, "content-type": "application/json"}, content=raw)
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == "input.unreadable"


def test_oversize_body_is_413(client):
    big = json.dumps({"kind": "plan", "summary": "x" * 300_000}).encode()
    for path in ("/api/v1/validate", "/api/v1/render", "/api/v1/prefill/plan"):
        response = client.post(path, headers={**AUTH, "content-type": "application/json"}, content=big)
        assert response.status_code == 413 and response.json()["error"]["code"] == "input.too_large"

    # the same without a Content-Length (chunked): the cap holds while reading
    def chunks():
        for _ in range(40):
            yield b" " * 10_000
    response = client.post("/api/v1/validate", headers={**AUTH, "content-type": "application/json"},
                           content=chunks())
    assert response.status_code == 413


def test_render_pdf_and_docx(client, tmp_path):
    response = client.post("/api/v1/render?format=pdf", headers=AUTH, json=load_sample("plan"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "Samordnad individuell plan" in text and "Alex Testsson" in text
    response = client.post("/api/v1/render?format=docx", headers=AUTH, json=load_sample("consent"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "Alex Testsson" in z.read("word/document.xml").decode()


def test_render_invalid_is_422_with_issues_and_bad_format_is_400(client):
    invalid = json.loads((SAMPLES / "invalid" / "plan.invalid.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/render?format=pdf", headers=AUTH, json=invalid)
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "input.invalid" and body["issues"]
    assert all(i["level"] in ("error", "warning") for i in body["issues"])
    response = client.post("/api/v1/render?format=odt", headers=AUTH, json=load_sample("plan"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "render.unknown_format"
    response = client.post("/api/v1/render", headers=AUTH, json={"kind": "plan", "pack": "no-such-pack"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "pack.not_found"


def test_prefill(client):
    body = client.post("/api/v1/prefill/plan", headers=AUTH,
                       json=[load_sample("invitation"), load_sample("consent")]).json()
    assert body["kind"] == "plan" and len(body["attendees"]) == 4
    same = client.post("/api/v1/prefill/plan", headers=AUTH,
                       json={"documents": [load_sample("invitation"), load_sample("consent")]}).json()
    assert same == body
    response = client.post("/api/v1/prefill/letter", headers=AUTH, json=[])
    assert response.status_code == 404 and response.json()["error"]["code"] == "input.unknown_kind"
    response = client.post("/api/v1/prefill/plan", headers=AUTH, json={"documents": "x"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "input.not_an_object"


def test_openapi_embeds_every_kind_schema(client):
    doc = client.get("/api/v1/openapi.json", headers=AUTH).json()
    assert doc["openapi"].startswith("3.1")
    for kind in ("invitation", "consent", "plan", "followup", "closure", "intake_note"):
        assert doc["components"]["schemas"][kind]["$id"] == f"urn:sipdocs:schema:{kind}"
    assert set(doc["paths"]) == {"/api/v1/kinds", "/api/v1/schemas/{kind}", "/api/v1/validate",
                                 "/api/v1/render", "/api/v1/prefill/{kind}", "/api/v1/openapi.json"}
    # every $ref into the components resolves
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs <= set(doc["components"]["schemas"])


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing", headers=AUTH)
    assert response.status_code == 404 and response.json()["error"]["code"] == "http.error"


# -- the README's curl examples, against a real server ---------------------------------------------

def readme_curl_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- api-curl:start -->", 1)[1].split("<!-- api-curl:end -->", 1)[0]
    code = block.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_curl_examples_run(tmp_path):
    from .webserver import Server

    lines = readme_curl_lines()
    assert any("/api/v1/render" in line for line in lines) and any("/api/v1/prefill" in line for line in lines)
    (tmp_path / "samples").symlink_to(SAMPLES)
    with Server(tmp_path / "data", token=TOKEN) as server:
        outputs = []
        for line in lines:
            command = line.replace("http://127.0.0.1:8765", server.url)
            result = subprocess.run(["bash", "-c", "set -o pipefail; " + command], cwd=tmp_path, capture_output=True,
                                    text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "SIPDOCS_TOKEN": TOKEN})
            assert result.returncode == 0, (line, result.stderr)
            outputs.append(result.stdout)
    assert (tmp_path / "plan.pdf").read_bytes()[:5] == b"%PDF-"
    assert any('"ok": true' in o or '"ok":true' in o for o in outputs)


def test_render_time_limit_is_504_render_timeout(tmp_path):
    from starlette.testclient import TestClient

    from sipdocs.web.app import Config, create_app

    config = Config(token=TOKEN, data_dir=tmp_path, workers=1)
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        # templates compiled, fonts loaded: the next render is pure rendering
        assert c.post("/api/v1/render?format=pdf", headers=AUTH, json=load_sample("plan")).status_code == 200
        app.state.sipdocs.pool.time_limit = 0.05
        response = c.post("/api/v1/render?format=pdf", headers=AUTH, json=load_sample("plan"))
    assert response.status_code == 504, response.text
    assert response.json()["error"]["code"] == "render.timeout"
