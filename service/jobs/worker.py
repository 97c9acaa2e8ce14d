"""Execute one claimed job: heartbeats while it runs, then exactly one terminal transition
(or a retry with backoff), then the notifier. Shared by both queues."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import threading
import uuid
from typing import Any

from service.errors import InputError
from service.jobs.models import JobSpec
from service.jobs.runner import JobLost, run_job
from service.jobs.service import JobWork, Queue
from service.llm.errors import LLMError, ModelUnavailable
from service.logs import bound_request_id
from service.store.tables import Job

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def backoff_s(attempt: int, base: float, retry_after: float | None = None) -> float:
    """Exponential with jitter, never sooner than the server asked."""
    delay = base * 2 ** max(0, attempt - 1) * (0.5 + random.random())
    return float(max(delay, retry_after or 0.0))


class Executor:
    """Runs claimed jobs of `work`; a job to retry later goes back to `queue`."""

    def __init__(self, work: JobWork, queue: Queue, worker: str | None = None) -> None:
        self.work = work
        self.queue = queue
        self.repo = work.repo
        self.settings = work.settings
        self.worker = worker or worker_name()

    async def claim(self, job_id: str) -> Job | None:
        return await asyncio.to_thread(
            self.repo.claim, job_id, self.worker, self.settings.job_stale_after_s
        )

    async def claim_next(self) -> Job | None:
        return await asyncio.to_thread(
            self.repo.claim_next, self.worker, self.settings.job_stale_after_s
        )

    async def execute(self, job: Job) -> str:
        """Run a job this worker has claimed; returns the status it ended in."""
        if job.attempts > job.max_attempts:
            # it keeps taking its workers down with it (or they keep dying): stop here
            lost = {"code": "worker_lost", "message": "the job's workers stopped repeatedly"}
            return await self._finish(job, "dead", error=lost)
        progress: dict[str, Any] = dict(job.progress)
        owned = threading.Event()
        owned.set()

        def report(p: dict[str, Any]) -> bool:
            progress.clear()
            progress.update(p)
            ok = self.repo.heartbeat(job.id, self.worker, dict(p))
            if not ok:
                owned.clear()
            return ok and owned.is_set()

        beat = asyncio.create_task(self._heartbeat(job.id, progress, owned))
        try:
            spec = JobSpec.model_validate(job.spec)
            with bound_request_id(job.id):  # the job's log lines carry its id
                result = await asyncio.to_thread(run_job, spec, self.work.engine, report)
        except JobLost:
            return "lost"
        except InputError as exc:
            bad: dict[str, Any] = {"code": exc.code, "message": exc.message}
            bad["attempts"] = job.attempts
            return await self._finish(job, "failed", error=bad, progress=progress)
        except Exception as exc:  # model faults and anything unforeseen: retry, then dead
            return await self._retry_or_dead(job, exc, progress)
        finally:
            beat.cancel()
        total = progress.get("total", 0)
        done = {"done": total, "total": total, "stage": "done"}
        return await self._finish(job, "done", result=result, progress=done)

    async def _heartbeat(
        self, job_id: str, progress: dict[str, Any], owned: threading.Event
    ) -> None:
        interval = max(0.2, min(10.0, self.settings.job_stale_after_s / 4))
        while True:
            await asyncio.sleep(interval)
            ok = await asyncio.to_thread(self.repo.heartbeat, job_id, self.worker, None)
            if not ok:
                owned.clear()
                return

    async def _retry_or_dead(self, job: Job, exc: Exception, progress: dict[str, Any]) -> str:
        if isinstance(exc, LLMError):
            error = {"code": exc.code, "message": str(exc), "attempts": job.attempts}
        else:
            log.exception("job %s failed unexpectedly", job.id)
            error = {
                "code": "internal_error",
                "message": f"{type(exc).__name__} while running the job",
                "attempts": job.attempts,
            }
        if job.attempts >= job.max_attempts:
            return await self._finish(job, "dead", error=error, progress=progress)
        retry_after = exc.retry_after if isinstance(exc, ModelUnavailable) else None
        delay = backoff_s(job.attempts, self.settings.job_retry_base_s, retry_after)
        await asyncio.to_thread(self.repo.retry_later, job.id, self.worker, delay, error)
        await self.queue.enqueue(job.id)
        return "retrying"

    async def _finish(self, job: Job, status: str, **fields: Any) -> str:
        won = await asyncio.to_thread(self.repo.finish, job.id, self.worker, status, **fields)
        if not won:
            return "lost"
        metrics = self.work.metrics
        if metrics is not None:
            metrics.jobs_finished.labels(status=status).inc()
        await self._notify(job.id)
        return status

    async def _notify(self, job_id: str) -> None:
        view = await self.work.get(job_id)
        if view is None or not view.notify:
            return
        notifier = self.work.notifiers.get(str(view.notify.get("kind")))
        if notifier is None:
            log.warning("job %s: no notifier for %r", job_id, view.notify.get("kind"))
            return
        try:
            await notifier(view)
        except Exception:  # the job is done either way; the failure is logged, not raised
            log.exception("job %s: notification failed", job_id)
