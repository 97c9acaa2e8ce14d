"""Claim kind: only what the claim's form shows — `quote` when it carries the speaker's
own words in quotation marks (or reproduces a quotation of its evidence), `statement`
otherwise.

Kinds used to be guessed from keywords (any number made a `statistic`, "should" an
`opinion`, "will" a `prediction`); on news outside the seeds an age or a price became a
statistic and "the truce should be concluded" a prediction, and no labelled set measures
those guesses. The figures a claim states are in its `numbers`; its speaker and cue say
whose it is. The older kinds stay valid in the schema only so stored results still load.
"""

from __future__ import annotations

import re

from service.pipeline.models import ClaimKind

# Any quotation style, at least a few characters long: “…”, "…", ‘…’, «…», „…“.
_QUOTE = re.compile(r"[\"“”«»„][^\"“”«»„]{3,}[\"“”«»]|‘[^‘’]{3,}’")


def classify(claim: str, evidence: str) -> ClaimKind:
    if _QUOTE.search(claim) or (_QUOTE.search(evidence) and _shares_quote(claim, evidence)):
        return "quote"
    return "statement"


def _shares_quote(claim: str, evidence: str) -> bool:
    """The claim reproduces most of a quotation in its evidence (quotes lost their marks)."""
    low = claim.lower()
    for match in _QUOTE.finditer(evidence):
        words = re.findall(r"\w+", match.group(0).lower())
        if len(words) >= 4 and sum(w in low for w in words) / len(words) >= 0.7:
            return True
    return False
