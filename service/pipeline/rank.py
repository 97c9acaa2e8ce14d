"""Stage: the article's claims in order of importance, for the summary to choose from.

What an editor would lead with: a claim with figures, a named source, words the headline
and the rest of the article come back to, and early position as one signal among these,
not the rule (a news article often opens with context). Deterministic, so a summary's
choice of facts can be explained and tested without a model.
"""

from __future__ import annotations

import re

from service.pipeline.ground import numbers_in
from service.pipeline.models import UNATTRIBUTED, Claim

_WORD = re.compile(r"[A-Za-z][\w’'-]+")
_SHARE = re.compile(r"\d\s?%|\bper\s?cent\b|\bpercent\b", re.I)
_STOP = frozenset(
    "the a an and or but of to in on at for with by from as that this these those is are was "
    "were be been has have had will would may might can could should also its it their his her "
    "he she they said says according not than more most over into after before about".split()
)


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def importance(claim: Claim, index: int, total: int, title: str, others: list[set[str]]) -> float:
    words = content_words(claim.text)
    score = 2.0 * (1 - index / max(total, 1))  # position: a signal, not the rule
    numbers = numbers_in(claim.text)
    score += 1.5 if numbers else 0.0
    score += 1.0 if _SHARE.search(claim.text) else 0.0  # a share is the usual headline number
    attributed = claim.attribution is not None and claim.attribution.cue != "narration"
    score += 1.0 if attributed and claim.speaker != UNATTRIBUTED else 0.0
    if title:
        head = content_words(title)
        score += 3.0 * len(words & head) / max(len(head), 1)
    # Elaborated: other claims come back to its words.
    echoes = sum(1 for o in others if len(words & o) >= 3)
    score += min(echoes, 5) * 0.3
    if claim.kind == "quote" and not numbers:
        score -= 0.5  # a quotation gives colour; the news is usually stated plainly
    return score


def rank(claims: list[Claim], title: str | None) -> list[Claim]:
    """Claims, most important first (ties keep the article's order)."""
    words = [content_words(c.text) for c in claims]
    scored = [
        (
            importance(c, i, len(claims), title or "", words[:i] + words[i + 1 :]),
            -i,
            c,
        )
        for i, c in enumerate(claims)
    ]
    return [c for _, _, c in sorted(scored, key=lambda t: (t[0], t[1]), reverse=True)]
