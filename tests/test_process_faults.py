"""Kill a worker mid-job: API and two `summarizer worker` processes on the real PostgreSQL,
20 jobs, SIGKILL to the worker holding a running job. Every job must still complete, and
exactly once. The model is a fake OpenAI-compatible server in this process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from service.jobs.pgqueue import conninfo
from tests.conftest import ARTICLES, fresh_pg_database
from tests.fake_openai import FakeOpenAI, reader, serve

pytestmark = pytest.mark.procfault
JOBS = 20
BIN = Path(sys.executable).parent / "summarizer"
# long enough per model call that a job is caught mid-way
slow_reader = partial(reader, delay_s=0.15)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def pg_database() -> Iterator[str]:
    with fresh_pg_database("sumfault") as url:
        yield url


def service_env(model_url: str, database: str, tmp: Path) -> dict[str, str]:
    """API and workers: the fake model over HTTP, procrastinate on PostgreSQL, fast takeover."""
    return {
        **os.environ,
        "SUMMARIZER_BACKEND": "openai",
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": "sk-test-not-a-secret",
        "SUMMARIZER_DATABASE_URL": database,
        "SUMMARIZER_QUEUE": "procrastinate",
        "SUMMARIZER_JOB_STALE_AFTER_S": "3",
        "SUMMARIZER_CACHE_DIR": str(tmp / "cache"),
        "SUMMARIZER_RATE_LIMIT_PER_MINUTE": "0",
    }


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN), *args], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def rows(db: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo(db)) as conn:
        return list(conn.execute(sql).fetchall())


def test_sigkill_a_worker_mid_job_loses_and_duplicates_nothing(
    pg_database: str, tmp_path: Path
) -> None:
    texts = sorted(ARTICLES.glob("*.txt"))
    with serve(FakeOpenAI(slow_reader)) as model_url:
        env = service_env(model_url, pg_database, tmp_path)
        port = free_port()
        procs = [start(["serve", "--port", str(port)], env, tmp_path / "api.log")]
        try:
            api = f"http://127.0.0.1:{port}"
            wait_http(f"{api}/healthz")
            workers = [start(["worker"], env, tmp_path / f"worker{i}.log") for i in range(2)]
            procs += workers
            ids = []
            for n in range(JOBS):
                # distinct articles: a stored result must not make a job instant
                text = (
                    texts[n % len(texts)].read_text() + f"\n\nEditor's note: job {n} of the test."
                )
                r = httpx.post(f"{api}/v1/jobs", json={"articles": [{"text": text}]}, timeout=10)
                assert r.status_code == 202, r.text
                ids.append(r.json()["id"])

            victim, job_id = None, None
            deadline = time.monotonic() + 60
            while victim is None and time.monotonic() < deadline:
                for jid, worker in rows(
                    pg_database, "SELECT id, worker FROM jobs WHERE status = 'running'"
                ):
                    pid = int(worker.split(":")[1])
                    if pid in {w.pid for w in workers}:
                        victim, job_id = next(w for w in workers if w.pid == pid), jid
                        break
                time.sleep(0.05)
            assert victim is not None, "no job was seen running"
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(10)

            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                states = rows(pg_database, "SELECT status, count(*) FROM jobs GROUP BY status")
                if dict(states).get("done") == JOBS:
                    break
                time.sleep(0.5)
            final = rows(pg_database, "SELECT id, status, completions, attempts FROM jobs")
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()

    by_id = {r[0]: r for r in final}
    assert sorted(by_id) == sorted(ids), "a job was lost or invented"
    assert all(r[1] == "done" for r in final), [r for r in final if r[1] != "done"]
    assert all(r[2] == 1 for r in final), "a job completed more than once"
    assert by_id[job_id][3] >= 2, "the killed worker's job must have been taken over"
    results = rows(pg_database, "SELECT count(*), count(DISTINCT article_hash) FROM results")
    assert results[0][0] == results[0][1] == JOBS


def test_random_kills_of_api_and_workers_lose_nothing(pg_database: str, tmp_path: Path) -> None:
    """Three rounds: SIGKILL the API or a worker at a random moment, restart it, keep
    submitting. Every job the API accepted (202) completes exactly once."""
    import random

    rng = random.Random(20261121)
    texts = sorted(ARTICLES.glob("*.txt"))
    with serve(FakeOpenAI(slow_reader)) as model_url:
        env = service_env(model_url, pg_database, tmp_path)
        port = free_port()
        api_url = f"http://127.0.0.1:{port}"
        logs = iter(range(1000))

        def api() -> subprocess.Popen[bytes]:
            proc = start(["serve", "--port", str(port)], env, tmp_path / f"api{next(logs)}.log")
            wait_http(f"{api_url}/healthz")
            return proc

        def worker() -> subprocess.Popen[bytes]:
            return start(["worker"], env, tmp_path / f"worker{next(logs)}.log")

        procs = {"api": api(), "w0": worker(), "w1": worker()}
        accepted: list[str] = []
        kills = 0
        try:
            n = 0
            for _round in range(3):
                for _ in range(6):
                    text = texts[n % len(texts)].read_text() + f"\n\nEditor's note: round job {n}."
                    n += 1
                    try:
                        r = httpx.post(
                            f"{api_url}/v1/jobs", json={"articles": [{"text": text}]}, timeout=10
                        )
                    except httpx.HTTPError:
                        continue  # not accepted: the client would retry
                    if r.status_code == 202:
                        accepted.append(r.json()["id"])
                time.sleep(rng.uniform(0.2, 2.0))
                victim = rng.choice(sorted(procs))
                os.kill(procs[victim].pid, signal.SIGKILL)
                procs[victim].wait(10)
                kills += 1
                procs[victim] = api() if victim == "api" else worker()

            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                done = rows(pg_database, "SELECT count(*) FROM jobs WHERE status = 'done'")[0][0]
                if done >= len(accepted):
                    break
                time.sleep(0.5)
            final = rows(pg_database, "SELECT id, status, completions FROM jobs")
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs.values():
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()

    assert kills == 3 and len(accepted) >= 12
    by_id = {r[0]: r for r in final}
    assert set(accepted) <= set(by_id), "an accepted job was lost"
    assert all(by_id[j][1] == "done" for j in accepted), [by_id[j] for j in accepted]
    assert all(r[2] == 1 for r in final if r[1] == "done"), "a job completed more than once"
