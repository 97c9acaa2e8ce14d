"""The Slack app (Bolt for Python): HTTP events on the API at /slack/events, or Socket Mode.

Bolt verifies every HTTP request's signature and refuses timestamps more than five minutes
old; the listeners live in handlers.py, the messages in blocks.py, and results come back
through the job notifier in notify.py. Install with the manifest in slack/manifest.yaml.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp

from service.api.slack.handlers import register
from service.api.slack.notify import web_client
from service.config import Settings
from service.jobs.service import JobService

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are a few KB; refuse floods before verifying


def build_app(settings: Settings, jobs: JobService, *, http: bool = True) -> AsyncApp:
    secret = settings.slack_signing_secret
    if settings.slack_bot_token is None:
        raise ValueError("the Slack app needs SUMMARIZER_SLACK_BOT_TOKEN (an xoxb- token)")
    if http and secret is None:
        raise ValueError("Slack over HTTP needs SUMMARIZER_SLACK_SIGNING_SECRET")
    app = AsyncApp(
        name="summarizer",
        client=web_client(settings),
        signing_secret=secret.get_secret_value() if secret else "",
        # Socket Mode requests carry no signature; Bolt skips verification for them only.
        request_verification_enabled=http,
    )
    register(app, settings, jobs)
    return app


def mount(app: FastAPI, settings: Settings, jobs: JobService) -> None:
    handler = AsyncSlackRequestHandler(build_app(settings, jobs))

    @app.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            return Response("length required", status_code=411)
        if int(length) > MAX_BODY_BYTES:
            return Response("payload too large", status_code=413)
        return await handler.handle(request)


def run_socket_mode(settings: Settings) -> None:
    from service.api.slack.socket import serve

    serve(settings)
