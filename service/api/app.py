"""The FastAPI application over composed services. No globals: one set of services per app.

Built by the composition root (service/compose.py: `build_api`), which hands it the key gate
and any other door served on the same app (Slack's events route): the API knows neither."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import __version__
from service.api import errors, health, observability, stories, summaries, web
from service.api import jobs as jobs_api
from service.api.auth import Gate
from service.api.fastpath import FastPath
from service.engine import Engine
from service.services import Services

Door = Callable[[FastAPI], None]  # another front door's routes, added on the same app


def warm_up(engine: Engine) -> None:
    engine.warm()
    settle_heap()


def settle_heap() -> None:
    """Move everything alive after start-up out of the collector's reach.

    The imports, the model and the app are a few hundred thousand objects that live as long
    as the process. Each full collection walked all of them: a 150-200 ms pause every few
    seconds under load (bench/load.py: p99 170-190 ms without this, 42-54 ms with it).
    Frozen objects are never scanned again; garbage is collected first, and anything
    created later is collected as usual.
    """
    gc.collect()
    gc.freeze()


def create_app(
    services: Services, gate: Gate, *, doors: Sequence[Door] = (), warm: bool = True
) -> FastAPI:
    """The API over composed services; `gate` admits callers (keys, rate limits), `doors`
    add their routes inside the observability middleware."""
    settings, engine, jobs = services.settings, services.engine, services.jobs
    queue = jobs.queue
    if queue is None:
        raise ValueError("the API needs a job queue (build_services makes one)")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            # Load the model in the background: /healthz answers at once, /readyz when loaded.
            threading.Thread(
                target=warm_up, args=(engine,), name="model-warmup", daemon=True
            ).start()
        await queue.start()
        try:
            yield
        finally:
            await queue.stop()

    app = FastAPI(
        title="summarizer",
        version=__version__,
        description="Grounded summaries and attributed claim lists for news articles.",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.metrics = services.metrics
    app.state.gate = gate
    errors.install(app)
    app.include_router(health.router)
    app.include_router(summaries.router)
    app.include_router(stories.router)
    app.include_router(jobs_api.router)
    # Innermost of our middleware: its answers still get security headers, ids and metrics.
    app.add_middleware(FastPath, services=services, gate=gate)
    web.mount(app)
    for door in doors:
        door(app)
    # Last, so its middleware is the outermost and times everything the app does.
    observability.install(app, services.metrics, settings)
    return app
