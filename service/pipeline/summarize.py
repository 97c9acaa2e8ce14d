"""Stage 5: headline, one-sentence summary and key points, each point tied to claims."""

from __future__ import annotations

import copy
from typing import Any

from service.pipeline.context import RunContext
from service.pipeline.ground import support
from service.pipeline.models import Claim, KeyPoint, Summary

_MIN_KEYPOINT_SUPPORT = 0.4
_CHARS_PER_WORD = 7  # English news prose averages ~6 characters a word, space included


def length_schema(base: dict[str, Any], max_words: int) -> dict[str, Any]:
    """Bound the summary's characters during decoding so a small model cannot ramble on."""
    schema = copy.deepcopy(base)
    schema["properties"]["summary"]["maxLength"] = max_words * _CHARS_PER_WORD
    return schema


def summarize_in_context(ctx: RunContext, article: str, max_words: int) -> dict[str, Any]:
    prompt = ctx.prompt("summarize")
    assert prompt.schema is not None
    return ctx.ask(
        "summarize",
        article,
        {"max_words": max_words},
        schema=length_schema(prompt.schema, max_words),
        label="summarize",
    )


def summarize_from_claims(ctx: RunContext, claims: list[Claim], max_words: int) -> dict[str, Any]:
    listing = "\n".join(f"[{i}] {c.speaker}: {c.text}" for i, c in enumerate(claims, 1))
    data = ctx.ask_standalone(
        "summarize_claims", {"claims": listing, "max_words": max_words}, label="summarize"
    )
    # Key points cite claim numbers here; express them as those claims' sentences.
    for point in data["key_points"]:
        cited = [claims[i - 1] for i in point["sentences"] if 1 <= i <= len(claims)]
        point["sentences"] = sorted({s for c in cited for s in c.sentence_ids})
    return data


def link_key_points(
    data: dict[str, Any], claims: list[Claim], max_words: int, warnings: list[str]
) -> Summary:
    """Link each key point to the claims it rests on; a point resting on none is dropped."""
    points: list[KeyPoint] = []
    for point in data["key_points"]:
        cited = set(point["sentences"])
        ids = [c.id for c in claims if cited & set(c.sentence_ids)]
        if not ids:
            ids = [c.id for c in claims if support(point["text"], c.text) >= _MIN_KEYPOINT_SUPPORT]
        if not ids:
            warnings.append(f"key point dropped, no claim supports it: {point['text']!r}")
            continue
        points.append(KeyPoint(text=point["text"], claim_ids=ids))
    summary = " ".join(str(data["summary"]).split())
    words = len(summary.split())
    if words > max_words:
        warnings.append(f"summary has {words} words, over max_words={max_words}")
    return Summary(
        headline=" ".join(str(data["headline"]).split()),
        summary=summary,
        key_points=points,
        word_count=words,
    )
