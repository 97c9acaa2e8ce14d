"""The Slack app end to end: signed requests into the real FastAPI app and Bolt, the real job
system with its in-process worker and a scripted model, and a fake Slack on loopback that
records what the app posts back (Web API and response_url)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from typer.testing import CliRunner

from evals.cli import app as eval_app
from service.api.app import create_app
from service.api.slack import EVENTS_PATH
from service.config import Settings
from service.engine import Engine
from service.jobs.service import JobService
from service.llm.errors import ModelUnavailable
from tests.conftest import ARTICLES, make_backend
from tests.fake_slack import (
    FORM,
    FakeSlack,
    block_action,
    interactive_body,
    mention_event,
    message_shortcut,
    serve_asgi,
    serve_slack,
    signed,
    slash_body,
    wait_until,
)
from tests.fake_web import FakeWeb, Page, serve_web
from tests.fakes import reader_responder

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1234-5678-SECRETBOTTOKEN"
SEED = next(ARTICLES.glob("004*.txt")).read_text()
SEED2 = next(ARTICLES.glob("002*.txt")).read_text()
ARTICLE_HTML = (
    "<html><head><title>Budanov</title></head><body><article><h1>Budanov interview</h1>"
    + "".join(f"<p>{p}</p>" for p in SEED.split("\n") if p.strip())
    + "</article></body></html>"
)


@dataclass
class Service:
    base: str
    app: FastAPI
    slack: FakeSlack
    web: FakeWeb

    @property
    def jobs(self) -> JobService:
        jobs: JobService = self.app.state.jobs
        return jobs

    def post(self, body: str, content_type: str = FORM, **sign: Any) -> httpx.Response:
        headers = signed(SECRET, body, content_type=content_type, **sign)
        return httpx.post(self.base + EVENTS_PATH, content=body, headers=headers, timeout=30)

    def slash(self, text: str, hook: str = "r1") -> httpx.Response:
        return self.post(slash_body(text, self.slack.response_url(hook)))

    def interact(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(interactive_body(payload))


Start = Callable[..., Service]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start the whole service against a fresh fake Slack and web; settings can be changed."""
    with serve_slack(FakeSlack()) as slack, serve_web(FakeWeb()) as web:
        servers: list[Any] = []

        def run(responder: Callable[..., Any] = reader_responder, **overrides: Any) -> Service:
            values: dict[str, Any] = {
                "cache_dir": tmp_path / "cache",
                "max_attempts": 1,
                "job_max_attempts": 1,
                "job_retry_base_s": 0.05,
                "slack_bot_token": BOT_TOKEN,
                "slack_signing_secret": SECRET,
                "slack_api_url": f"{slack.base}/api/",
                "fetch_allow_private": True,  # the fake web is on loopback
            }
            settings = Settings(**(values | overrides))
            app = create_app(engine=Engine(settings, backend=make_backend(responder)), warm=False)
            server = serve_asgi(app)
            servers.append(server)
            return Service(server.__enter__(), app, slack, web)

        try:
            yield run
        finally:
            for server in reversed(servers):
                server.__exit__(None, None, None)


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]], action_id: str) -> list[dict[str, Any]]:
    return [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def test_slash_command_with_a_link_posts_the_summary_to_the_response_url(start: Start) -> None:
    svc = start()
    url = svc.web.add("/budanov", Page(body=ARTICLE_HTML.encode()))
    r = svc.slash(url)
    assert r.status_code == 200
    assert "On it" in r.text and url in r.text
    hook, body = wait_until(lambda: svc.slack.responses, what="the result")[0]
    assert hook == "r1" and body["response_type"] == "ephemeral"
    blocks = body["blocks"]
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["text"]
    text = blocks_text(blocks)
    assert "Key points" in text and "Claims" in text
    # every claim shows its speaker and a quote that is the article's own words
    claims = [
        b
        for b in blocks
        if b["type"] == "section"
        and b["text"]["text"].startswith("*")
        and "\n>" in b["text"]["text"]
    ]
    assert claims
    for block in claims:
        quote = block["text"]["text"].split("\n>_“", 1)[1].rsplit("”_", 1)[0].rstrip("…")
        assert " ".join(quote.split()) in " ".join(SEED.split())
    assert len(buttons(blocks, "flag_wrong")) == len(claims) == len(buttons(blocks, "flag_right"))
    assert buttons(blocks, "show_claims"), "more claims than shown: the expansion button"
    assert len(blocks) <= 50


def test_slash_command_can_post_pasted_text_in_the_channel(start: Start) -> None:
    svc = start()
    assert svc.slash("--channel " + SEED).status_code == 200
    _hook, body = wait_until(lambda: svc.slack.responses, what="the result")[0]
    assert body["response_type"] == "in_channel"
    assert "Claims" in blocks_text(body["blocks"])


def test_slash_command_without_text_explains_itself(start: Start) -> None:
    svc = start()
    r = svc.slash("  ")
    assert r.status_code == 200 and "/summarize <link or pasted article>" in r.text


def test_message_shortcut_replies_in_the_thread(start: Start) -> None:
    svc = start()
    message = {"type": "message", "user": "UCAROL", "ts": "1700000000.000100", "text": SEED}
    r = svc.interact(message_shortcut(message, svc.slack.response_url("s1")))
    assert r.status_code == 200
    posted = wait_until(lambda: svc.slack.api_calls("chat.postMessage"), what="the thread reply")
    assert posted[0]["channel"] == "C1" and posted[0]["thread_ts"] == "1700000000.000100"
    assert "Claims" in blocks_text(posted[0]["blocks"])
    notes = [b for h, b in svc.slack.responses if h == "s1"]
    assert notes and "thread" in notes[0]["text"] and notes[0]["response_type"] == "ephemeral"


def test_mention_in_a_thread_posts_the_story(start: Start) -> None:
    svc = start()
    url = svc.web.add("/a", Page(body=ARTICLE_HTML.encode()))
    svc.slack.threads[("C9", "1700000000.000001")] = [
        {"type": "message", "user": "UALICE", "ts": "1700000000.000001", "text": f"Look: <{url}>"},
        {"type": "message", "user": "UBOB", "ts": "1700000000.000002", "text": SEED2},
        {
            "type": "message",
            "bot_id": "BBOT",
            "ts": "1700000000.000003",
            "text": "an earlier answer https://old.example/x",
        },
        {
            "type": "message",
            "user": "UALICE",
            "ts": "1700000000.000004",
            "text": "<@UBOT> compare these",
        },
    ]
    body = mention_event("C9", "1700000000.000004", "1700000000.000001", "<@UBOT> compare these")
    r = svc.post(body, content_type="application/json")
    assert r.status_code == 200
    posted = wait_until(
        lambda: [c for c in svc.slack.api_calls("chat.postMessage") if c.get("blocks")],
        30,
        "the story",
    )
    assert posted[0]["thread_ts"] == "1700000000.000001"
    text = blocks_text(posted[0]["blocks"])
    assert "Story across 2 articles" in text
    for part in ("Corroborated", "Single source", "Discrepancies"):
        assert part in text
    first = svc.slack.api_calls("chat.postMessage")[0]
    assert "comparing 2 articles" in first["text"]  # the bot's own earlier message was skipped


def test_flag_buttons_store_the_reviewers_verdict(start: Start, tmp_path: Path) -> None:
    svc = start()
    svc.slash(SEED)
    _hook, body = wait_until(lambda: svc.slack.responses, what="the result")[0]
    wrong = buttons(body["blocks"], "flag_wrong")[0]
    right = buttons(body["blocks"], "flag_right")[1]
    assert (
        svc.interact(
            block_action(wrong["value"], "flag_wrong", svc.slack.response_url("f1"))
        ).status_code
        == 200
    )
    assert (
        svc.interact(
            block_action(right["value"], "flag_right", svc.slack.response_url("f2"))
        ).status_code
        == 200
    )
    flags = wait_until(
        lambda: len(svc.jobs.store.list_flags()) == 2 and svc.jobs.store.list_flags(), what="flags"
    )
    ref = json.loads(wrong["value"])
    assert [f["verdict"] for f in flags] == ["wrong", "right"]
    assert flags[0]["claim"]["id"] == ref["claim"] and flags[0]["job_id"] == ref["job"]
    assert flags[0]["article_text"] == SEED and flags[0]["user"] == "UBOB"
    for span in flags[0]["claim"]["evidence"]:  # the stored claim still points into the article
        assert SEED[span["start"] : span["end"]] == span["quote"]
    confirmations = wait_until(
        lambda: [b for h, b in svc.slack.responses if h in ("f1", "f2")], what="thanks"
    )
    assert (
        "flagged as wrong" in confirmations[0]["text"]
        and confirmations[0]["response_type"] == "ephemeral"
    )
    # and `summarizer eval flags-to-cases` turns them into labels (a draft: two labels only)
    args = ["flags-to-cases", "--out", str(tmp_path / "cases"), "--db", svc.jobs.settings.db_url]
    cli = CliRunner().invoke(eval_app, args)
    assert cli.exit_code == 0 and "0 ready, 1 drafts" in cli.output, cli.output
    draft = yaml.safe_load(next((tmp_path / "drafts").glob("*.yaml")).read_text())
    assert len(draft["claims"]) == 1 and len(draft["forbidden"]) == 1


def test_show_all_claims_opens_a_modal_with_every_claim(start: Start) -> None:
    svc = start()
    svc.slash(SEED)
    _hook, body = wait_until(lambda: svc.slack.responses, what="the result")[0]
    show = buttons(body["blocks"], "show_claims")[0]
    svc.interact(block_action(show["value"], "show_claims", svc.slack.response_url("m1")))
    opened = wait_until(lambda: svc.slack.api_calls("views.open"), what="the modal")[0]
    assert opened["trigger_id"] == "trig-action"
    view = opened["view"]
    job = asyncio.run(svc.jobs.get(json.loads(show["value"])["job"]))
    assert job is not None and job.result is not None
    total = len(job.result["results"][0]["claims"])
    assert view["type"] == "modal" and len(buttons(view["blocks"], "flag_wrong")) == min(total, 49)
    assert total > len(buttons(body["blocks"], "flag_wrong"))


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
    assert svc.jobs.store.jobs.depth() == {} and svc.slack.responses == []


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
