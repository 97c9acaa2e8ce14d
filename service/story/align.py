"""Claims of several articles that state the same fact, and where articles disagree.

Similarity (words and meaning) proposes pairs of claims; a pair of two articles' claims is
linked only when it states one fact (core.py). Claims are grouped by complete linkage on
those links: every two claims of a group are linked, so a chain of alike pairs cannot join
facts its ends do not share. Claims whose numbers conflict ("40%" vs "60%" of one measure) or
that give one number for different scopes never share a group; they are discrepancies. Nor
do two unlike claims of one article: an article restates a fact in like words, so its
claims that are not alike state different facts, and a group holding both is a mixed bag.

A group is then split by the numbers its claims state: claims without numbers state the
general fact ("North Korea supplies ammunition"), claims with "up to 40%" the specific one.
A claim supports a cluster only if it states the cluster's numbers; the specific clusters
are nested under the general one, each with its own support.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from service.pipeline.models import Claim
from service.story.core import one_fact, other_holder
from service.story.quantities import Quantity, agree, conflicts, quantities
from service.story.similarity import Similarity, canonical_terms, shared_run

# Score at which similarity proposes two claims as one fact (core.py then decides). Measured with `summarizer eval
# story` on two claim sets of the seeds (labeller descriptions / one claim per sentence):
# corroboration recall 0.79 / 0.68 at 0.35 and 0.79 / 0.74 at 0.30 (more mixed clusters),
# words only 0.32 / 0.53 at their best (0.25-0.35).
LINK = 0.35
ATTRIBUTION = 0.8  # the same words credited to different people
CONFLICT = 0.5  # different numbers conflict only between claims this alike otherwise
TOPIC = 0.3  # a shared figure in claims this alike, measuring different things: a scope issue
# Score two statements of ONE article need to share a cluster. An article restates a fact
# in like words; two of its statements merely on one topic (Lavrov's visit, Putin's) are two
# facts, and linked they chain the other outlets' versions of both into one cluster.
# Measured with `summarizer eval story` (seeds), recall / clusters mixing two facts:
# 0.35 (= LINK) 0.789 / 5, 0.5 0.789 / 3, 0.6 0.789 / 4, 0.7 0.842 / 3, 0.8 as 0.7.
SAME_ARTICLE = 0.7
SCOPE_MATCH = 0.5  # share of the smaller scope's words that two "X% of ..." scopes must share
# Nouns, verbs, names and numbers a statement needs to corroborate another article's: a
# fragment ("It's not a strategy.", "prevent the next terrorist attack") shares its few
# words with many statements of real coverage. Measured on the seed and the seven PolNeAR
# dev sets (rebuilt from saved results): 0 / 3 / 4 anchors, dev precision 33/45 / 30/39 /
# 29/36 judged clusters right, unjudged clusters 67 / 50 / 33, dev recall 35 / 34 / 32 of
# 39 facts; the seed unchanged (recall 0.895, 13 right, 2 wrong).
MIN_ANCHORS = 4
# Consecutive words two statements must share for a short one to corroborate the other after
# all: one quotation reported word for word ("No, I meant he's the founder of ISIS", three
# anchors) is one statement, however few its nouns. Measured on the seven PolNeAR dev sets
# (rebuilt from saved results), precision / strict / recall: none 0.885 / 0.657 / 0.615;
# 5 words 0.897 / 0.667 / 0.641 (two duplicate clusters); 6 0.893 / 0.658 / 0.641 (one);
# 7 and 8 0.893 / 0.676 / 0.667; 10 as none. The seeds unchanged.
QUOTED_RUN = 8

Key = frozenset[tuple[float, str]]  # the numbers a claim states: (value, unit)


@dataclass
class Item:
    article: str
    claim: Claim
    terms: frozenset[str]
    numbers: list[Quantity]
    speaker: str  # canonical
    outlet_voice: bool  # the article says it itself: no attribution to compare
    key: Key = frozenset()  # numbers the item states AND its claim's evidence shows
    text: str = ""  # the statement: the claim, or one clause of it (clauses.py)
    part: int = 0  # 0: the claim or its main clause; 1, 2, ...: its other clauses
    compared: str = ""  # the statement without its attribution (facts.py): its words
    anchors: frozenset[str] = frozenset()  # its nouns, verbs, names and numbers
    denial: str = ""  # the word disputing what it reports (denial.py): it supports no claim
    request: str = ""  # the word asking for what it names (facts.py): it states no fact of it
    predicate: str = ""  # the lemma of what it says (facts.core): "founder", "lose"
    holder: frozenset[str] = frozenset()  # the terms of whom it says it of: {"ent_obama"}
    patient: frozenset[str] = frozenset()  # the terms of whom its verb acts on (facts.patient)

    @property
    def number(self) -> int:
        """c10 after c2: claim ids are numbered in article order."""
        digits = re.sub(r"\D", "", self.claim.id)
        return int(digits) if digits else 0


def number_key(text: str) -> Key:
    """The figures with their units, and every other number as it stands: a date ("Jan.
    21") or a model number ("KN-23") is no figure, but a claim stating it is more specific
    than one that does not, so it only supports clusters that state it too."""
    found = quantities(text)
    rest = text
    for q in found:
        rest = rest.replace(q.text, " ", 1)
    others = {(float(d), "") for d in re.findall(r"\d+(?:\.\d+)?", rest.replace(",", ""))}
    return frozenset({(q.value, q.unit) for q in found} | others)


def evidenced_key(claim: Claim, text: str | None = None) -> Key:
    """The numbers of the claim (or of `text`, one of its clauses) that the claim's own
    evidence states: a number the model added to the claim's wording supports nothing."""
    shown = number_key(" ".join(span.quote for span in claim.evidence))
    return frozenset(k for k in number_key(claim.text if text is None else text) if k in shown)


@dataclass
class Conflict:
    kind: Literal["denial", "number", "scope", "date", "attribution", "role"]
    description: str
    a: Item
    b: Item


def _scope_clash(a: Item, b: Item, resolve: dict[str, str]) -> tuple[Quantity, Quantity] | None:
    """One number measuring different things ("60% of losses in intelligence units" vs
    "60 percent of recent casualty figures")."""
    for qa in a.numbers:
        for qb in b.numbers:
            if not (qa.unit and agree(qa, qb)):
                continue
            ta, tb = canonical_terms(qa.scope, resolve), canonical_terms(qb.scope, resolve)
            if ta and tb and len(ta & tb) / min(len(ta), len(tb)) < SCOPE_MATCH:
                return qa, qb
    return None


def conflict_of(a: Item, b: Item, score: float, resolve: dict[str, str]) -> Conflict | None:
    """A number or scope conflict between claims of two articles, if they are alike enough
    to be about one measure."""
    clash = conflicts(a.numbers, b.numbers)
    if clash and score >= CONFLICT:
        qa, qb = clash[0]
        return Conflict("number", f"{qa.text!r} vs {qb.text!r} for the same measure", a, b)
    scope = _scope_clash(a, b, resolve)
    if scope and score >= TOPIC:
        qa, qb = scope
        return Conflict(
            "scope",
            f"{qa.text!r} of {qa.scope!r} vs {qb.text!r} of {qb.scope!r}: "
            "the same figure for different scopes",
            a,
            b,
        )
    return None


def _fragment(a: Item, b: Item) -> bool:
    """One of two articles' statements is too short to state a fact of its own (MIN_ANCHORS),
    unless both quote one passage word for word (QUOTED_RUN)."""
    if a.article == b.article or min(len(a.anchors), len(b.anchors)) >= MIN_ANCHORS:
        return False
    return shared_run(a.text, b.text) < QUOTED_RUN


def _cannot_link(a: Item, b: Item, resolve: dict[str, str]) -> bool:
    """A fragment (_fragment) for another article's statement; conflicting figures or
    scopes, or one statement disputing what the other states: a denial in the group would
    count as one more article confirming the fact it denies; nor does a request
    ("Zelenskiy made pleas for air defense") confirm what it asks for ("the US may provide
    air defense")."""
    return (
        _fragment(a, b)
        or bool(a.denial) != bool(b.denial)
        or bool(a.request) != bool(b.request)
        or bool(conflicts(a.numbers, b.numbers))
        or _scope_clash(a, b, resolve) is not None
    )


def _apart(a: Item, b: Item, score: float, link: float) -> bool:
    """Two claims of one article that are not alike enough to link state two facts. Without
    this, a claim stating two facts ("aid is the top concern, as they provide ammunition")
    lets the clustering pull a second fact's cluster into the first's, carrying along
    claims of articles that say only the second."""
    return a.article == b.article and score < max(link, SAME_ARTICLE)


Decide = Callable[[int, int], bool]  # whether two items (indices) state one fact


def _pair(items: list[Item], sim: Similarity, a: list[int], b: list[int]) -> tuple[int, int]:
    """The two items, of different articles, most alike across two groups: the pair a
    merge of the groups rests on (a group's own article pairs were decided already)."""
    pairs = [(i, j) for i in a for j in b if items[i].article != items[j].article]
    return max(pairs or [(a[0], b[0])], key=lambda p: (sim.score(*p), -p[0], -p[1]))


def _pairs(
    items: list[Item], sim: Similarity, resolve: dict[str, str], link: float
) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """(linked pairs and their scores, pairs that never share a cluster). Two statements of
    one article are linked when alike (SAME_ARTICLE); two of different articles when
    similarity proposes them (LINK) and they state one fact (core.py)."""
    linked: dict[tuple[int, int], float] = {}
    never: set[tuple[int, int]] = set()
    for i, j in itertools.combinations(range(len(items)), 2):
        a, b, score = items[i], items[j], sim.score(i, j)
        if _cannot_link(a, b, resolve) or _apart(a, b, score, link) or other_holder(a, b):
            never.add((i, j))
        elif a.article == b.article or (score >= link and one_fact(items, sim, i, j)):
            linked[i, j] = score
    return linked, never


def _complete(members: list[int], linked: dict[tuple[int, int], float]) -> bool:
    """Every two members are linked: a cluster is one fact and its restatements, not a
    chain whose ends say different things. (Measured on the seven PolNeAR dev sets with a
    seed instead, every member linked to one: precision 0.808, recall 0.641; complete
    0.885, 0.615.)"""
    return all((min(m, s), max(m, s)) in linked for m in members for s in members if m < s)


def cluster(
    items: list[Item],
    sim: Similarity,
    resolve: dict[str, str],
    link: float | None = None,
    decide: Decide | None = None,
) -> list[list[int]]:
    """Agglomeration by the closest linked pair between two groups, merged only when every
    two members of the merged group are linked (complete linkage). Ties go to the lower
    indices, and items come sorted by article and claim, so the result is order-independent.
    `decide`: the merge also needs `decide` to say its closest pair of two articles'
    statements is one fact."""
    linked, never = _pairs(items, sim, resolve, LINK if link is None else link)
    groups: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    closest = dict(linked)  # group pair -> its closest linked pair's score
    while closest:
        (a, b), _ = max(closest.items(), key=lambda p: (p[1], -p[0][0], -p[0][1]))
        merged = groups[a] + groups[b]
        if (a, b) in never or not _complete(merged, linked):
            del closest[a, b]
            continue
        if decide is not None and not decide(*_pair(items, sim, groups[a], groups[b])):
            del closest[a, b]
            continue
        groups[a] = merged
        del groups[b]
        for c in groups:
            if c == a:
                continue
            ka, kb = (min(a, c), max(a, c)), (min(b, c), max(b, c))
            if kb in never:
                never.add(ka)
            if kb in closest:
                closest[ka] = max(closest.get(ka, 0.0), closest.pop(kb))
        closest.pop((a, b), None)
    return sorted(groups.values())


@dataclass
class Node:
    """A cluster: the numbers it states, its claims, and the more specific ones under it."""

    key: Key
    items: list[Item]
    children: list[Node] = field(default_factory=list)


def split_by_numbers(items: list[Item]) -> list[Node]:
    """General cluster (the numbers every claim states, usually none) with one nested
    cluster per more specific set of numbers; claims support a cluster only when they
    state all its numbers. Groups without a common base split into separate clusters."""
    keys = sorted({i.key for i in items}, key=lambda k: (len(k), sorted(k)))
    base = next((k for k in keys if all(k <= other for other in keys)), None)
    if base is None:
        return [Node(k, [i for i in items if i.key == k]) for k in keys]
    children = [Node(k, [i for i in items if k <= i.key]) for k in keys if k != base]
    return [Node(base, list(items), children)]
