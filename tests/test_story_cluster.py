"""How claims group and how a cluster is worded, on hand-made claim sets (parser only; no
model: words, or a scripted embedder): two statements of one article merely on one topic
stay apart, one topic without a shared noun, verb, name or number is no fact, and a
cluster is worded by the member most like the others."""

from __future__ import annotations

import math
from collections.abc import Sequence

from service.story.build import build_story
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK

PEOPLE = [
    ("Sergei Lavrov", "person", ["Sergei Lavrov", "Lavrov"]),
    ("Vladimir Putin", "person", ["Vladimir Putin", "Putin"]),
]


def test_two_statements_of_one_article_on_one_topic_are_two_facts() -> None:
    # A's two claims share "visited Pyongyang" (score 0.51): with the same bar for one
    # article as for two, A's Lavrov visit is pulled into the Putin cluster through A's
    # own Putin claim, and the cluster shows A stating Lavrov's visit as the Putin fact.
    entities = [*BUDANOV, *NK, *PEOPLE]
    results = [
        result("A", [("A", "Lavrov also visited Pyongyang."),
                     ("A", "Putin signed a partnership treaty on his visit to Pyongyang.")], entities),
        result("B", [("B", "Putin signed a partnership treaty with Kim on his visit to Pyongyang.")], entities),
        result("C", [("C", "Shoigu flew to Seoul.")], entities),
    ]  # fmt: skip
    story = build_story(results, [""] * 3, embed=None)
    (putin,) = story.clusters
    assert [(s.article, s.claim_ids) for s in putin.articles] == [("A", ["c2"]), ("B", ["c1"])]


def test_a_cluster_is_worded_by_its_member_most_like_the_others() -> None:
    # R's claim adds rockets and Kyiv, which two unrelated reports share: it is the claim
    # most like the story at large, but P's is the one most like the cluster's members.
    results = [
        result("P", [("Budanov", "North Korea supplies artillery shells to Russia.")], [*BUDANOV, *NK]),
        result("Q", [("Budanov", "North Korea supplies artillery shells to Russia every month.")], [*BUDANOV, *NK]),
        result("R", [("Budanov", "North Korea supplies artillery shells and rockets to Russia for its strikes on Kyiv.")], [*BUDANOV, *NK]),
        result("S", [("Mayor", "Rockets hit Kyiv overnight, killing five people and injuring dozens in three districts.")], [*BUDANOV, *NK]),
        result("T", [("Police", "Russian rockets struck Kyiv again, damaging a hospital, two schools and power lines.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 5, embed=None)
    (shells,) = story.clusters
    assert {s.article for s in shells.articles} == {"P", "Q", "R"}
    assert shells.text == "North Korea supplies artillery shells to Russia."


class Close:
    """A scripted embedder: texts with the first key get one vector, texts with the second
    a vector at `cos` to it (one topic, e5's 0.86-0.95 band); others one of their own."""

    def __init__(self, first: str, second: str, cos: float) -> None:
        self.first, self.second, self.cos = first, second, cos

    def __call__(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for n, text in enumerate(texts):
            v = [0.0] * (len(texts) + 2)
            if self.first in text:
                v[0] = 1.0
            elif self.second in text:
                v[0], v[1] = self.cos, math.sqrt(1 - self.cos**2)
            else:
                v[n + 2] = 1.0
            out.append(v)
        return out


def test_a_close_vector_and_a_shared_adjective_tie_no_facts() -> None:
    # One topic (cosine 0.92) and "military" in common, rare in the story: without a
    # shared noun, verb, name or number the two are different facts.
    filler = [("C", f"Tanks number {n} crossed river number {n}.") for n in range(12)]
    results = [
        result("A", [("Budanov", "Losses in Ukrainian military units have intensified.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "Pyongyang's military aid is the top concern among allies.")], [*BUDANOV, *NK]),
        result("C", filler, [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 3, embed=Close("Losses", "concern", 0.92))
    assert not [c for c in story.clusters if {s.article for s in c.articles} == {"A", "B"}]
