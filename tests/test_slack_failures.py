"""The Slack app when things go wrong or someone misbehaves: forged and replayed requests,
failing models and links, a slow model the acknowledgement must not wait for, and secrets
that must never reach the logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from service.llm.errors import ModelUnavailable
from service.slack import EVENTS_PATH
from tests.fake_slack import FORM, message_shortcut, signed, slash_body, wait_until
from tests.fake_web import Page
from tests.fakes import reader_responder
from tests.slack_harness import BOT_TOKEN, SECRET, Start, blocks_text, start
from tests.slack_harness import SEED_ASKS as SEED  # the model is asked: its faults show

__all__ = ["start"]  # the fixture


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda h: {**h, "X-Slack-Signature": "v0=" + "0" * 64}, id="bad-signature"),
        pytest.param(
            lambda h: {k: v for k, v in h.items() if k != "X-Slack-Signature"}, id="unsigned"
        ),
        pytest.param(
            lambda h: {
                **h,
                "X-Slack-Request-Timestamp": str(int(h["X-Slack-Request-Timestamp"]) + 1),
            },
            id="timestamp-changed",
        ),
    ],
)
def test_requests_without_a_valid_signature_get_401(
    start: Start, tamper: Callable[[dict[str, str]], dict[str, str]]
) -> None:
    svc = start()
    body = slash_body(SEED, svc.slack.response_url())
    headers = tamper(signed(SECRET, body, content_type=FORM))
    r = httpx.post(svc.base + EVENTS_PATH, content=body, headers=headers)
    assert r.status_code == 401
    time.sleep(0.3)
    assert svc.jobs.repo.depth() == {} and svc.slack.responses == []


def test_replayed_requests_older_than_five_minutes_get_401(start: Start) -> None:
    svc = start()
    body = slash_body(SEED, svc.slack.response_url())
    assert svc.post(body, timestamp=int(time.time()) - 6 * 60).status_code == 401
    assert (
        svc.post(body, timestamp=int(time.time()) - 4 * 60).status_code == 200
    )  # within the window


def test_a_model_failure_is_said_in_slack(start: Start) -> None:
    def down(_m: Any, _k: Any) -> str:
        raise ModelUnavailable("server down")

    svc = start(down)
    svc.slash(SEED)
    _hook, body = wait_until(lambda: svc.slack.responses, what="the failure message")[0]
    assert ":warning: Could not summarise this" in body["text"]
    assert "not available right now" in body["text"]
    assert "model_unavailable" in blocks_text(body["blocks"])


@pytest.mark.parametrize(
    ("path", "page", "code", "words"),
    [
        ("/gone", None, "fetch_http_error", "answered with an error"),
        (
            "/report.pdf",
            Page(headers={"Content-Type": "application/pdf"}, body=b"%PDF"),
            "fetch_unsupported_content_type",
            "not an article page",
        ),
    ],
)
def test_a_fetch_failure_is_said_in_slack(
    start: Start, path: str, page: Page | None, code: str, words: str
) -> None:
    svc = start()
    url = svc.web.add(path, page) if page else svc.web.base + path
    svc.slash(url)
    _hook, body = wait_until(lambda: svc.slack.responses, what="the failure message")[0]
    assert words in body["text"] and code in blocks_text(body["blocks"])


def test_a_link_to_a_private_address_is_refused_and_said_in_slack(start: Start) -> None:
    svc = start(fetch_allow_private=False)
    svc.slash("http://169.254.169.254/latest/meta-data/")
    _hook, body = wait_until(lambda: svc.slack.responses, what="the refusal")[0]
    assert "private or internal address" in body["text"]
    assert "fetch_blocked_address" in blocks_text(body["blocks"])


def test_the_acknowledgement_never_waits_for_the_model(start: Start) -> None:
    model_done: list[float] = []

    def slow(messages: Any, kwargs: Any) -> str:
        if not model_done:
            time.sleep(10)
            model_done.append(time.monotonic())
        return reader_responder(messages, kwargs)

    svc = start(slow)
    started = time.monotonic()
    r = svc.slash(SEED)
    acked = time.monotonic()
    assert r.status_code == 200 and "On it" in r.text
    assert acked - started < 3, f"acknowledged after {acked - started:.1f}s"
    assert not model_done and svc.slack.responses == []  # the model is still working
    _hook, body = wait_until(lambda: svc.slack.responses, 90, "the result after the slow model")[0]
    arrived = time.monotonic()
    assert model_done and arrived >= model_done[0] and arrived - started >= 10
    assert "Claims" in blocks_text(body["blocks"])


def test_tokens_and_secrets_are_never_logged(
    start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    svc = start()
    svc.slash(SEED)
    wait_until(lambda: svc.slack.responses, what="the result")
    message = {"type": "message", "user": "UCAROL", "ts": "1.000200", "text": SEED}
    svc.interact(message_shortcut(message, svc.slack.response_url("s1")))
    wait_until(lambda: svc.slack.api_calls("chat.postMessage"), what="the thread reply")
    svc.post(slash_body("x", svc.slack.response_url()), timestamp=1)  # a refused request
    assert any(auth == f"Bearer {BOT_TOKEN}" for _m, _a, auth in svc.slack.calls)  # it was used
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert caplog.records and BOT_TOKEN not in logged and SECRET not in logged
