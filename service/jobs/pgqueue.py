"""At scale: procrastinate on PostgreSQL dispatches jobs to `summarizer worker` processes on
any number of machines. Our job table stays the source of truth for status and results;
procrastinate carries the work (LISTEN/NOTIFY, locks, periodic tasks), so this is not a
home-made broker.

A killed worker leaves its job 'running' with a heartbeat that goes stale; every worker's
sweeper re-defers claimable jobs (queueing_lock = job id, so never twice at once), and the
conditional claim/finish in the store lets exactly one worker complete each job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued

from service.config import Settings
from service.jobs.service import JobWork

log = logging.getLogger(__name__)
RUN_JOB = "summarizer.run_job"
QUEUE = "summarizer"
_SCHEMA_LOCK = 72410532


def conninfo(database_url: str) -> str:
    """psycopg wants a plain libpq URL, without SQLAlchemy's driver suffix."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    return database_url


def make_app(settings: Settings) -> procrastinate.App:
    if not settings.db_url.startswith(("postgresql", "postgres")):
        raise ValueError("queue=procrastinate needs SUMMARIZER_DATABASE_URL=postgresql://…")
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(settings.db_url))
    return procrastinate.App(connector=connector)


async def ensure_schema(app: procrastinate.App, settings: Settings) -> None:
    """Apply procrastinate's schema once per database, whoever starts first."""
    async with (
        await psycopg.AsyncConnection.connect(conninfo(settings.db_url)) as conn,
        conn.transaction(),
    ):
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        cur = await conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        row = await cur.fetchone()
        if row and row[0]:
            return
        schema = app.schema_manager.get_schema()
        await conn.execute(schema)


class ProcrastinateQueue:
    def __init__(self, work: JobWork, app: procrastinate.App) -> None:
        self.work = work
        self.app = app
        self._opened = False

    async def start(self) -> None:
        await ensure_schema(self.app, self.work.settings)
        await self.app.open_async()
        self._opened = True

    async def stop(self) -> None:
        if self._opened:
            await self.app.close_async()
            self._opened = False

    async def enqueue(self, job_id: str, delay_s: float | None = None) -> None:
        if delay_s is None:
            job = await asyncio.to_thread(self.work.repo.get, job_id)
            delay_s = _seconds_until(job.run_after) if job else 0.0
        options: dict[str, Any] = {"queue": QUEUE, "queueing_lock": job_id}
        if delay_s > 0:
            options["schedule_in"] = {"seconds": int(delay_s) + 1}
        with contextlib.suppress(AlreadyEnqueued):  # it is already waiting: enough
            await self.app.configure_task(name=RUN_JOB, **options).defer_async(job_id=job_id)

    async def sweep(self) -> int:
        """Re-defer every claimable job (stale running ones included); returns how many."""
        ids = await asyncio.to_thread(
            self.work.repo.claimable_ids, self.work.settings.job_stale_after_s
        )
        for job_id in ids:
            await self.enqueue(job_id)
        return len(ids)


def _seconds_until(when: Any) -> float:
    from datetime import UTC, datetime

    from service.store.jobrepo import aware

    moment = aware(when)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds()) if moment else 0.0
