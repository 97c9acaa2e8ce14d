"""Which queue a process uses, from settings (called by the composition root)."""

from __future__ import annotations

from service.config import Settings
from service.jobs.service import JobWork, Queue


def make_queue(settings: Settings, work: JobWork, min_workers: int = 0) -> Queue:
    if settings.queue == "procrastinate":
        # Only defers here; `summarizer worker` processes run the jobs.
        from service.jobs.pgqueue import ProcrastinateQueue, make_app

        return ProcrastinateQueue(work, make_app(settings))
    from service.jobs.inprocess import InProcessQueue

    return InProcessQueue(work, workers=max(min_workers, settings.workers))
