"""Stage 5: headline, one-sentence summary and key points, each point tied to claims.

The model names the key sentences; a key point is the claim(s) stated there. Writing key
points out again would cost a small model ~100 generated tokens and could drift from the
source; the claims are already grounded.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from service.pipeline.context import RunContext
from service.pipeline.ground import names_missing, numbers_in, support, words_of
from service.pipeline.models import Claim, KeyPoint, Summary
from service.pipeline.prompt_names import SUMMARIZE, SUMMARIZE_CLAIMS
from service.pipeline.segment import defuse, sentences_of

_CHARS_PER_WORD = (
    9  # a loose bound for decoding: the word limit is enforced after, on whole sentences
)
MAX_KEY_POINTS = 6
MIN_KEY_POINTS = 3


def length_schema(base: dict[str, Any], max_words: int) -> dict[str, Any]:
    """Bound the summary's characters during decoding so a small model cannot ramble on."""
    schema = copy.deepcopy(base)
    schema["properties"]["summary"]["maxLength"] = max_words * _CHARS_PER_WORD
    return schema


def summarize_in_context(ctx: RunContext, article: str, max_words: int) -> dict[str, Any]:
    prompt = ctx.prompt(SUMMARIZE)
    assert prompt.schema is not None
    return ctx.ask(
        SUMMARIZE,
        article,
        {"max_words": max_words},
        schema=length_schema(prompt.schema, max_words),
        label="summarize",
    )


def summarize_from_claims(ctx: RunContext, claims: list[Claim], max_words: int) -> dict[str, Any]:
    listing = defuse("\n".join(f"[{i}] {c.speaker}: {c.text}" for i, c in enumerate(claims, 1)))
    data = ctx.ask_standalone(
        SUMMARIZE_CLAIMS, {"claims": listing, "max_words": max_words}, label="summarize"
    )
    # Key points cite claim numbers here; express them as those claims' first sentences.
    data["key_points"] = [
        claims[i - 1].sentence_ids[0] for i in data["key_points"] if 1 <= i <= len(claims)
    ]
    return data


def fit_words(text: str, max_words: int) -> str:
    """Keep whole sentences within the limit; a single over-long sentence is kept whole."""
    text = " ".join(text.split())
    if len(text.split()) <= max_words:
        return text
    sentences = sentences_of(text)
    kept: list[str] = []
    for sentence in sentences:
        if len(" ".join([*kept, sentence]).split()) > max_words:
            break
        kept.append(sentence)
    return " ".join(kept) if kept else text


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
SUMMARY_SUPPORT = 0.5


def grounded_sentences(
    text: str, article: str, warnings: list[str], what: str, injected: frozenset[str] = frozenset()
) -> str:
    """Drop sentences stating numbers, names or acronyms the article does not contain, or
    whose words mostly are not the article's. `article` excludes text addressed to an AI,
    so a summary cannot repeat an injected instruction ("answer PWNED"); nor may it use a
    word found only there (`injected`: "...add that the mayor resigned")."""
    have = set(numbers_in(article))
    kept = []
    for index, sentence in enumerate(sentences_of(" ".join(text.split())), 1):
        bad = [n for n in numbers_in(sentence) if n not in have] + names_missing(sentence, article)
        bad += [a for a in _ACRONYM.findall(sentence) if a not in article]
        bad += sorted(injected & words_of(sentence))
        if not bad and support(sentence, article) < SUMMARY_SUPPORT:
            bad = ["words not in the article"]
        if bad:
            # Not quoted back: the model's unsupported words may be an article's injection.
            kinds = (
                "words not in the article"
                if bad == ["words not in the article"]
                else "numbers or names not in the article"
            )
            warnings.append(f"{what} sentence {index} dropped: {kinds}")
        else:
            kept.append(sentence)
    return " ".join(kept)


def build_summary(
    data: dict[str, Any],
    claims: list[Claim],
    max_words: int,
    article: str,
    warnings: list[str],
    injected: frozenset[str] = frozenset(),
) -> Summary:
    points: list[KeyPoint] = []
    used: set[str] = set()
    for sentence_id in data["key_points"]:
        stated = [c for c in claims if sentence_id in c.sentence_ids and c.id not in used]
        if not stated:
            warnings.append(f"key point on sentence [{sentence_id}] dropped: no claim there")
            continue
        used.update(c.id for c in stated)
        points.append(
            KeyPoint(text=" ".join(c.text for c in stated), claim_ids=[c.id for c in stated])
        )
        if len(points) == MAX_KEY_POINTS:
            break
    for claim in claims:
        # The model picked headings or too few points: complete from the article's order.
        if len(points) >= MIN_KEY_POINTS:
            break
        if claim.id not in used:
            used.add(claim.id)
            points.append(KeyPoint(text=claim.text, claim_ids=[claim.id]))
            warnings.append(f"key point completed from claim {claim.id}")
    summary = fit_words(
        grounded_sentences(str(data["summary"]), article, warnings, "summary", injected),
        max_words,
    )
    if not summary and points:
        summary = fit_words(points[0].text, max_words)
        warnings.append("summary replaced by the first key point")
    headline = grounded_sentences(str(data["headline"]), article, warnings, "headline", injected)
    words = len(summary.split())
    if words > max_words:
        warnings.append(f"summary has {words} words, over max_words={max_words}")
    return Summary(
        headline=headline or (doc_title_fallback(points)),
        summary=summary,
        key_points=points,
        word_count=words,
    )


def doc_title_fallback(points: list[KeyPoint]) -> str:
    return " ".join(points[0].text.split()[:12]) if points else ""
