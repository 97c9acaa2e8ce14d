"""The default queue: asyncio workers inside the API process, over the same job table.

Nothing is lost when the process dies: jobs live in the store, and a job left running by a
dead process is taken over once its heartbeat is stale (at the next start, or by a sibling).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from service.jobs.service import JobWork
from service.jobs.worker import Executor

log = logging.getLogger(__name__)
POLL_S = 1.0


class InProcessQueue:
    def __init__(self, work: JobWork, workers: int = 1, grace_s: float = 10.0) -> None:
        self.work = work
        self.workers = workers
        self.grace_s = grace_s
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._running: dict[str, Executor] = {}

    async def enqueue(self, job_id: str) -> None:
        self._wake.set()

    async def start(self) -> None:
        for _ in range(self.workers):
            self._tasks.append(asyncio.create_task(self._loop(Executor(self.work, self))))

    async def _loop(self, executor: Executor) -> None:
        while not self._stopping:
            try:
                job = await executor.claim_next()
            except Exception:  # the database may be briefly away; keep the worker alive
                log.exception("claiming a job failed")
                job = None
            if job is None:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_S)
                continue
            self._running[job.id] = executor
            try:
                await executor.execute(job)
            except Exception:
                log.exception("job %s: executor failed", job.id)
            finally:
                self._running.pop(job.id, None)

    async def stop(self) -> None:
        """Finish the running jobs within the grace period, else hand them back to the queue."""
        self._stopping = True
        self._wake.set()
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(self._tasks, timeout=self.grace_s)
        for job_id, executor in list(self._running.items()):
            released = await asyncio.to_thread(self.work.repo.release, job_id, executor.worker)
            log.info("job %s handed back to the queue: %s", job_id, released)
        for task in pending:
            task.cancel()
        self._tasks.clear()
