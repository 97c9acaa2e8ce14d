"""The composition root: every long-lived object of a process, built once, complete.

`summarizer serve`, `summarizer worker`, Slack's Socket Mode and the CLI build what they
need here; nothing is filled in after construction, and nothing below this module decides
which notifiers exist or how the nightly eval runs (the core never imports Slack or evals).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from service.cache import ResultCache
from service.config import Settings
from service.engine import Engine
from service.jobs.queues import make_queue
from service.jobs.service import JobService, Notifier
from service.llm.backend import Backend
from service.metrics import Metrics
from service.store.store import Store

Nightly = Callable[[int], bool]  # the nightly eval: run at a timestamp, True when it passed


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    metrics: Metrics
    cache: ResultCache
    engine: Engine
    jobs: JobService
    notifiers: Mapping[str, Notifier]
    nightly: Nightly


def build_engine(
    settings: Settings,
    *,
    backend: Backend | None = None,
    store: Store | None = None,
    metrics: Metrics | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> Engine:
    """An Engine alone (the CLI's one-shot commands): with a store, results are shared."""
    cache = ResultCache(store.results if store is not None else None, metrics)
    return Engine(settings, backend=backend, cache=cache, metrics=metrics, progress=progress)


def build_services(
    settings: Settings,
    *,
    backend: Backend | None = None,
    min_workers: int = 0,
) -> Services:
    """Everything a serving process needs. The store is migrated here: a process is usable
    as soon as its services exist. `min_workers`: Socket Mode runs at least one in-process
    worker even when the API would run none."""
    store = Store(settings.db_url)
    store.migrate()
    jobs_repo = store.jobs
    metrics = Metrics(
        depth=lambda: {
            **jobs_repo.depth(),
            "stuck": len(jobs_repo.stuck(settings.job_stale_after_s)),
        }
    )
    engine = build_engine(settings, backend=backend, store=store, metrics=metrics)
    notifiers = build_notifiers(settings)
    jobs = JobService(
        settings,
        engine,
        store.jobs,
        metrics=metrics,
        notifiers=notifiers,
        queue=lambda service: make_queue(settings, service, min_workers),
    )

    def nightly(timestamp: int) -> bool:
        from evals.nightly import run_nightly_eval  # evals is a tool of the deployment

        return run_nightly_eval(engine, store.eval_runs, timestamp)

    return Services(settings, store, metrics, engine.cache, engine, jobs, notifiers, nightly)


def build_notifiers(settings: Settings) -> dict[str, Notifier]:
    """Notifiers by name, for jobs that ask to be announced when they end."""
    notifiers: dict[str, Notifier] = {}
    if settings.slack_bot_token is None and settings.slack_signing_secret is None:
        return notifiers  # nothing could have sealed a Slack target; skip importing Bolt
    try:
        from service.slack.notify import slack_notifier
    except ImportError:  # the Slack adapter is optional
        return notifiers
    notifiers["slack"] = slack_notifier(settings)
    return notifiers
