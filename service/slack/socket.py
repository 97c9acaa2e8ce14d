"""Socket Mode: the same Slack app over an outbound WebSocket, for teams without a public URL.

The process runs the job system too (in-process workers by default), so `summarizer slack
--socket` is the whole service for a small team.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

if TYPE_CHECKING:
    from service.services import Services

log = logging.getLogger(__name__)


async def run(services: Services) -> None:
    from service.slack import build_app

    settings, jobs = services.settings, services.jobs
    if settings.slack_app_token is None:
        raise ValueError("Socket Mode needs SUMMARIZER_SLACK_APP_TOKEN (an xapp- token)")
    if jobs.queue is None:
        raise ValueError("Socket Mode needs a job queue (build_services makes one)")
    app = build_app(settings, jobs, services.store.flags, http=False)
    handler = AsyncSocketModeHandler(app, settings.slack_app_token.get_secret_value())
    await jobs.queue.start()
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack Socket Mode connected")
        await asyncio.Event().wait()  # until cancelled (Ctrl-C)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await jobs.queue.stop()


def serve(services: Services) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(services))
