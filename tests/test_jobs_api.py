"""The jobs API end to end with the in-process worker, on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.compose import build_api, build_services
from service.config import Settings
from service.llm.errors import ModelUnavailable
from tests.conftest import ARTICLES, make_backend
from tests.fakes import reader_responder

SEED = next(ARTICLES.glob("003*.txt")).read_text()  # its headline needs the model
SEED2 = next(ARTICLES.glob("002*.txt")).read_text()


def counting(
    responder: Callable[..., str] = reader_responder,
) -> tuple[Callable[..., str], list[int]]:
    calls = [0]

    def respond(messages: Any, kwargs: Any) -> str:
        calls[0] += 1
        return responder(messages, kwargs)

    return respond, calls


@pytest.fixture
def job_settings(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(
        update={"database_url": database_url, "job_retry_base_s": 0.05, "job_stale_after_s": 5}
    )


def make_client(settings: Settings, responder: Callable[..., str] = reader_responder) -> TestClient:
    return TestClient(
        build_api(build_services(settings, backend=make_backend(responder)), warm=False)
    )


def wait_for(client: TestClient, job_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "dead", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_submit_returns_at_once_and_the_result_arrives(job_settings: Settings) -> None:
    respond, calls = counting()
    with make_client(job_settings, respond) as c:
        r = c.post("/v1/jobs", json={"articles": [{"text": SEED}, {"text": SEED2}]})
        assert r.status_code == 202
        assert r.headers["location"] == f"/v1/jobs/{r.json()['id']}"
        job = wait_for(c, r.json()["id"])
    assert job["status"] == "done", job
    assert job["progress"] == {"done": 2, "total": 2, "stage": "done"}
    results = job["result"]["results"]
    assert len(results) == 2 and calls[0] > 0
    for result, text in zip(results, (SEED, SEED2), strict=True):
        for claim in result["claims"]:
            for span in claim["evidence"]:
                assert text[span["start"] : span["end"]] == span["quote"]


def test_the_same_article_is_not_paid_for_twice(job_settings: Settings) -> None:
    respond, calls = counting()
    with make_client(job_settings, respond) as c:
        first = wait_for(c, c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()["id"])
        paid = calls[0]
        # other boilerplate around the same article: same cleaned text, other offsets
        noisy = "Share this article\n\n" + SEED + "\n\nRead also: something else\n"
        second = wait_for(c, c.post("/v1/jobs", json={"articles": [{"text": noisy}]}).json()["id"])
        sync = c.post("/v1/summaries", json={"text": SEED})
    assert calls[0] == paid, "a stored result must be reused without a model call"
    a, b = first["result"]["results"][0], second["result"]["results"][0]
    assert [x["text"] for x in a["claims"]] == [x["text"] for x in b["claims"]]
    for claim in b["claims"]:
        for span in claim["evidence"]:
            assert noisy[span["start"] : span["end"]] == span["quote"]
    assert sync.status_code == 200 and sync.json()["claims"] == a["claims"]


def test_a_fresh_store_survives_a_new_app(job_settings: Settings) -> None:
    respond, calls = counting()
    with make_client(job_settings, respond) as c:
        wait_for(c, c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()["id"])
    paid = calls[0]
    with make_client(job_settings, respond) as c:  # another process, same database
        assert c.post("/v1/summaries", json={"text": SEED}).status_code == 200
    assert calls[0] == paid


def test_idempotency_key(job_settings: Settings) -> None:
    with make_client(job_settings) as c:
        body = {"articles": [{"text": SEED}]}
        a = c.post("/v1/jobs", json=body, headers={"Idempotency-Key": "k-1"})
        b = c.post("/v1/jobs", json=body, headers={"Idempotency-Key": "k-1"})
        other = c.post(
            "/v1/jobs", json={"articles": [{"text": SEED2}]}, headers={"Idempotency-Key": "k-1"}
        )
        listed = c.get("/v1/jobs").json()["jobs"]
    assert a.status_code == 202 and b.status_code == 200
    assert a.json()["id"] == b.json()["id"] and b.headers["idempotent-replayed"] == "true"
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(listed) == 1


def test_model_faults_retry_with_backoff_then_dead_letter(job_settings: Settings) -> None:
    def down(_m: Any, _k: Any) -> str:
        raise ModelUnavailable("server down")

    settings = job_settings.model_copy(update={"job_max_attempts": 2})
    with make_client(settings, down) as c:
        job = wait_for(c, c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()["id"])
        dead = c.get("/v1/jobs", params={"status": "dead"}).json()["jobs"]
    assert job["status"] == "dead"
    assert job["attempts"] == 2
    assert job["error"]["code"] == "model_unavailable"
    assert [j["id"] for j in dead] == [job["id"]]


def test_bad_input_fails_without_retry(job_settings: Settings) -> None:
    with make_client(job_settings) as c:
        job = wait_for(
            c, c.post("/v1/jobs", json={"articles": [{"text": "Share this\n\n"}]}).json()["id"]
        )
    assert job["status"] == "failed" and job["attempts"] == 1
    assert job["error"]["code"] == "empty_article"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"articles": []}, 422, "invalid_request"),
        ({"kind": "story", "articles": [{"text": "a"}]}, 422, "invalid_request"),
        ({"articles": [{"title": "no body"}]}, 422, "invalid_request"),
    ],
)
def test_invalid_jobs_are_refused(
    job_settings: Settings, body: dict, status: int, code: str
) -> None:
    with make_client(job_settings) as c:
        r = c.post("/v1/jobs", json=body)
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_cancel_and_not_found(job_settings: Settings) -> None:
    settings = job_settings.model_copy(update={"workers": 0})  # nothing runs: stays queued
    with make_client(settings) as c:
        job = c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()
        assert c.delete(f"/v1/jobs/{job['id']}").json()["status"] == "cancelled"
        again = c.delete(f"/v1/jobs/{job['id']}")
        missing = c.get("/v1/jobs/00000000-0000-0000-0000-000000000000")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_cancellable"
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_queue_full_gives_429_with_retry_after(job_settings: Settings) -> None:
    settings = job_settings.model_copy(update={"workers": 0, "max_queued_per_key": 3})
    with make_client(settings) as c:
        codes = [
            c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).status_code for _ in range(4)
        ]
        full = c.post("/v1/jobs", json={"articles": [{"text": SEED}]})
        accepted = c.get("/v1/jobs").json()["jobs"]
    assert codes == [202, 202, 202, 429]
    assert full.json()["error"]["code"] == "queue_full" and int(full.headers["retry-after"]) >= 1
    assert len(accepted) == 3 and all(j["status"] == "queued" for j in accepted)


def test_events_stream_follows_progress(job_settings: Settings) -> None:
    with make_client(job_settings) as c:
        job = c.post("/v1/jobs", json={"articles": [{"text": SEED}]}).json()
        with c.stream("GET", f"/v1/jobs/{job['id']}/events") as r:
            events = [line for line in r.iter_lines() if line.startswith("event:")]
    assert events[-1] == "event: done"


def test_story_job(job_settings: Settings) -> None:
    with make_client(job_settings) as c:
        r = c.post(
            "/v1/jobs", json={"kind": "story", "articles": [{"text": SEED}, {"text": SEED2}]}
        )
        job = wait_for(c, r.json()["id"])
    assert job["status"] == "done", job
    assert {"clusters", "single_source", "discrepancies", "results"} <= set(job["result"])
