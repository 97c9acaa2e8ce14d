"""Claims of several articles that state the same fact, and where articles disagree.

Claims are compared on content words after every entity mention is replaced by its
canonical id (so "Pyongyang" and "North Korea" are the same word), with numbers compared by
value and unit. Two claims join a cluster when their similarity to the cluster's members
averages above MERGE and their numbers agree. Topical neighbours that do not merge are
checked for discrepancies: different numbers for one measure, or one number with a
different scope ("60% of losses in military intelligence units" vs "60% of recent casualty
figures") - flagged, never merged silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

from service.pipeline.ground import _STOP, normalize
from service.story.quantities import Quantity, agree, conflicts, quantities

MERGE = 0.34
TOPIC = 0.2  # neighbours close enough that their numbers are about the same thing
_WORD = re.compile(r"[a-z0-9%]+")
_GENERIC = frozenset("also other more most such very many much just even new said told".split())


@dataclass
class Item:
    article: str
    claim: dict[str, Any]
    terms: frozenset[str]
    numbers: list[Quantity]
    speaker: str
    outlet_voice: bool  # the article says it itself: no attribution to compare


@dataclass
class Group:
    items: list[Item] = field(default_factory=list)

    @property
    def articles(self) -> set[str]:
        return {i.article for i in self.items}


def canonical_terms(text: str, resolve: dict[str, str]) -> frozenset[str]:
    """Content stems, with each known entity mention replaced by its canonical id."""
    low = re.sub(r"(\d)\s*(?:percent|per cent)\b", r"\1%", normalize(text).casefold())
    for alias in sorted(resolve, key=len, reverse=True):
        if len(alias) > 1:
            low = re.sub(
                rf"(?<!\w){re.escape(alias)}(?!\w)",
                f" ent_{resolve[alias].replace('-', '_')} ",
                low,
            )
    words = re.findall(r"ent_\w+|[a-z0-9%]+", low)
    return frozenset(
        w if w.startswith("ent_") else w[:5]
        for w in words
        if len(w) > 2 and w not in _STOP and w not in _GENERIC
    )


def similarity(a: Item, b: Item) -> float:
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / len(a.terms | b.terms)


def numbers_agree(a: Item, b: Item) -> bool:
    return not conflicts(a.numbers, b.numbers) and not conflicts(b.numbers, a.numbers)


def items_of(articles: list[tuple[str, dict[str, Any]]], resolve: dict[str, str]) -> list[Item]:
    items = []
    for article, result in articles:
        source = result["source"]
        voices = {"the article", article, source.get("outlet"), urlparse(source.get("url") or "").hostname}
        for claim in result["claims"]:
            speaker = resolve.get(normalize(claim["speaker"]).casefold(), claim["speaker"])
            items.append(
                Item(
                    article,
                    claim,
                    canonical_terms(claim["text"], resolve),
                    quantities(claim["text"]),
                    speaker,
                    claim["speaker"] in voices or speaker in voices,
                )
            )
    return items


def claim_number(claim: dict[str, Any]) -> int:
    """c10 after c2: claim ids are numbered in article order."""
    digits = re.sub(r"\D", "", str(claim["id"]))
    return int(digits) if digits else 0


def cluster(items: list[Item]) -> list[Group]:
    """Greedy average-link clustering, one claim per article per cluster."""
    groups: list[Group] = []
    for item in sorted(items, key=lambda i: (i.article, claim_number(i.claim))):
        best, best_score = None, MERGE
        for group in groups:
            if item.article in group.articles:
                continue
            if not all(numbers_agree(item, other) for other in group.items):
                continue
            score = sum(similarity(item, other) for other in group.items) / len(group.items)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            groups.append(Group([item]))
        else:
            best.items.append(item)
    return groups


@dataclass
class Conflict:
    kind: Literal["number", "scope", "date", "attribution"]
    description: str
    a: Item
    b: Item


def _scope_words(item: Item, other: Item) -> list[str]:
    return sorted(
        t for t in item.terms - other.terms if not t.startswith("ent_") and not t[0].isdigit()
    )


def discrepancies(items: list[Item]) -> list[Conflict]:
    found: list[Conflict] = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.article == b.article or similarity(a, b) < TOPIC:
                continue
            clash = conflicts(a.numbers, b.numbers)
            if clash:
                qa, qb = clash[0]
                found.append(
                    Conflict("number", f"{qa.text!r} vs {qb.text!r} for the same measure", a, b)
                )
                continue
            shared = [(qa, qb) for qa in a.numbers for qb in b.numbers if agree(qa, qb) and qa.unit]
            if shared and similarity(a, b) < MERGE * 1.5:
                qa, qb = shared[0]
                only_a, only_b = _scope_words(a, b), _scope_words(b, a)
                if only_a and only_b:
                    found.append(Conflict("scope", f"{qa.text!r} and {qb.text!r} describe different scopes: "
                                          f"{' '.join(only_a[:6])} / {' '.join(only_b[:6])}", a, b))  # fmt: skip
                    continue
            if (
                similarity(a, b) >= MERGE * 1.5
                and a.speaker != b.speaker
                and not (a.outlet_voice or b.outlet_voice)
            ):
                found.append(
                    Conflict("attribution", f"attributed to {a.speaker} and to {b.speaker}", a, b)
                )
    return found
