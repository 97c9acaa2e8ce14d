from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.compose import build_api, build_services
from service.config import Settings
from service.llm.errors import ModelUnavailable
from tests.conftest import ARTICLES, make_backend
from tests.fakes import reader_responder

SEED = next(ARTICLES.glob("003*.txt"))  # its headline needs the model


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = build_api(build_services(settings, backend=make_backend()), warm=False)
    with TestClient(app) as c:
        yield c


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_summary_from_json(client: TestClient) -> None:
    text = SEED.read_text()
    r = client.post(
        "/v1/summaries", json={"text": text, "url": "https://www.example.org/a", "max_words": 30}
    )
    assert r.status_code == 200
    body = r.json()
    assert {"summary", "claims", "entities", "removed", "usage", "provenance"} <= set(body)
    for claim in body["claims"]:
        assert {"id", "text", "speaker", "kind", "evidence"} <= set(claim)
        for span in claim["evidence"]:
            assert text[span["start"] : span["end"]] == span["quote"]
    assert any(c["speaker"] == "example.org" for c in body["claims"])  # outlet voice from the URL


def test_summary_from_plain_text_and_html_bodies(client: TestClient) -> None:
    r = client.post(
        "/v1/summaries?max_words=20",
        content=SEED.read_bytes(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert r.status_code == 200
    html = (Path(__file__).parent / "fixtures" / "article.html").read_bytes()
    r = client.post("/v1/summaries", content=html, headers={"content-type": "text/html"})
    assert r.status_code == 200 and r.json()["source"]["input_type"] == "html"


@pytest.mark.parametrize(
    ("content", "ctype", "status", "code"),
    [
        (b'{"text": "   "}', "application/json", 422, "empty_article"),
        (b"\xff\xfe\x00\x01binary", "text/plain", 400, "binary_content"),
        (b"caf\xe9 au lait was served.", "text/plain", 400, "invalid_encoding"),
        (b"{not json", "application/json", 400, "invalid_json"),
        (b"[1, 2]", "application/json", 400, "invalid_json"),
        (b'{"text": "a", "html": "b"}', "application/json", 422, "invalid_request"),
        (b'{"text": "ok text", "max_words": 2}', "application/json", 422, "invalid_request"),
        (b"GIF89a", "image/gif", 415, "unsupported_media_type"),
        (b"Share\nLeave a Reply\n", "text/plain", 422, "empty_article"),
    ],
)
def test_bad_input_gets_a_clear_4xx(
    client: TestClient, content: bytes, ctype: str, status: int, code: str
) -> None:
    r = client.post("/v1/summaries", content=content, headers={"content-type": ctype})
    assert r.status_code == status, r.text
    assert _error(r)["code"] == code


def test_oversized_input_is_refused(tmp_path: Path) -> None:
    app = build_api(
        build_services(Settings(cache_dir=tmp_path, max_input_bytes=2_000), backend=make_backend()),
        warm=False,
    )
    with TestClient(app) as c:
        r = c.post("/v1/summaries", json={"text": "word " * 1000})
        assert r.status_code == 413 and _error(r)["code"] == "input_too_large"


def test_model_outage_is_503_with_retry_after(settings: Settings) -> None:
    def down(messages, kwargs):
        raise ConnectionRefusedError("refused")

    app = build_api(build_services(settings, backend=make_backend(down)), warm=False)
    with TestClient(app) as c:
        r = c.post("/v1/summaries", json={"text": SEED.read_text()})
        assert r.status_code == 503
        assert _error(r)["code"] == "model_unavailable"
        assert "Retry-After" in r.headers


def test_invalid_model_output_is_502(settings: Settings) -> None:
    app = build_api(build_services(settings, backend=make_backend(lambda m, k: "{")), warm=False)
    with TestClient(app) as c:
        r = c.post("/v1/summaries", json={"text": SEED.read_text()})
        assert r.status_code == 502
        assert _error(r)["code"] in ("model_error", "model_invalid_output")


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    assert _error(client.get("/v1/nope"))["code"] == "not_found"
    assert _error(client.get("/v1/summaries"))["code"] == "method_not_allowed"


def test_health_and_readiness(settings: Settings) -> None:
    gate = threading.Event()

    class SlowLoad:
        def __init__(self) -> None:
            self.inner = make_backend()

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def load(self) -> None:
            gate.wait(5)

        def ready(self) -> bool:
            return gate.is_set()

    services = build_services(settings, backend=SlowLoad())  # type: ignore[arg-type]
    with TestClient(build_api(services)) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/readyz").status_code == 503
        gate.set()
        assert c.get("/readyz").status_code == 200


def test_readiness_reports_a_failed_load(settings: Settings) -> None:
    class Broken:
        model_id = "scripted:broken"

        def load(self) -> None:
            raise ModelUnavailable("weights missing")

        def ready(self) -> bool:
            return False

    services = build_services(settings, backend=Broken())  # type: ignore[arg-type]
    services.engine.warm()
    with TestClient(build_api(services, warm=False)) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_unavailable"


def test_openapi_documents_the_routes_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/v1/summaries"]["post"]
    assert {"200", "400", "413", "415", "422", "502", "503"} <= set(post["responses"])
    assert {"application/json", "text/plain", "text/html"} <= set(post["requestBody"]["content"])


def test_cli_gives_the_same_claims_as_the_api(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.engine as engine_module

    api = client.post("/v1/summaries", json={"text": SEED.read_text()}).json()
    real_init = engine_module.Engine.__init__

    def with_fake(self, settings, **kwargs):
        real_init(self, settings, **(kwargs | {"backend": make_backend(reader_responder)}))

    monkeypatch.setattr(engine_module.Engine, "__init__", with_fake)
    from service.cli import app

    result = CliRunner().invoke(app, ["summarize", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    strip = lambda claims: [
        {k: c[k] for k in ("id", "text", "speaker", "kind", "evidence")} for c in claims
    ]
    assert strip(cli["claims"]) == strip(api["claims"])


def test_cli_reports_bad_files_and_exits_non_zero(tmp_path: Path) -> None:
    from service.cli import app

    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa not utf8")
    result = CliRunner().invoke(app, ["summarize", str(bad), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "invalid_encoding" in result.stderr and "cannot read" in result.stderr
