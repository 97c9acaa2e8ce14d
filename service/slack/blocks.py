"""Block Kit messages for results, stories and failures.

Article text is untrusted: everything taken from it is escaped (so `<!channel>` in an article
stays text and pings nobody) and cut to Slack's field limits, so a long article can never
make a message Slack refuses. Button values carry only ids; the claim itself is read back
from the job when someone presses them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Block = dict[str, Any]

FLAG_WRONG = "flag_wrong"
FLAG_RIGHT = "flag_right"
SHOW_CLAIMS = "show_claims"
SHOWN_CLAIMS = 5  # in the channel; the rest behind "show all claims"
MODAL_BLOCK_LIMIT = 100
MESSAGE_BLOCK_LIMIT = 50


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str, limit: int = 150) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": False}


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000] or " "}}


def context(*parts: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": p[:2000]} for p in parts]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


@dataclass(frozen=True)
class Row:
    """One claim as shown: where it comes from (for the flag buttons) and what it says."""

    article: int
    claim_id: str
    speaker: str
    text: str
    quote: str
    note: str = ""


def button_value(job_id: str, **fields: Any) -> str:
    return json.dumps({"job": job_id, **fields}, separators=(",", ":"))


def claim_blocks(row: Row, job_id: str) -> list[Block]:
    quote = f"\n>_“{escape(cut(row.quote, 200))}”_" if row.quote else ""
    note = f"  ·  {escape(row.note)}" if row.note else ""
    text = f"*{escape(cut(row.speaker, 80))}*: {escape(cut(row.text, 600))}{note}{quote}"
    ref = {"article": row.article, "claim": row.claim_id}
    buttons = [
        {
            "type": "button",
            "action_id": FLAG_WRONG,
            "text": plain("Flag wrong claim"),
            "style": "danger",
            "value": button_value(job_id, **ref, verdict="wrong"),
        },
        {
            "type": "button",
            "action_id": FLAG_RIGHT,
            "text": plain("Looks right"),
            "value": button_value(job_id, **ref, verdict="right"),
        },
    ]
    block_id = f"claim:{row.article}:{row.claim_id}"[:255]
    return [section(text), {"type": "actions", "block_id": block_id, "elements": buttons}]


def _quote(claim: dict[str, Any]) -> str:
    evidence = claim.get("evidence") or [{}]
    return str(evidence[0].get("quote", ""))


def unresolved_note(claim: dict[str, Any]) -> str:
    """ "he: Tom Hale or Sam Ortiz?": pronouns the claim keeps as written, with whom the
    article leaves them meaning."""
    notes = [
        f"{u['original']}: {' or '.join(u['candidates'])}?"
        for u in claim.get("unresolved") or []
        if u.get("candidates")
    ]
    return "; ".join(dict.fromkeys(notes))


def summary_rows(result: dict[str, Any], article: int) -> list[Row]:
    """Claims behind the key points first: they are what the reader sees summarised."""
    claims = result.get("claims") or []
    key_ids = [
        i for kp in (result.get("summary") or {}).get("key_points", []) for i in kp["claim_ids"]
    ]
    order = {cid: n for n, cid in enumerate(dict.fromkeys(key_ids))}
    ranked = sorted(claims, key=lambda c: order.get(c["id"], len(order)))
    return [
        Row(article, str(c["id"]), str(c["speaker"]), str(c["text"]), _quote(c), unresolved_note(c))
        for c in ranked
    ]


def _show_all(job_id: str, count: int, **ref: Any) -> Block:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHOW_CLAIMS,
                "text": plain(f"Show all {count} claims"),
                "value": button_value(job_id, **ref),
            }
        ],
    }


def summary_blocks(result: dict[str, Any], job_id: str, article: int, shown: int) -> list[Block]:
    summary = result.get("summary") or {}
    source = result.get("source") or {}
    blocks = [header(summary.get("headline") or source.get("title") or "Summary")]
    if source.get("url"):
        blocks.append(context(escape(cut(str(source["url"]), 300))))
    blocks.append(section(escape(cut(summary.get("summary", ""), 1500))))
    points = [f"• {escape(cut(kp['text'], 300))}" for kp in summary.get("key_points", [])]
    if points:
        blocks.append(section("*Key points*\n" + "\n".join(points)))
    rows = summary_rows(result, article)
    if rows:
        blocks.append(section(f"*Claims* ({len(rows)})"))
    for row in rows[:shown]:
        blocks.extend(claim_blocks(row, job_id))
    if len(rows) > shown:
        blocks.append(_show_all(job_id, len(rows), article=article))
    notes = [f"{len(rows)} claims", f"{len(result.get('dropped') or [])} dropped as ungrounded"]
    if result.get("partial") or result.get("warnings"):
        notes.append("partial result: " + escape(cut("; ".join(result.get("warnings") or []), 300)))
    blocks.append(context(" · ".join(notes)))
    return blocks


def _support_row(cluster: dict[str, Any], index_of: dict[str, int], note: str) -> Row:
    first = cluster["articles"][0]
    evidence = first.get("evidence") or [{}]
    return Row(
        index_of.get(str(first["article"]), 0),
        str(first["claim_id"]),
        str(cluster.get("speaker", "")),
        str(cluster.get("text", "")),
        str(evidence[0].get("quote", "")),
        note,
    )


def story_rows(story: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    index_of = {str(a["id"]): n for n, a in enumerate(story.get("articles") or [])}
    corroborated = [
        _support_row(
            c, index_of, f"{c['support']} articles, {c['independent_support']} independent"
        )
        for c in story.get("clusters") or []
    ]
    single = [
        _support_row(c, index_of, f"only {c['articles'][0]['article']}")
        for c in story.get("single_source") or []
    ]
    return corroborated, single


def _side(side: dict[str, Any]) -> str:
    evidence = side.get("evidence") or [{}]
    quote = escape(cut(str(evidence[0].get("quote") or side.get("text", "")), 160))
    return f"*{escape(str(side['article']))}*: “{quote}”"


def story_blocks(story: dict[str, Any], job_id: str) -> list[Block]:
    articles = story.get("articles") or []
    blocks = [header(f"Story across {len(articles)} articles")]
    blocks.append(section(escape(cut(story.get("summary", ""), 1500))))
    corroborated, single = story_rows(story)
    for title, rows, limit in (("Corroborated", corroborated, 4), ("Single source", single, 3)):
        blocks.append(section(f"*{title}* ({len(rows)})" + ("" if rows else "\nnone")))
        for row in rows[:limit]:
            blocks.extend(claim_blocks(row, job_id))
    discrepancies = story.get("discrepancies") or []
    lines = [
        f":warning: *{d['kind']}*: {escape(cut(d['description'], 300))}\n{_side(d['a'])}\n{_side(d['b'])}"
        for d in discrepancies[:5]
    ]
    blocks.append(
        section(f"*Discrepancies* ({len(discrepancies)})\n" + ("\n".join(lines) or "none"))
    )
    if len(corroborated) > 4 or len(single) > 3:
        blocks.append(_show_all(job_id, len(corroborated) + len(single), article=-1))
    names = ", ".join(escape(str(a.get("outlet") or a["id"])) for a in articles)
    blocks.append(context(f"Articles: {names}"))
    return blocks


def all_claims_modal(rows: list[Row], job_id: str, title: str) -> dict[str, Any]:
    blocks: list[Block] = [section(f"*{escape(cut(title, 200))}*")]
    room = (MODAL_BLOCK_LIMIT - 2) // 2
    for row in rows[:room]:
        blocks.extend(claim_blocks(row, job_id))
    if len(rows) > room:
        blocks.append(context(f"{len(rows) - room} more claims are in the job result ({job_id})."))
    return {
        "type": "modal",
        "title": plain("All claims", 24),
        "close": plain("Close", 24),
        "blocks": blocks,
    }
