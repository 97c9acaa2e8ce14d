"""The job system's one interface: submit, look up, list, cancel, follow. The queue behind
it is either the in-process worker (default) or procrastinate on PostgreSQL.

Built in order, each complete: `JobWork` (what running a job needs), then the queue over it,
then the `JobService` over both; the queue's workers never see a half-built service."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from service.config import Settings
from service.engine import Engine
from service.errors import InputError
from service.jobs.models import JobError, JobProgress, JobSpec, JobView
from service.metrics import Metrics
from service.store.jobrepo import TERMINAL, JobRepo, NewJob, aware
from service.store.tables import Job

Notifier = Callable[[JobView], Awaitable[None]]
# After a key is found full, further submissions are refused from memory for this long:
# under a burst the refusal costs no database query. A slot freed meanwhile waits at most
# this long, well under the Retry-After the client is given.
FULL_MEMO_S = 1.0


class QueueFull(InputError):
    """The key already has as many jobs waiting as it may; try again later."""

    code = "queue_full"
    status = 429

    def __init__(self, active: int, retry_after: int) -> None:
        super().__init__(f"{active} jobs are already queued or running for this key")
        self.retry_after = retry_after


class Queue(Protocol):
    async def enqueue(self, job_id: str) -> None: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


def view(job: Job, stale_after_s: float) -> JobView:
    heartbeat = aware(job.heartbeat_at)
    stuck = (
        job.status == "running"
        and heartbeat is not None
        and datetime.now(UTC) - heartbeat > timedelta(seconds=stale_after_s)
    )
    spec = JobSpec.model_validate(job.spec)
    return JobView(
        id=job.id,
        kind=job.kind,  # type: ignore[arg-type]
        status=job.status,  # type: ignore[arg-type]
        progress=JobProgress.model_validate(job.progress),
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        stuck=stuck,
        created_at=aware(job.created_at),  # type: ignore[arg-type]
        started_at=aware(job.started_at),
        finished_at=aware(job.finished_at),
        error=JobError.model_validate(job.error) if job.error else None,
        result=job.result,
        notify=spec.notify,
        owner=job.owner,
        spec=spec,
    )


def request_hash(spec: JobSpec) -> str:
    blob = json.dumps(spec.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class JobWork:
    """What running a job needs: the engine, the job table, the notifiers (registered by the
    composition root) and the metrics. The queue and its workers are built over this."""

    settings: Settings
    engine: Engine
    repo: JobRepo
    metrics: Metrics | None = None
    notifiers: Mapping[str, Notifier] = field(default_factory=dict)

    async def get(self, job_id: str) -> JobView | None:
        job = await asyncio.to_thread(self.repo.get, job_id)
        return view(job, self.settings.job_stale_after_s) if job else None


class JobService:
    """Jobs for the engine's use cases, submitted to `queue` (None: recorded, never run)."""

    def __init__(self, work: JobWork, queue: Queue | None = None) -> None:
        self.work = work
        self.settings = work.settings
        self.repo = work.repo
        self.queue = queue
        self._full: dict[str, tuple[float, int]] = {}  # owner -> (until, active)

    def _view(self, job: Job) -> JobView:
        return view(job, self.settings.job_stale_after_s)

    async def submit(
        self, spec: JobSpec, *, owner: str = "", idempotency_key: str | None = None
    ) -> JobView:
        view_, _created = await self.submit_new(spec, owner=owner, idempotency_key=idempotency_key)
        return view_

    async def submit_new(
        self, spec: JobSpec, *, owner: str = "", idempotency_key: str | None = None
    ) -> tuple[JobView, bool]:
        """The job and whether it was created now (False: an idempotent replay)."""
        new = NewJob(
            id=str(uuid.uuid4()),
            kind=spec.kind,
            spec=spec.model_dump(mode="json"),
            owner=owner,
            request_hash=request_hash(spec),
            max_attempts=self.settings.job_max_attempts,
            idempotency_key=idempotency_key,
        )
        if idempotency_key:
            # a replay must not be refused for a full queue: the job already exists
            existing = await asyncio.to_thread(self.repo.find, owner, idempotency_key)
            if existing is not None:
                job, created = await asyncio.to_thread(self.repo.create, new)
                return self._view(job), created
        active = await asyncio.to_thread(self.repo.count_active, owner)
        if active >= self.settings.max_queued_per_key:
            if len(self._full) > 10_000:
                self._full.clear()
            self._full[owner] = (time.monotonic() + FULL_MEMO_S, active)
            raise self._queue_full(active)
        self._full.pop(owner, None)
        job, created = await asyncio.to_thread(self.repo.create, new)
        if created and self.queue is not None:
            await self.queue.enqueue(job.id)
        return self._view(job), created

    def known_full(self, owner: str) -> QueueFull | None:
        """The refusal for a key found full within the last FULL_MEMO_S, else None (count).

        When the memo runs out, the first caller gets None and counts again; the memo is
        extended meanwhile, so a burst sends one request to the database, not all of them.
        """
        memo = self._full.get(owner)
        if memo is None:
            return None
        now = time.monotonic()
        if now >= memo[0]:
            self._full[owner] = (now + FULL_MEMO_S, memo[1])
            return None
        return self._queue_full(memo[1])

    def _queue_full(self, active: int) -> QueueFull:
        return QueueFull(active, retry_after=max(1, int(self.settings.job_retry_base_s * 2)))

    async def get(self, job_id: str) -> JobView | None:
        return await self.work.get(job_id)

    async def list(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
    ) -> list[JobView]:
        jobs = await asyncio.to_thread(
            lambda: self.repo.search(
                owner=owner, status=status, kind=kind, limit=limit, before=before
            )
        )
        return [self._view(j) for j in jobs]

    async def cancel(self, job_id: str) -> bool:
        return await asyncio.to_thread(self.repo.cancel, job_id)

    async def article_text(self, job_id: str, index: int) -> str | None:
        job = await self.get(job_id)
        if job is None or not job.result:
            return None
        texts = job.result.get("texts") or []
        return texts[index] if 0 <= index < len(texts) else None

    async def follow(self, job_id: str, interval_s: float = 0.5) -> AsyncIterator[JobView]:
        """Yield the job whenever its status or progress changes, until it ends."""
        last = None
        while True:
            job = await self.get(job_id)
            if job is None:
                return
            state = (job.status, job.progress.model_dump_json(), job.attempts)
            if state != last:
                last = state
                yield job
            if job.status in TERMINAL:
                return
            await asyncio.sleep(interval_s)
