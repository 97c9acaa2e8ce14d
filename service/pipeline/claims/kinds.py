"""Claim kind from the claim and its evidence, by rule rather than by the model.

Asking the model for a kind cost ~8 generated tokens a claim and a 1.5B model labels
poorly; these rules are cheap, deterministic and testable. Order matters: the first rule
that fires wins.
"""

from __future__ import annotations

import re

from service.pipeline.models import ClaimKind

_QUOTE = re.compile(r"[\"“”«»][^\"“”«»]{3,}[\"“”«»]")
_NUMBER = re.compile(r"\d|\b(percent|million|billion|thousand|hundreds?|dozens?)\b", re.I)
_PREDICTION = re.compile(
    r"\b(will|would|could|may|might|expects?|expected|likely|plans? to|is set to|forecasts?|"
    r"could face|before the end of)\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(should|must|need(s)? to|ought|believes?|thinks?|hopes?|hopeful|concern(s|ed)?|"
    r"realistic|dangerous|catastrophic|indignity|foolish|devastating)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}|"
    r"last (week|month|year|june|july|friday|saturday)|yesterday|in (19|20)\d\d|"
    r"visited|signed|struck|fired|launched|attacked|killed|met|announced|arrived)\b",
    re.I,
)


def classify(claim: str, evidence: str) -> ClaimKind:
    if _QUOTE.search(claim) or (_QUOTE.search(evidence) and _shares_quote(claim, evidence)):
        return "quote"
    if _PREDICTION.search(claim):
        return "prediction"
    if _NUMBER.search(claim):
        return "statistic"
    if _OPINION.search(claim):
        return "opinion"
    if _EVENT.search(claim):
        return "event"
    return "statement"


def _shares_quote(claim: str, evidence: str) -> bool:
    """The claim reproduces most of a quotation in its evidence (quotes lost their marks)."""
    low = claim.lower()
    for match in _QUOTE.finditer(evidence):
        words = re.findall(r"\w+", match.group(0).lower())
        if len(words) >= 4 and sum(w in low for w in words) / len(words) >= 0.7:
            return True
    return False
