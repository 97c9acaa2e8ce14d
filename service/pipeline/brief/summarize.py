"""Stage: headline, summary and key points, from the ranked claims.

Selection before phrasing: rank.py orders the claims by importance. The headline states
the most important claim, with who claims it (headline.py: in the claim's own words when
they fit, else by deletion from the same parse, else the model's, checked). The summary and key
points are the claims themselves in fewer words (compress.py: deletion only, so every word,
number and name is the claim's), most important first. Words are spent once: the summary
states the claims the headline does not, and fits `max_words` by keeping fewer whole
sentences, never by cutting one.
"""

from __future__ import annotations

from service.pipeline.brief.compress import shorten_all
from service.pipeline.brief.headline import headline_for
from service.pipeline.context import RunContext
from service.pipeline.models import Claim, KeyPoint, Summary

MAX_KEY_POINTS = 5
CANDIDATES = 8  # the claims a short summary chooses from: past these, filler


def _fit(candidates: list[tuple[str, str]], max_words: int) -> tuple[str, list[str]]:
    """Whole sentences within the limit, most important first; one that does not fit is
    passed over for a shorter one after it, so a longer summary covers more. Never a cut
    sentence: over the limit with the first one rather than cut (a warning says so)."""
    text: list[str] = []
    ids: list[str] = []
    for sentence, cid in candidates:
        if cid in ids or len(" ".join([*text, sentence]).split()) > max_words:
            continue
        text.append(sentence)
        ids.append(cid)
    if text or not candidates:
        return " ".join(text), ids
    return candidates[0][0], [candidates[0][1]]


def write_summary(
    ctx: RunContext,
    ranked: list[Claim],
    max_words: int,
    warnings: list[str],
    injected: frozenset[str] = frozenset(),
) -> Summary:
    if not ranked:
        return Summary(headline="", summary="", key_points=[], word_count=0)
    # Only the claims a summary of this length could use are shortened (a parse each).
    usable = ranked[: max(MAX_KEY_POINTS, CANDIDATES, max_words // 12)]
    cut = shorten_all((c.text, c.speaker) for c in usable)
    short = {c.id: c.text for c in ranked} | {
        c.id: s.text for c, s in zip(usable, cut, strict=True)
    }
    head = headline_for(ctx, list(zip(usable, cut, strict=True)), warnings, injected)
    rest = [c for c in usable if c.id != head.claim_id] or ranked  # one claim: said twice
    summary, ids = _fit([(short[c.id], c.id) for c in rest], max_words)
    words = len(summary.split())
    if words > max_words:
        warnings.append(f"summary has {words} words, over max_words={max_words}")
    return Summary(
        headline=head.text,
        summary=summary,
        key_points=[KeyPoint(text=short[c.id], claim_ids=[c.id]) for c in ranked[:MAX_KEY_POINTS]],
        word_count=words,
        claim_ids=ids,
        headline_claim_ids=[head.claim_id] if head.claim_id else [],
        headline_by_model=head.path == "model",
        headline_path=head.path,
    )
