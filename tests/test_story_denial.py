"""A claim disputing a fact never supports it: it is reported as a disagreement with the
articles that state the fact. The parser's reading of denials, and its use in the story, on
hand-made claims (parser only; meaning from a scripted embedder)."""

from __future__ import annotations

import pytest

from service.pipeline.reading.nlp import parse_each
from service.story.build import build_story
from service.story.denial import denial
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK, Directions, all_clusters


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("North Korea called the U.S. accusations of transferring missiles groundless.", "groundless"),
        ("Pyongyang denied that it had sent ballistic missiles to Russia.", "denied"),
        ("Moscow rejected the allegations that it used North Korean missiles.", "rejected"),
        ("The Kremlin said the reports of missile deliveries were false.", "false"),
        ("There is no evidence that North Korea supplied missiles to Russia.", "evidence"),
        ("I don't see any signs that our security cooperation will stop.", "signs"),
    ],
)  # fmt: skip
def test_a_denial_is_found_by_its_parse(text: str, word: str) -> None:
    (doc,) = parse_each([text])
    assert denial(doc) == word


@pytest.mark.parametrize(
    "text",
    [
        "North Korea sends ballistic missiles to Russia.",
        "Ukraine rejected the peace plan offered by Moscow.",  # an offer, not a claim
        "Pyongyang did not deny that it had sent missiles.",  # a denial negated
        "The truce is realistic. It is not difficult.",  # plain negation states a fact
        "This partnership involves not just conventional ordnance but ballistic missiles.",
        # a word of falsehood said of no one's statement
        "His attacks reinforced stereotypes that are untrue but challenging for Clinton.",
    ],
)
def test_plain_statements_and_negations_are_no_denial(text: str) -> None:
    (doc,) = parse_each([text])
    assert denial(doc) == ""


def test_a_denial_never_supports_the_fact_it_disputes() -> None:
    # All three are one fact to the embedder and share their words: without the rule, the
    # denial is a third article "confirming" the missile transfers.
    alike = Directions({"ballistic missiles": 0})
    results = [
        result("A", [("Budanov", "North Korea transferred ballistic missiles to Russia.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "North Korea has transferred ballistic missiles to Russia for the war.")], [*BUDANOV, *NK]),
        result("C", [("North Korea", "North Korea called the accusations of transferring ballistic "
                                     "missiles to Russia groundless.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 3, embed=alike)
    for c in all_clusters(story):
        assert "C" not in {s.article for s in c.articles} or c.support == 1
    (c,) = story.clusters
    assert {s.article for s in c.articles} == {"A", "B"}
    (d,) = [d for d in story.discrepancies if d.kind == "denial"]
    assert d.a.article == "C" and d.b.article in {"A", "B"}
    assert d.a.evidence and d.b.evidence
    assert "groundless" in d.description and "A and B" in d.description


def test_denials_of_one_fact_agree_with_each_other() -> None:
    # Two outlets reporting the same denial corroborate the denial; no disagreement between them.
    results = [
        result("A", [("North Korea", "North Korea denied sending ballistic missiles to Russia.")], [*BUDANOV, *NK]),
        result("B", [("North Korea", "North Korea denied that it sent ballistic missiles to Russia.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    # the two wordings are one fact by meaning; words alone never link (core.py)
    story = build_story(results, [""] * 2, embed=Directions({"ballistic missiles": 0}))
    (c,) = story.clusters
    assert {s.article for s in c.articles} == {"A", "B"}
    assert not [d for d in story.discrepancies if d.kind == "denial"]
