"""The FastAPI application factory. No globals: settings and engine are built per app."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import __version__
from service.api import errors, health, observability, stories, summaries, web
from service.config import Settings
from service.engine import Engine
from service.metrics import Metrics


def create_app(
    settings: Settings | None = None, engine: Engine | None = None, warm: bool = True
) -> FastAPI:
    engine = engine or Engine(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            # Load the model in the background: /healthz answers at once, /readyz when loaded.
            threading.Thread(target=engine.warm, name="model-warmup", daemon=True).start()
        yield

    app = FastAPI(
        title="summarizer",
        version=__version__,
        description="Grounded summaries and attributed claim lists for news articles.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.metrics = Metrics()
    errors.install(app)
    app.include_router(health.router)
    app.include_router(summaries.router)
    app.include_router(stories.router)
    web.mount(app)
    # Last, so its middleware is the outermost and times everything the app does.
    observability.install(app, app.state.metrics, engine.settings)
    return app
