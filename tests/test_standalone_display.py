"""Unresolved pronouns reach the reader: Slack's claim rows name the candidates, and the
web page renders them (service/slack/blocks.py, service/api/static/app.js)."""

from __future__ import annotations

from service.api import web
from service.slack.blocks import claim_blocks, summary_rows

CLAIM = {
    "id": "c1",
    "speaker": "Example News",
    "text": "Later he left the city.",
    "evidence": [{"start": 0, "end": 5, "quote": "Later"}],
    "unresolved": [
        {
            "original": "he",
            "span": {"start": 6, "end": 8, "quote": "he"},
            "candidates": ["Tom Hale", "Sam Ortiz"],
            "reason": "several people it may stand for",
        }
    ],
}


def test_slack_claim_rows_show_whom_a_kept_pronoun_may_mean() -> None:
    (row,) = summary_rows({"claims": [CLAIM], "summary": {"key_points": []}}, 0)
    assert row.note == "he: Tom Hale or Sam Ortiz?"
    text = claim_blocks(row, "job-1")[0]["text"]["text"]
    assert "he: Tom Hale or Sam Ortiz?" in text


def test_a_claim_without_unresolved_pronouns_has_no_note() -> None:
    (row,) = summary_rows({"claims": [CLAIM | {"unresolved": []}], "summary": {}}, 0)
    assert row.note == ""


def test_the_web_page_renders_unresolved_pronouns() -> None:
    script = (web.STATIC / "app.js").read_text(encoding="utf-8")
    assert "claim.unresolved" in script and "Kept as written" in script
