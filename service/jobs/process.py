"""`summarizer worker`: one procrastinate worker process. Start as many as you like, on any
machines, against the same PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

import procrastinate

from service.jobs.pgqueue import QUEUE, RUN_JOB, ProcrastinateQueue
from service.jobs.service import JobService
from service.jobs.worker import Executor
from service.metrics import Metrics

log = logging.getLogger(__name__)


async def run_worker(
    jobs: JobService,
    metrics: Metrics,
    nightly: Callable[[int], bool],
    metrics_port: int | None = None,
) -> None:
    """Run jobs until stopped. `nightly` is the nightly eval, wired by the composition root."""
    settings = jobs.settings
    if metrics_port is not None:
        metrics.serve(metrics_port)
    queue = jobs.queue
    if not isinstance(queue, ProcrastinateQueue):
        raise ValueError("workers need SUMMARIZER_QUEUE=procrastinate")
    app = queue.app
    executor = Executor(jobs.work, queue)
    _register_tasks(app, executor, nightly, settings.nightly_eval_cron)
    await queue.start()
    sweeper = asyncio.create_task(_sweep_forever(queue, settings.job_stale_after_s))
    log.info("worker %s ready", executor.worker)
    try:
        # SIGTERM: stop fetching, let the running job finish within the grace period; a job
        # cut off anyway is taken over by another worker once its heartbeat goes stale.
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=1,
            name=executor.worker,
            shutdown_graceful_timeout=settings.job_stale_after_s,
            install_signal_handlers=True,
        )
    finally:
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        await queue.stop()


def _register_tasks(
    app: procrastinate.App, executor: Executor, nightly: Callable[[int], bool], cron: str
) -> None:
    @app.task(name=RUN_JOB, queue=QUEUE)
    async def run_job(job_id: str) -> None:
        job = await executor.claim(job_id)
        if job is None:
            return  # finished, cancelled, not yet due, or alive in another worker
        status = await executor.execute(job)
        log.info("job %s: %s", job_id, status)

    @app.periodic(cron=cron, periodic_id="nightly-eval")
    @app.task(name="summarizer.nightly_eval", queue=QUEUE, queueing_lock="nightly-eval")
    async def nightly_eval(timestamp: int) -> None:
        await asyncio.to_thread(nightly, timestamp)


async def _sweep_forever(queue: ProcrastinateQueue, stale_after_s: float) -> None:
    interval = max(0.5, stale_after_s / 2)
    while True:
        try:
            await queue.sweep()
        except Exception:
            log.exception("sweep failed")
        await asyncio.sleep(interval)


def main(
    jobs: JobService,
    metrics: Metrics,
    nightly: Callable[[int], bool],
    metrics_port: int | None = None,
) -> None:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    asyncio.run(run_worker(jobs, metrics, nightly, metrics_port))
