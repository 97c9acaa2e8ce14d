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

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

from service.pipeline.ground import _STOP, normalize
from service.story.quantities import Quantity, agree, conflicts, quantities
from service.story.unionfind import UnionFind

LINK = 0.5  # weighted overlap at which two claims state the same fact
ATTRIBUTION = 0.8  # the same words credited to different people
CONFLICT = 0.5  # different numbers conflict only between claims this alike otherwise
TOPIC = 0.3  # a shared figure in claims this alike, measuring different things: a scope issue
SCOPE_MATCH = 0.5  # share of the smaller scope's words that two "X% of ..." scopes must share
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


def numbers_agree(a: Item, b: Item) -> bool:
    return not conflicts(a.numbers, b.numbers) and not conflicts(b.numbers, a.numbers)


def items_of(articles: list[tuple[str, dict[str, Any]]], resolve: dict[str, str]) -> list[Item]:
    items = []
    for article, result in articles:
        source = result["source"]
        voices = {
            "the article",
            article,
            source.get("outlet"),
            urlparse(source.get("url") or "").hostname,
        }
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


class Comparer:
    """IDF-weighted overlap of canonical terms. Words every claim of the story shares
    (the story's main entities) weigh little; the distinctive ones decide."""

    def __init__(self, items: list[Item], resolve: dict[str, str]) -> None:
        self.resolve = resolve
        df: dict[str, int] = {}
        for item in items:
            for term in item.terms:
                df[term] = df.get(term, 0) + 1
        n = max(len(items), 1)
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}

    def weight(self, terms: frozenset[str]) -> float:
        return sum(self.idf.get(t, 0.0) for t in terms)

    def sim(self, a: Item, b: Item) -> float:
        smaller = min(self.weight(a.terms), self.weight(b.terms))
        return self.weight(a.terms & b.terms) / smaller if smaller > 0 else 0.0


@dataclass
class Conflict:
    kind: Literal["number", "scope", "date", "attribution"]
    description: str
    a: Item
    b: Item


def relate(cmp: Comparer, a: Item, b: Item) -> tuple[bool, Conflict | None]:
    """(same fact?, conflict) for two claims of different articles."""
    if a.article == b.article:
        return False, None
    s = cmp.sim(a, b)
    clash = conflicts(a.numbers, b.numbers)
    if clash:
        qa, qb = clash[0]
        conflict = Conflict("number", f"{qa.text!r} vs {qb.text!r} for the same measure", a, b)
        return False, conflict if s >= CONFLICT else None
    shared = [(qa, qb) for qa in a.numbers for qb in b.numbers if agree(qa, qb) and qa.unit]
    for qa, qb in shared:
        # One number measuring different things ("60% of losses in intelligence units" vs
        # "60 percent of recent casualty figures"): flag it, never merge it.
        ta, tb = canonical_terms(qa.scope, cmp.resolve), canonical_terms(qb.scope, cmp.resolve)
        if ta and tb and len(ta & tb) / min(len(ta), len(tb)) < SCOPE_MATCH:
            if s < TOPIC:
                return False, None
            return False, Conflict(
                "scope",
                f"{qa.text!r} of {qa.scope!r} vs {qb.text!r} of {qb.scope!r}: the same figure for different scopes",
                a,
                b,
            )
    if s < LINK:
        return False, None
    if s >= ATTRIBUTION and a.speaker != b.speaker and not (a.outlet_voice or b.outlet_voice):
        return True, Conflict("attribution", f"attributed to {a.speaker} and to {b.speaker}", a, b)
    return True, None


def align(items: list[Item], resolve: dict[str, str]) -> tuple[list[Group], list[Conflict]]:
    """Connected components of "same fact" links (order-independent), and the conflicts."""
    cmp = Comparer(items, resolve)
    ordered = sorted(items, key=lambda i: (i.article, claim_number(i.claim)))
    sets = UnionFind(len(ordered))
    found: list[Conflict] = []
    for i, j in itertools.combinations(range(len(ordered)), 2):
        same, conflict = relate(cmp, ordered[i], ordered[j])
        if same:
            sets.union(i, j)
        if conflict is not None:
            found.append(conflict)
    groups = [Group([ordered[i] for i in members]) for members in sets.groups()]
    for group in groups:
        # The claim closest to all the others words the cluster best.
        best = max(
            group.items, key=lambda it: sum(cmp.sim(it, o) for o in group.items if o is not it)
        )
        group.items.remove(best)
        group.items.insert(0, best)
    return groups, found
