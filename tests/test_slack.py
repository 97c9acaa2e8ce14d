"""The Slack app end to end, the ways people use it: slash command, message shortcut, thread
mention, the result's buttons. Signed requests go into the real app; a fake Slack on loopback
records what the app posts back (Web API and response_url)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from evals.cli import app as eval_app
from tests.fake_slack import block_action, mention_event, message_shortcut, wait_until
from tests.fake_web import Page
from tests.slack_harness import (
    ARTICLE_HTML,
    SEED,
    SEED2,
    Start,
    blocks_text,
    buttons,
    start,
)

__all__ = ["start"]  # the fixture


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
        lambda: len(svc.services.store.flags.list()) == 2 and svc.services.store.flags.list(),
        what="flags",
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
    # a verdict given in the modal is stored, and the pressed row says so in place
    row = next(
        b
        for b in view["blocks"]
        if b["type"] == "actions" and b["elements"][0]["action_id"] == "flag_wrong"
    )
    press = block_action(row["elements"][0]["value"], "flag_wrong", "", block_id=row["block_id"])
    del press["response_url"], press["channel"]
    press["container"] = {"type": "view", "view_id": "V1"}
    press["view"] = {"id": "V1", "hash": "h1", **view}
    svc.interact(press)
    updated = wait_until(lambda: svc.slack.api_calls("views.update"), what="the modal update")[0]
    assert updated["view_id"] == "V1" and updated["hash"] == "h1"
    texts = blocks_text(updated["view"]["blocks"])
    assert row["block_id"] not in [b.get("block_id") for b in updated["view"]["blocks"]]
    assert ":white_check_mark: Thanks" in texts
    assert len(updated["view"]["blocks"]) == len(view["blocks"])
    assert [f["verdict"] for f in svc.services.store.flags.list()] == ["wrong"]


def test_when_the_bot_cannot_post_in_the_thread_the_user_still_gets_the_result(
    start: Start,
) -> None:
    svc = start()
    svc.slack.errors["chat.postMessage"] = "not_in_channel"
    message = {"type": "message", "user": "UCAROL", "ts": "1700000000.000100", "text": SEED}
    svc.interact(message_shortcut(message, svc.slack.response_url("s1")))
    results = wait_until(
        lambda: [b for h, b in svc.slack.responses if h == "s1" and b.get("blocks")],
        what="the fallback",
    )
    assert "invite me" in results[0]["text"] and results[0]["response_type"] == "ephemeral"
    assert "Claims" in blocks_text(results[0]["blocks"])


def test_a_retried_mention_starts_one_job_and_says_on_it_once(start: Start) -> None:
    svc = start()
    svc.slack.threads[("C7", "1700000001.000001")] = [
        {"type": "message", "user": "UBOB", "ts": "1700000001.000001", "text": SEED2},
        {"type": "message", "user": "UALICE", "ts": "1700000001.000002", "text": "<@UBOT> sum"},
    ]
    body = mention_event("C7", "1700000001.000002", "1700000001.000001", "<@UBOT> sum", "Ev7")
    # Slack sends the same event again when it thinks the first delivery failed
    assert svc.post(body, content_type="application/json").status_code == 200
    assert svc.post(body, content_type="application/json").status_code == 200
    wait_until(
        lambda: [c for c in svc.slack.api_calls("chat.postMessage") if c.get("blocks")],
        30,
        "the result",
    )
    said = [c["text"] for c in svc.slack.api_calls("chat.postMessage") if not c.get("blocks")]
    assert len([t for t in said if t.startswith("On it")]) == 1, said
    assert len([c for c in svc.slack.api_calls("chat.postMessage") if c.get("blocks")]) == 1
