"""A fake Slack on loopback: the Web API (/api/<method>), response URLs (/response/<id>) and a
Socket Mode WebSocket (/ws), recording everything it is sent. Plus signed request builders
using Slack's real signing algorithm, so the app's verification is exercised, not bypassed.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from slack_sdk.signature import SignatureVerifier

from tests.fake_openai import serve_asgi

BOT_USER = "UBOT"
TEAM = "T0001"


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []  # method, args, authorization
        self.responses: list[tuple[str, dict[str, Any]]] = []  # response_url id, body
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.errors: dict[str, str] = {}  # method -> Slack error to answer with
        self.socket_envelopes: list[dict[str, Any]] = []  # sent on the WebSocket once connected
        self.socket_acks: list[dict[str, Any]] = []
        self.base = ""
        app = FastAPI()

        @app.api_route("/api/{method}", methods=["GET", "POST"])
        async def api(method: str, request: Request) -> dict[str, Any]:
            args: dict[str, Any] = dict(request.query_params)
            raw = (await request.body()).decode()
            if raw and request.headers.get("content-type", "").startswith("application/json"):
                args.update(json.loads(raw))
            elif raw:
                args.update(dict(urllib.parse.parse_qsl(raw)))
            self.calls.append((method, args, request.headers.get("authorization", "")))
            if method in self.errors:
                return {"ok": False, "error": self.errors[method]}
            return self._answer(method, args)

        @app.post("/response/{hook}")
        async def response(hook: str, request: Request) -> str:
            self.responses.append((hook, await request.json()))
            return "ok"

        @app.websocket("/ws")
        async def ws(websocket: WebSocket) -> None:
            await websocket.accept()
            await websocket.send_json({"type": "hello", "num_connections": 1})
            for envelope in self.socket_envelopes:
                await websocket.send_json(envelope)
            try:
                while True:
                    self.socket_acks.append(json.loads(await websocket.receive_text()))
            except Exception:
                return

        self.app = app

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "team_id": TEAM,
                "user": "summarizer",
            }
        if method == "chat.postMessage":
            return {"ok": True, "channel": args.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "conversations.replies":
            return {"ok": True, "messages": self.threads.get((args["channel"], args["ts"]), [])}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http://", "ws://") + "/ws"}
        if method in ("views.open", "views.update"):
            view = args.get("view") or {}
            return {
                "ok": True,
                "view": {"id": "V1", **(json.loads(view) if isinstance(view, str) else view)},
            }
        return {"ok": True}

    def api_calls(self, method: str) -> list[dict[str, Any]]:
        return [args for m, args, _auth in self.calls if m == method]

    def response_url(self, hook: str = "r1") -> str:
        return f"{self.base}/response/{hook}"


@contextmanager
def serve_slack(fake: FakeSlack) -> Iterator[FakeSlack]:
    with serve_asgi(fake.app) as base:
        fake.base = base
        yield fake


def wait_until(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def async_wait_until(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s")


# -- signed requests as Slack sends them -------------------------------------------------


def signed(
    secret: str, body: str, *, timestamp: int | None = None, content_type: str
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    assert signature is not None
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }


FORM = "application/x-www-form-urlencoded"


def slash_body(text: str, response_url: str, trigger: str = "trig-1") -> str:
    return urllib.parse.urlencode(
        {
            "command": "/summarize",
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger,
            "user_id": "UALICE",
            "user_name": "alice",
            "channel_id": "C1",
            "team_id": TEAM,
            "token": "legacy-verification-token",
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def message_shortcut(
    message: dict[str, Any], response_url: str, channel: str = "C1"
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "summarize_message",
        "trigger_id": "trig-shortcut",
        "team": {"id": TEAM},
        "user": {"id": "UALICE"},
        "channel": {"id": channel, "name": "news"},
        "message": message,
        "message_ts": message["ts"],
        "response_url": response_url,
    }


def block_action(
    value: str, action_id: str, response_url: str, block_id: str = "b1"
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UBOB"},
        "trigger_id": "trig-action",
        "container": {"type": "message", "message_ts": "1.0", "channel_id": "C1"},
        "channel": {"id": "C1"},
        "response_url": response_url,
        "actions": [
            {"action_id": action_id, "block_id": block_id, "value": value, "type": "button"}
        ],
    }


def mention_event(
    channel: str, ts: str, thread_ts: str | None, text: str, event_id: str = "Ev1"
) -> str:
    event = {"type": "app_mention", "user": "UALICE", "text": text, "ts": ts, "channel": channel}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A1",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
    )
