"""Stage: headline, summary and key points, chosen from the ranked claims.

Selection before phrasing: rank.py orders the claims by importance; the model phrases a
headline and a few summary sentences from the top ones, each sentence citing its claims.
The pipeline then keeps a sentence only if it ends as a sentence and every number and name
in it is in the claims it cites; the summary fits `max_words` by keeping fewer whole
sentences, never by cutting one. Key points are the top claims themselves, most important
first: they already read alone and are grounded, and cost no generated token.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from service.pipeline.context import RunContext
from service.pipeline.ground import names_missing, numbers_in, words_of
from service.pipeline.models import Claim, KeyPoint, Summary
from service.pipeline.prompt_names import SUMMARIZE
from service.pipeline.segment import defuse

SHOWN = 6  # top claims the model phrases from
MAX_KEY_POINTS = 5
HEADLINE_WORDS = 12
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_LAST_LATIN = 0x2FFF  # punctuation, dashes and symbols come before; CJK and others after
_ENDS = re.compile(r"[.!?][\"”’']?$")
_DANGLING = frozenset("a an the of to in on at by for with as and or but that from".split())


def _schema(base: dict[str, Any], ids: list[str]) -> dict[str, Any]:
    """Cited ids limited to the claims shown, so decoding cannot cite another."""
    schema = copy.deepcopy(base)
    schema["properties"]["summary"]["items"]["properties"]["claim"]["enum"] = ids
    return schema


def ask_summary(ctx: RunContext, top: list[Claim]) -> dict[str, Any]:
    """The model's sentences do not depend on the word limit (the pipeline fits them), so
    one call, served from the prompt cache afterwards, answers every length."""
    listing = defuse("\n".join(f"[{c.id}] ({c.speaker}) {c.text}" for c in top))
    prompt = ctx.prompt(SUMMARIZE)
    assert prompt.schema is not None
    return ctx.ask_standalone(
        SUMMARIZE,
        {"claims": listing},
        schema=_schema(prompt.schema, [c.id for c in top]),
        label="summarize",
    )


def complete(sentence: str) -> bool:
    """Ends as a sentence: terminal punctuation, and not on "a", "the", "as" before it."""
    words = sentence.rstrip(".!?\"”’' ").split()
    return bool(_ENDS.search(sentence)) and bool(words) and words[-1].lower() not in _DANGLING


def unsupported(text: str, cited: str, injected: frozenset[str]) -> list[str]:
    """Numbers and names of `text` that its cited claims do not contain, and any word found
    only in text addressed to an AI."""
    have = set(numbers_in(cited))
    bad = [n for n in numbers_in(text) if n not in have] + names_missing(text, cited)
    bad += [a for a in _ACRONYM.findall(text) if a not in cited]
    bad += [c for c in text if ord(c) > _LAST_LATIN and c not in cited]  # another script
    return bad + sorted(injected & words_of(text))


def _sentences(
    data: dict[str, Any], by_id: dict[str, Claim], warnings: list[str], injected: frozenset[str]
) -> list[tuple[str, str]]:
    """(sentence, claim id) for each summary sentence of the model's; a sentence that fails
    its checks stands as the claim it restates, which is whole and grounded."""
    kept: list[tuple[str, str]] = []
    for n, item in enumerate(data.get("summary") or [], 1):
        text = " ".join(str(item.get("text", "")).split())
        cid = str(item.get("claim", ""))
        if cid not in by_id:
            warnings.append(f"summary sentence {n} dropped: it cites no claim shown")
            continue
        claim = by_id[cid]
        if not complete(text):
            warnings.append(f"summary sentence {n} dropped: incomplete; its claim stands instead")
            text = claim.text
        elif unsupported(text, f"{claim.speaker} {claim.text}", injected):
            # Not quoted back: the model's unsupported words may be an article's injection.
            warnings.append(f"summary sentence {n} dropped: numbers or names not in its claims")
            text = claim.text
        kept.append((text, cid))
    return kept


def _fit(
    sentences: list[tuple[str, str]], ranked: list[Claim], max_words: int
) -> tuple[str, list[str]]:
    """Whole sentences within the limit: the top claim first, then the model's other
    sentences, then the most important claims not yet stated that still fit, so a longer
    summary covers more. Never a cut sentence."""
    text: list[str] = []
    ids: list[str] = []
    # Selection before phrasing: the most important claim leads, in the model's words when
    # it phrased it, whatever order the model chose.
    lead = ranked[0].id if ranked else None
    leading = [x for x in sentences if x[1] == lead] or [(c.text, c.id) for c in ranked[:1]]
    candidates = leading + sentences + [(c.text, c.id) for c in ranked]
    for sentence, cid in candidates:
        if cid in ids or len(" ".join([*text, sentence]).split()) > max_words:
            continue
        text.append(sentence)
        ids.append(cid)
    if text:
        return " ".join(text), ids
    first = sentences[0] if sentences else (ranked[0].text, ranked[0].id)
    return first[0], [first[1]]  # over the limit rather than cut: a warning says so


def write_summary(
    ctx: RunContext,
    ranked: list[Claim],
    max_words: int,
    warnings: list[str],
    injected: frozenset[str] = frozenset(),
) -> Summary:
    if not ranked:
        return Summary(headline="", summary="", key_points=[], word_count=0)
    top = ranked[:SHOWN]
    by_id = {c.id: c for c in top}
    data = ask_summary(ctx, top)
    summary, ids = _fit(_sentences(data, by_id, warnings, injected), ranked, max_words)
    words = len(summary.split())
    if words > max_words:
        warnings.append(f"summary has {words} words, over max_words={max_words}")
    return Summary(
        headline=_headline(str(data.get("headline", "")), top, warnings, injected),
        summary=summary,
        key_points=[KeyPoint(text=c.text, claim_ids=[c.id]) for c in ranked[:MAX_KEY_POINTS]],
        word_count=words,
        claim_ids=ids,
    )


def _headline(text: str, top: list[Claim], warnings: list[str], injected: frozenset[str]) -> str:
    text = " ".join(text.split()).rstrip(".")
    shown = " ".join(f"{c.speaker} {c.text}" for c in top)
    if text and len(text.split()) <= HEADLINE_WORDS and not unsupported(text, shown, injected):
        return text
    warnings.append("headline replaced: too long, or numbers or names not in the claims")
    fitting = [c.text.rstrip(".") for c in top if len(c.text.split()) <= HEADLINE_WORDS]
    return fitting[0] if fitting else ""
