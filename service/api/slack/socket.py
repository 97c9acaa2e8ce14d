"""Socket Mode: the same Slack app over an outbound WebSocket, for teams without a public URL.

The process runs the job system too (in-process workers by default), so `summarizer slack
--socket` is the whole service for a small team.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from service.config import Settings
from service.jobs.queues import make_queue
from service.jobs.service import JobService

log = logging.getLogger(__name__)


async def run(settings: Settings, jobs: JobService | None = None) -> None:
    from service.api.slack import build_app

    if settings.slack_app_token is None:
        raise ValueError("Socket Mode needs SUMMARIZER_SLACK_APP_TOKEN (an xapp- token)")
    if jobs is None:
        from service.jobs.process import build_jobs

        jobs = build_jobs(settings)
    jobs.queue = jobs.queue or make_queue(settings, jobs, min_workers=1)
    app = build_app(settings, jobs, http=False)
    handler = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
    await jobs.queue.start()
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack Socket Mode connected")
        await asyncio.Event().wait()  # until cancelled (Ctrl-C)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await jobs.queue.stop()


def serve(settings: Settings) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(settings))
