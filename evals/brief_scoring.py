"""Scoring one brief against an article's labelled facts (evals/brief/*.yaml).

The brief is what a reader sees first: headline, summary and key points, cut to the first
N words as `key_fact_coverage` cuts them (evals/summary_scorers.py); a fact counts when all
its match groups are in those words. Lead-N is the article's own first N words after its
title line. Beside coverage: is there a headline, is it cut (ends mid-word, on a function
word or an ellipsis), do captions, credits or page furniture reach the summary or a key
point, and are the summary's numbers and names in the claims it cites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from evals.brief_set import BriefArticle, Fact, split_title
from evals.matching import fold, matches, mentions, numbers_in
from evals.summary_scorers import FUNCTION_WORDS, first_words, names_in

# What a caption, a photo or author credit, or page furniture looks like when it reaches a
# brief: "<player> (right) celebrates", "Photo: AP", "Follow X on Twitter", "Watch the full
# interview above", an author's bio line. Deliberately literal: a reader would see these.
FURNITURE = re.compile(
    "|".join(
        [
            r"\((?:left|right|centre|center|pictured|above|below|top|bottom|file)\)",
            r"\b(?:photo|photograph|picture|image|credit|caption|graphic)s?\s*(?::|by\b)",
            r"\b(?:getty images|ap photo|afp photo|reuters/|epa/|shutterstock)\b",
            r"\bfollow [\w@ ]{1,40} on twitter\b",
            r"\breach (?:him|her|them) (?:directly )?at\b",
            r"\b(?:sign up for|download our app|click here|read more|related:)",
            r"\bwatch the (?:full )?(?:interview|video)\b",
            r"<tweet",
            r"\bis (?:a |the )?(?:\w+ )?(?:correspondent|reporter|columnist|editor)"
            r" (?:for|at|of|with)\b",
        ]
    ),
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def brief_parts(summary: dict[str, Any] | None) -> tuple[str, str, list[str]]:
    """(headline, summary, key point texts) of a result's `summary` object."""
    summary = summary or {}
    points = [p.get("text") for p in summary.get("key_points") or [] if isinstance(p, dict)]
    return (
        str(summary.get("headline") or ""),
        str(summary.get("summary") or ""),
        [str(p) for p in points if p],
    )


def brief_text(summary: dict[str, Any] | None, words: int) -> str:
    """The first `words` words of headline + summary + key points."""
    headline, text, points = brief_parts(summary)
    return first_words(" ".join([headline, text, *points]), words)


def lead_text(article_text: str, words: int) -> str:
    """Lead-N: the article's first `words` words after its title line."""
    return first_words(split_title(article_text)[1], words)


def facts_hit(facts: Sequence[Fact], text: str) -> list[str]:
    """Ids of the facts whose every match group is in `text`."""
    return [f.id for f in facts if matches(f.match, text)]


def headline_cut(headline: str, article_text: str) -> str | None:
    """Why a headline reads as cut off, or None: it ends on an ellipsis, on a function word,
    or on a fragment that is no whole word of the article ("... gallery, T")."""
    stripped = fold(headline).strip().rstrip("\"')]”’")
    tokens = _WORD.findall(stripped)
    if not tokens:
        return None
    last = tokens[-1]
    if stripped.endswith(("...", "…")):
        return f"ends with an ellipsis: {headline[-40:]}"
    if last.casefold() in FUNCTION_WORDS:
        return f"ends on '{last}': {headline[-40:]}"
    tokens = _WORD.findall(fold(article_text))
    words = {w.casefold() for w in tokens} | {w.casefold().split("'")[0] for w in tokens}
    cut = last.casefold() not in words and any(
        w.startswith(last.casefold()) for w in words
    )  # a prefix of an article word that is no word of it: a word cut short
    return f"ends mid-word '{last}': {headline[-40:]}" if cut and not last.isdigit() else None


def headline_path(summary: dict[str, Any]) -> str:
    """Which path made the headline (own_words, deletion, model, none); a run saved before
    the path was recorded says only whether the model phrased it."""
    path = summary.get("headline_path")
    if path:
        return str(path)
    if not summary.get("headline"):
        return "none"
    return "model" if summary.get("headline_by_model") else "own_words"


def furniture(texts: Sequence[str]) -> list[str]:
    """Caption, credit or page-furniture matches found in `texts`."""
    return [m.group(0) for text in texts for m in FURNITURE.finditer(fold(text))]


def ungrounded_terms(summary_text: str, cited_claims: Sequence[str]) -> tuple[int, list[str]]:
    """(terms, the ungrounded ones): numbers and names of the summary sentences that no
    claim the summary cites contains (as summary_grounded_terms checks, without aliases)."""
    ground = "\n".join(cited_claims)
    have = set(numbers_in(ground, spelled=True))
    numbers = numbers_in(summary_text)
    names = names_in(summary_text)
    missing = [n for n in numbers if n not in have and f"{n}%" not in have]
    missing += [n for n in names if not mentions(n, ground)]
    return len(numbers) + len(names), missing


def score_brief(
    article: BriefArticle, article_text: str, result: dict[str, Any] | None, words: int
) -> dict[str, Any]:
    """One article's brief at one length, against its facts and Lead-N."""
    n = len(article.facts)
    lead = facts_hit(article.facts, lead_text(article_text, words))
    record: dict[str, Any] = {"lead": lead, "lead_coverage": len(lead) / n}
    if result is None:
        return record | {"ours": [], "coverage": 0.0, "error": True}
    summary = result.get("summary") or {}
    headline, text, points = brief_parts(summary)
    ours = facts_hit(article.facts, brief_text(summary, words))
    cited = {str(i) for i in summary.get("claim_ids") or []}
    claims = [c for c in result.get("claims") or [] if str(c.get("id")) in cited]
    terms, missing = ungrounded_terms(
        text, [f"{c.get('speaker') or ''}: {c.get('text') or ''}" for c in claims]
    )
    return record | {
        "ours": ours,
        "coverage": len(ours) / n,
        "headline": headline,
        "headline_by_model": bool(summary.get("headline_by_model")),
        "headline_path": headline_path(summary),
        "headline_cut": headline_cut(headline, article_text) if headline else None,
        "furniture": furniture([text, *points]),
        "terms": terms,
        "ungrounded": missing,
        "summary": text,
        "key_points": points,
        "brief_words": len(" ".join([headline, text, *points]).split()),
    }
