"""The Slack adapter's parts without a server: reading messages, Block Kit limits and escaping,
the notify seal, and the manifest agreeing with the code."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from service.config import REPO_ROOT, Settings
from service.jobs.models import JobError, JobProgress, JobView
from service.slack import EVENTS_PATH
from service.slack.articles import (
    PASTED_ARTICLE_WORDS,
    from_command,
    from_message,
    from_thread,
    links,
    prose,
)
from service.slack.blocks import all_claims_modal, summary_blocks, summary_rows
from service.slack.handlers import COMMAND, SHORTCUT
from service.slack.notify import job_message, response_url_allowed, seal, slack_notifier, unseal
from tests.fake_slack import FakeSlack, serve_slack

LONG = " ".join(["word"] * PASTED_ARTICLE_WORDS)


@pytest.fixture
def cfg(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path, slack_bot_token="xoxb-1", slack_signing_secret="s3cret")


def test_links_in_slack_markup_and_raw_text() -> None:
    text = "see <https://a.example/x?y=1|A story> and https://b.example/z. also <https://a.example/x?y=1>"
    assert links(text) == ["https://a.example/x?y=1", "https://b.example/z"]
    assert links("<mailto:x@y.z|mail> <#C123|news> <@U1>") == []


def test_prose_drops_links_and_mentions_and_unescapes() -> None:
    assert (
        prose("<@UBOT> R&amp;D fell &lt;5% <https://x.example|x>\nsecond line")
        == "R&D fell <5%\nsecond line"
    )


def test_a_chosen_message_is_an_article_but_a_remark_about_a_link_is_not() -> None:
    assert [a.text for a in from_message({"text": "Short pasted text."}, lone_text=True)] == [
        "Short pasted text."
    ]
    remark = from_message({"text": "worth a read <https://x.example/a>"}, lone_text=True)
    assert [(a.text, a.url) for a in remark] == [(None, "https://x.example/a")]
    both = from_message({"text": f"{LONG} <https://x.example/a>"})
    assert [bool(a.text) for a in both] == [True, False]


def test_a_slash_command_is_a_pasted_article_or_links() -> None:
    pasted = from_command(f"{LONG} see https://x.example/a")
    assert [(bool(a.text), a.url) for a in pasted] == [(True, None)]
    story = from_command("https://x.example/a https://y.example/b")
    assert [a.url for a in story] == ["https://x.example/a", "https://y.example/b"]
    assert from_command("") == []


def test_thread_reading_skips_bots_duplicates_and_chatter() -> None:
    messages = [
        {"user": "U1", "text": "<https://x.example/a>"},
        {"user": "U2", "text": "nice"},
        {"user": "U2", "text": "same one https://x.example/a"},
        {"bot_id": "B1", "text": "<https://old.example/answer>"},
        {"user": "UBOT", "text": "<https://mine.example/>"},
        {"user": "U3", "text": LONG},
    ]
    articles, extra = from_thread(messages, "UBOT")
    assert [(a.url, bool(a.text)) for a in articles] == [
        ("https://x.example/a", False),
        (None, True),
    ]
    many, extra = from_thread(
        [{"user": "U", "text": f"https://x.example/{i}"} for i in range(13)], None
    )
    assert len(many) == 10 and extra == 3


def claim(
    i: int, text: str = "Budanov said up to 40% of shells come from North Korea"
) -> dict[str, Any]:
    return {
        "id": f"c{i}",
        "text": text,
        "speaker": "Kyrylo Budanov",
        "evidence": [{"start": 0, "end": 5, "quote": "up to"}],
    }


def result(
    claims: list[dict[str, Any]], headline: str = "Budanov on North Korea"
) -> dict[str, Any]:
    return {
        "summary": {
            "headline": headline,
            "summary": "A summary.",
            "key_points": [{"text": "kp", "claim_ids": [claims[-1]["id"]]}],
        },
        "claims": claims,
        "dropped": [],
        "source": {},
    }


def test_article_text_cannot_ping_or_format_links_in_slack() -> None:
    hostile = claim(1, "<!channel> click <https://evil.example|here> & win")
    text = json.dumps(summary_blocks(result([hostile], "<!here> headline"), "job", 0, 5))
    assert "<!channel>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text and "&amp; win" in text


def test_key_point_claims_come_first_and_limits_hold() -> None:
    claims = [claim(i, "x" * 5000) for i in range(60)]
    one = result(claims, "h" * 400)
    assert summary_rows(one, 0)[0].claim_id == "c59"
    blocks = summary_blocks(one, "job", 0, 5)
    assert len(blocks) <= 50 and len(blocks[0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    modal = all_claims_modal(summary_rows(one, 0), "job", "t")
    assert len(modal["blocks"]) <= 100 and len(modal["title"]["text"]) <= 24


def view(**fields: Any) -> JobView:
    base: dict[str, Any] = {
        "id": "job-1",
        "kind": "summary",
        "status": "done",
        "progress": JobProgress(),
        "attempts": 1,
        "max_attempts": 3,
        "created_at": datetime.now(UTC),
    }
    return JobView(**(base | fields))


def test_several_articles_fit_one_message() -> None:
    results = [result([claim(i) for i in range(20)]) for _ in range(6)]
    _text, blocks = job_message(view(result={"results": results}))
    assert len(blocks) <= 50
    assert "2 more articles" in json.dumps(blocks)


def test_failures_are_named_plainly() -> None:
    error = JobError(code="fetch_timeout", message="the page took too long to load", attempts=1)
    text, blocks = job_message(view(status="failed", error=error))
    assert "`fetch_timeout`" in json.dumps(blocks)
    assert text.startswith(":warning: Could not summarise this.") and "too long to load" in text
    dead = JobError(code="model_timeout", message="timed out", attempts=3)
    text, _blocks = job_message(view(status="dead", error=dead))
    assert "Gave up after 3 attempts" in text


def test_a_notify_target_is_honoured_only_with_our_seal(cfg: Settings) -> None:
    target = seal({"channel": "C1", "thread_ts": "1.0"}, cfg)
    assert unseal(target, cfg) == target
    assert unseal({**target, "channel": "C2"}, cfg) is None  # moved to another channel
    assert unseal({"kind": "slack", "channel": "C1"}, cfg) is None  # from /v1/jobs, unsealed
    other = cfg.model_copy(update={"slack_bot_token": SecretStr("xoxb-2")})
    assert unseal(target, other) is None


def _posted(cfg: Settings, target: dict[str, Any], forge: Any) -> int:
    """Posts (thread messages and response_url answers) a fake Slack receives when a job
    ends with `target`, sealed, then changed by `forge` as a client of /v1/jobs could."""
    with serve_slack(FakeSlack()) as slack:
        settings = cfg.model_copy(update={"slack_api_url": f"{slack.base}/api/"})
        sealed = seal({**target, "response_url": slack.response_url()}, settings)
        notify = slack_notifier(settings)
        asyncio.run(notify(view(notify=forge(sealed), result={"results": []})))
        return len(slack.api_calls("chat.postMessage")) + len(slack.responses)


FORGERIES = {
    "no seal": lambda t: {k: v for k, v in t.items() if k != "seal"},
    "a made-up seal": lambda t: {**t, "seal": "0" * 64},
    "moved to another channel": lambda t: {**t, "channel": "C2"},
    "another answer address": lambda t: {**t, "response_url": t["response_url"] + "-2"},
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
@pytest.mark.parametrize(
    "target", [{"channel": "C1", "thread_ts": "1.0"}, {"in_channel": True}], ids=["thread", "url"]
)
def test_a_forged_target_is_not_posted_to(
    cfg: Settings, target: dict[str, Any], forge: Any
) -> None:
    # The same target, sealed as the handlers seal it, is delivered: only the seal refuses.
    assert _posted(cfg, target, lambda t: t) == 1
    assert _posted(cfg, target, forge) == 0


def test_response_urls_must_point_at_slack(cfg: Settings) -> None:
    assert response_url_allowed("https://hooks.slack.com/commands/T1/1/abc", cfg)
    assert not response_url_allowed("http://hooks.slack.com/commands/T1/1/abc", cfg)
    assert not response_url_allowed("https://169.254.169.254/latest", cfg)
    assert not response_url_allowed("https://hooks.slack.com.evil.example/x", cfg)


def test_the_manifest_matches_the_app() -> None:
    manifest = yaml.safe_load((REPO_ROOT / "slack" / "manifest.yaml").read_text())
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [("message", SHORTCUT)]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention"]
    urls = [features["slash_commands"][0]["url"], settings["event_subscriptions"]["request_url"]]
    urls.append(settings["interactivity"]["request_url"])
    assert all(u.endswith(EVENTS_PATH) for u in urls)
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "app_mentions:read", "channels:history"} <= scopes
