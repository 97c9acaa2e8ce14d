"""Stage: the article's claims in order of importance, for the summary to choose from.

What an editor would lead with: news is written lead first, so position is a strong prior
(fitted on the brief development set, evals/brief/README.md), with a claim with figures, a
named source, and words the headline and the rest of the article come back to on top.
Deterministic, so a summary's choice of facts can be explained and tested without a model.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from service.pipeline.claims.ground import numbers_in
from service.pipeline.models import UNATTRIBUTED, Claim

_WORD = re.compile(r"[A-Za-z][\w’'-]+")
_SHARE = re.compile(r"\d\s?%|\bper\s?cent\b|\bpercent\b", re.I)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A day of a month or a year: when something happened, not how much.
_DATE = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}|\b(?:19|20)\d\d\b(?!\s?%)")
REPEAT = 3.0  # what restating a ranked fact costs a claim's importance
# The position prior: news is written lead first, so the claim of the article's n-th
# sentence (counting only sentences with a claim) gets POSITION / (1 + n) ** DECAY.
# Fitted on the brief development set's dev split (evals/brief/README.md).
POSITION = 6.0
DECAY = 0.5
TITLE = 3.0  # for a claim saying all of the title's words (the headline's own news)
_STOP = frozenset(
    "the a an and or but of to in on at for with by from as that this these those is are was "
    "were be been has have had will would may might can could should also its it their his her "
    "he she they said says according not than more most over into after before about".split()
)


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def quantities(text: str) -> list[str]:
    """The numbers of a text that count something (dates left out)."""
    return numbers_in(_DATE.sub(" ", text))


def positions(claims: list[Claim]) -> list[int]:
    """Each claim's place in the article: the rank of its first sentence among the
    sentences that give a claim (claims of one sentence share it)."""
    first = [min(c.sentence_ids) if c.sentence_ids else i for i, c in enumerate(claims)]
    order = {s: n for n, s in enumerate(sorted(set(first)))}
    return [order[s] for s in first]


def importance(
    claim: Claim, place: int, title: str, others: list[set[str]], main: str | None
) -> float:
    words = content_words(claim.text)
    score = POSITION * math.pow(1 + place, -DECAY)
    numbers = quantities(claim.text)
    score += 1.5 if numbers else 0.0
    score += 1.0 if _SHARE.search(claim.text) else 0.0  # a share is the usual headline number
    attributed = claim.attribution is not None and claim.attribution.cue != "narration"
    score += 1.0 if attributed and claim.speaker != UNATTRIBUTED else 0.0
    score += 0.5 if main and claim.speaker == main else 0.0  # the story's own source
    if title:
        head = content_words(title)
        score += TITLE * len(words & head) / max(len(head), 1)
    # Elaborated: other claims come back to its words.
    echoes = sum(1 for o in others if len(words & o) >= 3)
    score += min(echoes, 5) * 0.3
    if claim.kind == "quote" and not numbers:
        score -= 0.5  # a quotation gives colour; the news is usually stated plainly
    return score


def main_source(claims: list[Claim]) -> str | None:
    """The person or body the article quotes most (at least twice): whose account the story
    is."""
    spoken = Counter(
        c.speaker
        for c in claims
        if c.attribution is not None
        and c.attribution.cue != "narration"
        and c.speaker != UNATTRIBUTED
    )
    top = spoken.most_common(1)
    return top[0][0] if top and top[0][1] >= 2 else None


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(min(len(a), len(b)), 1)


def rank(claims: list[Claim], title: str | None) -> list[Claim]:
    """Claims, most important first (ties keep the article's order). A claim that restates
    one ranked above it (most of its words, or its figure) moves down: a summary has room
    for each fact once, so the next fact should come first."""
    words = [content_words(c.text) for c in claims]
    figures = [set(quantities(c.text)) for c in claims]
    main = main_source(claims)
    places = positions(claims)
    score = {
        i: importance(c, places[i], title or "", words[:i] + words[i + 1 :], main)
        for i, c in enumerate(claims)
    }
    said = dict.fromkeys(score, 0.0)  # how much each claim restates those ranked so far
    order: list[int] = []
    while score:

        def value(i: int) -> tuple[float, int]:
            return score[i] - (REPEAT * said[i] if said[i] >= 0.5 else 0.0), -i

        best = max(score, key=value)
        order.append(best)
        del score[best]
        for i in score:  # only the newly ranked claim can raise a claim's restatement
            again = max(overlap(words[i], words[best]), 0.6 * bool(figures[i] & figures[best]))
            said[i] = max(said[i], again)
    return [claims[i] for i in order]
