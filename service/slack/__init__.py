"""The Slack front door (Bolt for Python): HTTP events on the API's app at /slack/events, or
Socket Mode (socket.py). It submits jobs; their results come back through the Slack notifier.
The composition root mounts the events route on the API's app, runs Socket Mode, and
registers the notifier with the job system.

Bolt verifies every HTTP request's signature and refuses timestamps more than five minutes
old; the listeners live in handlers.py, the messages in blocks.py, the notifier in
notify.py. Install with the manifest in slack/manifest.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from service.config import Settings
from service.http_errors import error_response, error_responses
from service.jobs.service import JobService
from service.slack.handlers import register
from service.slack.notify import web_client
from service.store.flags import FlagRepo

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are a few KB; refuse floods before verifying
# In the OpenAPI document so the schema fuzzer reaches it; only Slack can sign a request.
_EVENTS_DOC: dict[str, Any] = {
    "parameters": [
        {"name": h, "in": "header", "required": False, "schema": {"type": "string"}}
        for h in ("X-Slack-Signature", "X-Slack-Request-Timestamp")
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}}
            },
            "application/json": {"schema": {"type": "object"}},
        },
    },
}


def build_app(
    settings: Settings, jobs: JobService, flags: FlagRepo, *, http: bool = True
) -> AsyncApp:
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
    register(app, settings, jobs, flags)
    return app


def mount(app: FastAPI, settings: Settings, jobs: JobService, flags: FlagRepo) -> None:
    handler = AsyncSlackRequestHandler(build_app(settings, jobs, flags))
    assert settings.slack_signing_secret is not None  # build_app refuses HTTP without it
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())

    @app.post(
        EVENTS_PATH,
        tags=["slack"],
        summary="Slack's commands, shortcuts and events, signed by Slack",
        responses=error_responses(401, 404, 411, 413) | {200: {"description": "acknowledged"}},
        openapi_extra=_EVENTS_DOC,
    )
    async def slack_events(request: Request) -> Response:
        length = request.headers.get("content-length", "")
        if not (length.isascii() and length.isdigit()):  # "²".isdigit(), but int() fails
            return error_response(411, "length_required", "send a Content-Length header")
        if int(length) > MAX_BODY_BYTES:
            return error_response(
                413, "input_too_large", f"a Slack request is at most {MAX_BODY_BYTES} bytes"
            )
        # Bolt parses the body before it checks the signature, and answers a 500 to a body
        # that is not UTF-8 or not JSON, or to a timestamp that is not a number: check first.
        if not _signed(verifier, await request.body(), request.headers):
            return error_response(401, "unauthorized", "no valid Slack signature")
        response = await handler.handle(request)
        if response.status_code == 401:  # Bolt's own check; its body is {"error": "..."}
            return error_response(401, "unauthorized", "no valid Slack signature")
        if response.status_code == 404:  # a signed request no listener handles
            return error_response(404, "not_found", "no handler for this Slack request")
        return response


def _signed(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return verifier.is_valid(text, timestamp, headers.get("x-slack-signature", ""))
