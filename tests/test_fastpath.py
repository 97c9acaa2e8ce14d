"""The fast path answers repeats and full-queue refusals from memory, with the same checks."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import service.jobs.service as job_service
from service.compose import build_api, build_engine, build_services
from service.config import Settings
from service.pipeline.models import ArticleInput
from service.services import Services
from service.store.store import Store
from tests.conftest import ARTICLES, make_backend

SEED = next(ARTICLES.glob("004*.txt")).read_text()
SEED2 = next(ARTICLES.glob("002*.txt")).read_text()


class CountingEngine:
    """Counts requests that reached the FastAPI handler: the fast path never asks the engine
    for a request key; the handler does, and so does a pipeline run."""

    def __init__(self, services: Services) -> None:
        self.keyed = 0
        self.cache = services.cache
        real = services.engine.request_key

        def counted(article: ArticleInput) -> str:
            self.keyed += 1
            return real(article)

        services.engine.request_key = counted  # type: ignore[method-assign]


def app_client(settings: Settings) -> tuple[TestClient, CountingEngine]:
    services = build_services(settings, backend=make_backend())
    engine = CountingEngine(services)
    return TestClient(build_api(services, warm=False)), engine


@pytest.fixture
def open_client(settings: Settings) -> Iterator[tuple[TestClient, CountingEngine]]:
    c, engine = app_client(settings)
    with c:
        yield c, engine


def test_a_repeat_is_answered_before_the_handler_with_the_same_bytes(
    open_client: tuple[TestClient, CountingEngine],
) -> None:
    c, engine = open_client
    first = c.post("/v1/summaries", json={"text": SEED})
    after_first = engine.keyed
    repeats = [c.post("/v1/summaries", json={"text": SEED}) for _ in range(3)]
    assert first.status_code == 200 and engine.keyed == after_first
    for r in repeats:
        assert r.status_code == 200 and r.content == first.content
        assert r.headers["content-type"] == "application/json"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-request-id"] != first.headers["x-request-id"]
    metrics = c.get("/metrics").text
    assert (
        'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"} 4.0'
        in metrics
    )


@pytest.fixture
def primed(
    open_client: tuple[TestClient, CountingEngine],
) -> tuple[TestClient, CountingEngine, int]:
    """A client whose app has answered SEED once, and the key count after that."""
    c, engine = open_client
    assert c.post("/v1/summaries", json={"text": SEED}).status_code == 200
    return c, engine, engine.keyed


def test_any_difference_in_the_request_goes_to_the_full_path(
    primed: tuple[TestClient, CountingEngine, int],
) -> None:
    c, engine, after_first = primed
    as_text = c.post("/v1/summaries", content=SEED, headers={"content-type": "text/plain"})
    shorter = c.post("/v1/summaries", json={"text": SEED, "max_words": 20})
    by_query = c.post(
        "/v1/summaries?max_words=20", content=SEED, headers={"content-type": "text/plain"}
    )
    assert [as_text.status_code, shorter.status_code, by_query.status_code] == [200, 200, 200]
    # each reached the handler; `shorter` also ran the pipeline, and the other two are the
    # same articles as earlier requests in another form, answered by the engine's memory
    assert engine.keyed == after_first + 1 + 2 + 1
    assert shorter.content != as_text.content


def test_an_evicted_result_is_computed_again_through_the_full_path(
    primed: tuple[TestClient, CountingEngine, int],
) -> None:
    c, engine, after_first = primed
    engine.cache._memory.clear()
    again = c.post("/v1/summaries", json={"text": SEED})
    assert again.status_code == 200 and engine.keyed == after_first + 2


def test_refused_requests_are_refused_again_in_full(
    open_client: tuple[TestClient, CountingEngine],
) -> None:
    c, engine = open_client
    broken = [c.post("/v1/summaries", content=b'{"text": ') for _ in range(2)]
    invalid = [c.post("/v1/summaries", json={"text": SEED, "max_words": 1}) for _ in range(2)]
    chunked = c.post(
        "/v1/summaries",
        content=iter([b'{"text": ', b'"' + SEED[:200].replace('"', "").encode() + b'"}']),
        headers={"content-type": "application/json"},
    )
    assert [r.json()["error"]["code"] for r in broken] == ["invalid_json"] * 2
    assert [r.json()["error"]["code"] for r in invalid] == ["invalid_request"] * 2
    assert engine.keyed == 2  # only the chunked one, streamed through the full path
    assert chunked.status_code == 200


def test_keys_and_rate_limits_hold_on_the_fast_path(settings: Settings) -> None:
    settings = settings.model_copy(update={"require_api_key": True, "rate_limit_per_minute": 3})
    store = Store(settings.db_url)
    store.migrate()
    key = store.keys.create("newsroom")
    c, engine = app_client(settings)
    auth = {"Authorization": f"Bearer {key}"}
    with c:
        first = c.post("/v1/summaries", json={"text": SEED}, headers=auth)
        after_first = engine.keyed
        anonymous = c.post("/v1/summaries", json={"text": SEED})
        forged = c.post(
            "/v1/summaries", json={"text": SEED}, headers={"X-API-Key": key[:-2] + "xx"}
        )
        repeats = [c.post("/v1/summaries", json={"text": SEED}, headers=auth) for _ in range(3)]
    assert first.status_code == 200
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthorized"
    assert forged.status_code == 401
    # three tokens a minute: the first request and two repeats, then a refusal
    assert [r.status_code for r in repeats] == [200, 200, 429]
    assert repeats[2].json()["error"]["code"] == "rate_limited"
    assert int(repeats[2].headers["retry-after"]) >= 1
    assert engine.keyed == after_first  # the refusals stop at the key and rate checks


def test_a_full_queue_refuses_from_memory_and_replays_still_reach_their_job(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings.model_copy(update={"workers": 0, "max_queued_per_key": 1})
    c, _ = app_client(settings)
    counted: list[str] = []
    with c:
        jobs = c.app.state.services.jobs  # type: ignore[attr-defined]
        count_active = jobs.repo.count_active

        def spy(owner: str) -> int:
            counted.append(owner)
            return int(count_active(owner))

        monkeypatch.setattr(jobs.repo, "count_active", spy)
        accepted = c.post(
            "/v1/jobs", json={"articles": [{"text": SEED}]}, headers={"Idempotency-Key": "k1"}
        )
        full = c.post("/v1/jobs", json={"articles": [{"text": SEED2}]})
        from_memory = [c.post("/v1/jobs", json={"articles": [{"text": SEED2}]}) for _ in range(3)]
        replay = c.post(
            "/v1/jobs", json={"articles": [{"text": SEED}]}, headers={"Idempotency-Key": "k1"}
        )
        assert c.delete(f"/v1/jobs/{accepted.json()['id']}").status_code == 200
        monkeypatch.setattr(job_service, "FULL_MEMO_S", 0.0)
        jobs._full.clear()
        time.sleep(0.01)
        freed = c.post("/v1/jobs", json={"articles": [{"text": SEED2}]})
    assert accepted.status_code == 202
    assert counted == ["", "", ""]  # the first, the full one and the freed one; no memo ones
    for r in [full, *from_memory]:
        assert r.status_code == 429 and r.json()["error"]["code"] == "queue_full"
        assert int(r.headers["retry-after"]) >= 1 and "x-request-id" in r.headers
    assert replay.status_code == 200 and replay.json()["id"] == accepted.json()["id"]
    assert freed.status_code == 202


def test_the_full_memo_expires(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings.model_copy(update={"workers": 0, "max_queued_per_key": 1})
    monkeypatch.setattr(job_service, "FULL_MEMO_S", 0.2)
    c, _ = app_client(settings)
    with c:
        first = c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()
        assert c.post("/v1/jobs", json={"articles": [{"text": SEED2}]}).status_code == 429
        c.delete(f"/v1/jobs/{first['id']}")
        still = c.post("/v1/jobs", json={"articles": [{"text": SEED2}]})
        time.sleep(0.25)
        after = c.post("/v1/jobs", json={"articles": [{"text": SEED2}]})
    assert still.status_code == 429  # remembered: the slot freed less than 0.2 s ago
    assert after.status_code == 202


def test_when_the_full_memo_runs_out_one_request_counts_again(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_service, "FULL_MEMO_S", 0.05)
    engine = build_engine(settings, backend=make_backend())
    jobs = job_service.JobService(
        job_service.JobWork(settings, engine, Store(settings.db_url).jobs)
    )
    jobs._full["k"] = (time.monotonic() - 1, 7)
    first, second = jobs.known_full("k"), jobs.known_full("k")
    assert first is None  # this one goes to the database
    assert second is not None and second.code == "queue_full"  # the rest wait for it
    assert jobs.known_full("other") is None


def test_an_evicted_result_costs_one_token_not_two(settings: Settings) -> None:
    c, engine = app_client(settings.model_copy(update={"rate_limit_per_minute": 3}))
    with c:
        first = c.post("/v1/summaries", json={"text": SEED})
        engine.cache._memory.clear()  # known body, result gone: the fast path must pass it on
        again = c.post("/v1/summaries", json={"text": SEED})
        repeat = c.post("/v1/summaries", json={"text": SEED})
        limited = c.post("/v1/summaries", json={"text": SEED})
    assert [r.status_code for r in (first, again, repeat)] == [200, 200, 200]
    assert limited.status_code == 429


def test_cache_metrics_count_each_request_once(
    open_client: tuple[TestClient, CountingEngine],
) -> None:
    c, _engine = open_client
    for _ in range(3):
        assert c.post("/v1/summaries", json={"text": SEED}).status_code == 200
    metrics = c.get("/metrics").text
    assert "summarizer_cache_misses_total 1.0" in metrics  # the first: the model ran once
    assert 'summarizer_cache_hits_total{layer="memory"} 2.0' in metrics
