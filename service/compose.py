"""The composition root: every long-lived object of a process, built once, complete.

It sits above every front door. `summarizer serve` (the API, with Slack's events route when
Slack is set up), `summarizer worker`, Slack's Socket Mode, the CLI's one-shot commands, the
eval runner and the bench all get their engine here, so what is measured is what is served.
Nothing is filled in after construction, and nothing below this module decides which
notifiers exist, which doors share the API's app or how the nightly eval runs (the core
never imports Slack or evals).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI

from service.api.app import Door, create_app
from service.api.auth import Gate
from service.cache import ResultCache
from service.config import Settings
from service.engine import Engine, ModelLoad
from service.jobs.queues import make_queue
from service.jobs.service import JobService, JobWork, Notifier
from service.llm.backend import Backend
from service.llm.cache import CachingBackend
from service.llm.factory import build_backend
from service.metrics import Metrics
from service.pipeline.checks.check import load_checker
from service.prompts import PromptLibrary
from service.services import Services
from service.store.store import Store

if TYPE_CHECKING:
    from evals.runner import Engines

EVAL_RESPONSES = "eval-responses"  # the eval's response cache, under the cache directory


def build_engine(
    settings: Settings,
    *,
    backend: Backend | None = None,
    store: Store | None = None,
    metrics: Metrics | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> Engine:
    """An Engine alone (the CLI's one-shot commands): with a store, results are shared. The
    backend is the configured one unless given; the model loads on first use or `warm()`."""
    model = backend or build_backend(settings)
    prompts = PromptLibrary(settings.prompts_dir, settings.prompt_versions)
    checker = (
        load_checker(model.model_id, prompts, settings.check_threshold)
        if settings.check_faithfulness
        else None
    )
    return Engine(
        settings,
        backend=model,
        prompts=prompts,
        checker=checker,
        cache=ResultCache(store.results if store is not None else None, metrics),
        metrics=metrics,
        model=ModelLoad(),
        progress=progress,
    )


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
    work = JobWork(settings, engine, store.jobs, metrics, notifiers)
    jobs = JobService(work, make_queue(settings, work, min_workers))

    def nightly(timestamp: int) -> bool:
        from evals.nightly import run_nightly_eval  # evals is a tool of the deployment

        # The cases run on the serving model, each through an engine of its own (no stored
        # result answers them); the story evals on the serving engine itself.
        fresh = build_eval_engines(settings, backend=engine.backend, responses=False)
        return run_nightly_eval(engine, fresh, store.eval_runs, timestamp)

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


def build_api(services: Services, *, warm: bool = True) -> FastAPI:
    """The HTTP API over built services, with its key gate, and Slack's events route on the
    same app when Slack's signing secret is set."""
    settings = services.settings
    gate = Gate(services.store.keys, settings.require_api_key, settings.rate_limit_per_minute)
    doors: list[Door] = []
    if settings.slack_signing_secret is not None:
        from service import slack  # Bolt is only imported when Slack is configured

        doors.append(lambda app: slack.mount(app, settings, services.jobs, services.store.flags))
    return create_app(services, gate, doors=doors, warm=warm)


def run_socket_mode(settings: Settings) -> None:
    """Slack over Socket Mode: the whole service in one process, at least one worker."""
    if settings.slack_app_token is None:  # refused before anything is built
        raise ValueError("Socket Mode needs SUMMARIZER_SLACK_APP_TOKEN (an xapp- token)")
    from service.slack.socket import serve

    serve(build_services(settings, min_workers=1))


def build_eval_engines(
    settings: Settings,
    *,
    backend: Backend | None = None,
    responses: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> Engines:
    """The engines an eval measures, built as the served one is. `responses`: on the eval's
    response cache (a re-run of unchanged prompts is free; each repeat has its own salt, so
    it is real); the nightly run asks the serving model itself."""
    from evals.runner import Engines

    model = backend or build_backend(settings)
    if responses:
        model = CachingBackend(model, settings.cache_dir / EVAL_RESPONSES)
    return Engines.over(lambda b: build_engine(settings, backend=b, progress=progress), model)
