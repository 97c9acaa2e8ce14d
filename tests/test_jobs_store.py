"""The job table's state machine and the in-process queue's shutdown, on both databases."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from evals.nightly import run_nightly_eval
from service.compose import build_engine, build_eval_engines
from service.config import Settings
from service.jobs.inprocess import InProcessQueue
from service.jobs.models import JobSpec
from service.jobs.service import JobService, JobWork
from service.store.jobrepo import NewJob
from service.store.store import Store
from tests.conftest import ROOT, make_backend
from tests.fakes import reader_responder


@pytest.fixture
def store(database_url: str) -> Store:
    s = Store(database_url)
    s.migrate()
    return s


def new(job_id: str, key: str | None = None) -> NewJob:
    return NewJob(
        id=job_id,
        kind="summary",
        spec={"articles": [{"text": "x"}]},
        owner="",
        request_hash="h",
        max_attempts=3,
        idempotency_key=key,
    )


def test_only_one_worker_wins_each_transition(store: Store) -> None:
    store.jobs.create(new("j1"))
    a = store.jobs.claim_next("a", stale_after_s=60)
    assert a is not None and a.attempts == 1
    assert store.jobs.claim_next("b", stale_after_s=60) is None  # fresh heartbeat: a owns it
    assert not store.jobs.finish("j1", "b", "done")
    assert store.jobs.finish("j1", "a", "done", result={"ok": 1})
    assert not store.jobs.finish("j1", "a", "done")  # never twice
    job = store.jobs.get("j1")
    assert job is not None and job.status == "done" and job.completions == 1


def test_a_stale_job_is_taken_over_and_the_old_owner_cannot_finish(store: Store) -> None:
    store.jobs.create(new("j2"))
    assert store.jobs.claim_next("dead-worker", stale_after_s=0.2) is not None
    time.sleep(0.3)
    assert [j.id for j in store.jobs.stuck(0.2)] == ["j2"]
    taken = store.jobs.claim_next("alive", stale_after_s=0.2)
    assert taken is not None and taken.attempts == 2 and taken.worker == "alive"
    assert not store.jobs.heartbeat("j2", "dead-worker")
    assert not store.jobs.finish("j2", "dead-worker", "done")
    assert store.jobs.finish("j2", "alive", "done")


def test_retry_waits_for_its_time_and_release_does_not_count(store: Store) -> None:
    store.jobs.create(new("j3"))
    store.jobs.claim_next("w", 60)
    assert store.jobs.retry_later("j3", "w", 30, {"code": "model_timeout", "message": "slow"})
    assert store.jobs.claim_next("w", 60) is None  # not due yet
    store.jobs.create(new("j4"))
    job = store.jobs.claim_next("w", 60)
    assert job is not None and job.id == "j4"
    assert store.jobs.release("j4", "w")
    again = store.jobs.get("j4")
    assert again is not None and again.status == "queued" and again.attempts == 0


def test_cancel_only_what_waits(store: Store) -> None:
    store.jobs.create(new("j5"))
    store.jobs.create(new("j6"))
    store.jobs.claim("j6", "w", 60)
    assert store.jobs.cancel("j5") and not store.jobs.cancel("j6")


def test_graceful_shutdown_hands_a_running_job_back(settings: Settings, database_url: str) -> None:
    """A job still running when the grace period ends goes back to the queue, not lost."""
    import threading

    release = threading.Event()

    def slow(messages, kwargs):  # type: ignore[no-untyped-def]
        release.wait(20)
        return reader_responder(messages, kwargs)

    store = Store(database_url)
    store.migrate()
    engine = build_engine(settings, backend=make_backend(slow), store=store)
    work = JobWork(settings, engine, store.jobs)
    jobs = JobService(work, InProcessQueue(work, workers=1, grace_s=0.5))

    async def scenario() -> str:
        queue = jobs.queue
        assert queue is not None
        await queue.start()
        text = (
            (ROOT / "evals/data/articles").glob("003*.txt").__next__().read_text()
        )  # asks the model
        view = await jobs.submit(JobSpec(articles=[{"text": text}]))  # type: ignore[list-item]
        for _ in range(100):
            if (await jobs.get(view.id)).status == "running":  # type: ignore[union-attr]
                break
            await asyncio.sleep(0.05)
        await queue.stop()
        release.set()  # the cut-off thread may now end; it must not finish the job
        return view.id

    job_id = asyncio.run(scenario())
    job = store.jobs.get(job_id)
    assert job is not None and job.status == "queued" and job.attempts == 0


def test_nightly_eval_records_its_run(
    settings: Settings, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path / "no-corpora"))  # suites skip
    store = Store(database_url)
    store.migrate()
    engine = build_engine(settings, backend=make_backend(), store=store)
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "data").symlink_to(ROOT / "evals" / "data")  # cases name their articles relatively
    source = sorted((ROOT / "evals/cases").glob("*.yaml"))[0]
    (cases / source.name).write_text(source.read_text())
    fresh = build_eval_engines(settings, backend=engine.backend, responses=False)
    passed = run_nightly_eval(
        engine,
        fresh,
        store.eval_runs,
        int(time.time()),
        cases_dir=cases,
        out_dir=tmp_path / "runs",
    )
    from sqlalchemy import select

    from service.store.tables import EvalRun

    with store.db.session() as s:
        runs = s.scalars(select(EvalRun)).all()
    assert len(runs) == 1 and runs[0].passed is passed
    assert runs[0].report is not None and "metrics" in runs[0].report
    assert runs[0].report["attribution"]["polnear"] == {"skipped": "corpus absent"}
