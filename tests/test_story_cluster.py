"""How claims group, on hand-made claim sets (parser only, words only: no model): two
statements of one article merely on one topic stay apart."""

from __future__ import annotations

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
