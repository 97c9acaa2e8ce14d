"""Which queue a process uses, from settings (called by the composition root)."""

from __future__ import annotations

from service.config import Settings
from service.jobs.service import JobService, Queue


def make_queue(settings: Settings, jobs: JobService, min_workers: int = 0) -> Queue:
    if settings.queue == "procrastinate":
        # Only defers here; `summarizer worker` processes run the jobs.
        from service.jobs.pgqueue import ProcrastinateQueue, make_app

        return ProcrastinateQueue(jobs, make_app(settings))
    from service.jobs.inprocess import InProcessQueue

    return InProcessQueue(jobs, workers=max(min_workers, settings.workers))
