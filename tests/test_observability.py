"""Metrics, request ids, JSON logs and redaction, through apps built by create_app."""

from __future__ import annotations

import logging
import socket
import sys
import urllib.request
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.compose import build_api, build_services
from service.config import Settings
from service.logs import configure_logging
from service.metrics import Metrics
from tests.conftest import ARTICLES, make_backend
from tests.test_logs import json_lines, restore_logging  # noqa: F401 (a fixture)

SEED = next(ARTICLES.glob("004*.txt"))


def build(settings: Settings) -> FastAPI:
    app = build_api(build_services(settings, backend=make_backend()), warm=False)

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        logging.getLogger("tests.thing").info("looking at %s", thing_id, extra={"thing": thing_id})
        return {"id": thing_id}

    @app.get("/v1/sync")
    def sync_route() -> dict[str, str]:  # runs in the threadpool: a copied context
        logging.getLogger("tests.sync").info("in a thread")
        return {}

    sub = FastAPI()

    @sub.get("/items/{item_id}")
    async def item(item_id: str) -> dict[str, str]:
        return {"id": item_id}

    app.mount("/sub", sub)
    return app


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return build(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def samples(client: TestClient, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            if s.name == name:
                found[tuple(sorted(s.labels.items()))] = s.value
    return found


def count(client: TestClient, method: str, route: str, status: str) -> float:
    key = (("method", method), ("route", route), ("status", status))
    return samples(client, "summarizer_http_requests_total").get(key, 0.0)


def test_requests_and_latency_are_counted(client: TestClient) -> None:
    r = client.post("/v1/summaries", json={"text": SEED.read_text(), "max_words": 30})
    assert r.status_code == 200
    for _ in range(2):
        assert client.get("/healthz").status_code == 200
    assert client.post("/v1/summaries", json={"text": ""}).status_code == 422

    assert count(client, "POST", "/v1/summaries", "200") == 1
    assert count(client, "POST", "/v1/summaries", "422") == 1
    assert count(client, "GET", "/healthz", "200") == 2
    hist = samples(client, "summarizer_http_request_duration_seconds_count")
    assert hist[(("method", "POST"), ("route", "/v1/summaries"))] == 2
    sums = samples(client, "summarizer_http_request_duration_seconds_sum")
    assert sums[(("method", "POST"), ("route", "/v1/summaries"))] > 0


def test_route_labels_are_templates_never_raw_paths(client: TestClient) -> None:
    for thing in ("a", "b", "c"):
        assert client.get(f"/v1/things/{thing}").status_code == 200
    assert client.get("/sub/items/42").status_code == 200
    assert client.get("/static/app.js").status_code in (200, 404)
    assert client.get("/wp-admin/setup-config.php").status_code == 404
    assert client.get("/another/probe/123").status_code == 404
    assert client.delete("/healthz").status_code == 405

    series = samples(client, "summarizer_http_requests_total")
    routes = {dict(k)["route"] for k in series}
    assert count(client, "GET", "/v1/things/{thing_id}", "200") == 3
    assert count(client, "GET", "/sub/items/{item_id}", "200") == 1
    assert count(client, "GET", "other", "404") == 2
    assert count(client, "DELETE", "/healthz", "405") == 1
    assert "/static" in routes
    assert not any(r.startswith(("/v1/things/a", "/wp-admin", "/sub/items/4")) for r in routes)


def test_metrics_endpoint_is_not_in_the_schema(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_each_app_has_its_own_registry(settings: Settings) -> None:
    with TestClient(build(settings)) as a, TestClient(build(settings)) as b:
        a.get("/healthz")
        a.get("/healthz")
        b.get("/healthz")
        assert count(a, "GET", "/healthz", "200") == 2
        assert count(b, "GET", "/healthz", "200") == 1
        assert a.app.state.metrics is not b.app.state.metrics  # type: ignore[attr-defined]


def test_request_id_round_trip_and_generation(client: TestClient) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123.x_y:z"})
    assert r.headers["x-request-id"] == "abc-123.x_y:z"

    generated = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(generated) == 3
    assert all(len(g) == 32 and int(g, 16) >= 0 for g in generated)

    # Not echoed: too long, or able to forge log fields / headers.
    for bad in (b"x" * 200, b"a b", b'a"b', b"ab\xe9", b"a\tb"):
        got = client.get("/healthz", headers={b"X-Request-ID": bad}).headers["x-request-id"]
        assert got.encode() != bad and len(got) == 32
    # Error responses carry it too.
    assert client.get("/nope", headers={"X-Request-ID": "err-1"}).headers["x-request-id"] == "err-1"


@pytest.mark.usefixtures("restore_logging")
def test_json_log_lines_carry_the_request_id(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(json_logs=True)
    client.get("/v1/things/t1", headers={"X-Request-ID": "req-42"})
    client.get("/v1/sync", headers={"X-Request-ID": "req-43"})
    client.get("/healthz", headers={"X-Request-ID": "probe"})  # probes stay out of the log
    logging.getLogger("tests.outside").warning("no request here")
    lines = json_lines(capsys.readouterr().err)

    inside = next(x for x in lines if x["message"] == "looking at t1")
    assert inside["request_id"] == "req-42" and inside["thing"] == "t1"
    assert inside["level"] == "INFO" and inside["logger"] == "tests.thing"
    assert str(inside["ts"]).endswith("+00:00")
    assert next(x for x in lines if x["message"] == "in a thread")["request_id"] == "req-43"
    access = [x for x in lines if x["logger"] == "summarizer.access"]
    assert {(a["request_id"], a["route"], a["status"]) for a in access} >= {
        ("req-42", "/v1/things/{thing_id}", 200),
        ("req-43", "/v1/sync", 200),
    }
    assert next(x for x in lines if x["message"] == "no request here")["request_id"] is None
    assert not any(x["request_id"] == "probe" for x in lines)


def test_queue_depth_is_read_at_scrape_time(client: TestClient) -> None:
    metrics: Metrics = client.app.state.metrics  # type: ignore[attr-defined]
    depth = {"queued": 3, "running": 1}
    metrics.set_depth_source(lambda: dict(depth))
    assert samples(client, "summarizer_queue_depth") == {
        (("status", "queued"),): 3.0,
        (("status", "running"),): 1.0,
    }
    depth["queued"] = 0
    assert samples(client, "summarizer_queue_depth")[(("status", "queued"),)] == 0.0


def test_a_failing_depth_source_does_not_break_the_scrape(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    metrics: Metrics = client.app.state.metrics  # type: ignore[attr-defined]

    def broken() -> dict[str, int]:
        raise ConnectionError("database is down")

    metrics.set_depth_source(broken)
    client.get("/healthz")
    metrics.model_tokens.labels("prompt").inc(120)
    with caplog.at_level(logging.WARNING):
        assert samples(client, "summarizer_queue_depth") == {}
    assert count(client, "GET", "/healthz", "200") == 1
    assert samples(client, "summarizer_model_tokens_total") == {(("kind", "prompt"),): 120.0}
    assert "queue depth source failed" in caplog.text


def test_engine_side_metrics_render(client: TestClient) -> None:
    m: Metrics = client.app.state.metrics  # type: ignore[attr-defined]
    m.model_seconds.inc(1.5)
    m.model_calls.labels("ok").inc()
    m.cache_hits.labels("memory").inc()
    m.cache_misses.inc()
    m.jobs_finished.labels("succeeded").inc()
    m.rate_limited.inc()
    for name, labels in [
        ("summarizer_model_seconds_total", ()),
        ("summarizer_model_calls_total", (("outcome", "ok"),)),
        ("summarizer_cache_hits_total", (("layer", "memory"),)),
        ("summarizer_cache_misses_total", ()),
        ("summarizer_jobs_finished_total", (("status", "succeeded"),)),
        ("summarizer_rate_limited_total", ()),
    ]:
        assert samples(client, name)[labels] > 0, name


def test_a_worker_serves_its_own_metrics_on_a_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    m = Metrics()
    m.jobs_finished.labels("failed").inc()
    m.set_depth_source(lambda: {"queued": 7})
    m.serve(port, addr="127.0.0.1")
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'summarizer_jobs_finished_total{status="failed"} 1.0' in body
    assert 'summarizer_queue_depth{status="queued"} 7.0' in body


def test_otel_missing_only_warns(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # None in sys.modules makes the import raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "opentelemetry.instrumentation.fastapi", None)
    with caplog.at_level(logging.WARNING):
        app = build(settings.model_copy(update={"otel": True}))
    assert "tracing is off" in caplog.text
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200


def test_otel_instruments_when_installed(settings: Settings) -> None:
    pytest.importorskip("opentelemetry.instrumentation.fastapi")
    app = build(settings.model_copy(update={"otel": True}))
    assert getattr(app, "_is_instrumented_by_opentelemetry", False)
    with TestClient(app) as c:
        r = c.get("/healthz", headers={"X-Request-ID": "otel-1"})
        assert r.status_code == 200 and r.headers["x-request-id"] == "otel-1"
