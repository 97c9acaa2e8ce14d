"""A claim stating two facts in two clauses supports one cluster per fact: the clause split
(parser only, no model) and its use in the story, on hand-made claims."""

from __future__ import annotations

from evals.matching import numbers_in
from service.pipeline.reading.nlp import parse_each
from service.story.build import build_story
from service.story.clauses import split_tokens, words
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK, Directions, all_clusters


def statements(texts: list[str]) -> list[list[str]]:
    """Each claim's statements as the story splits them: [main clause, clause, ...]."""
    return [[words(p) for p in split_tokens(doc)] for doc in parse_each(texts)]


def test_a_participle_adding_a_fact_is_its_own_statement() -> None:
    (parts,) = statements(
        [
            "North Korea supplies huge amounts of shells, Budanov said, "
            "pointing to an increase in battlefield hostilities."
        ]
    )
    assert parts[0] == "North Korea supplies huge amounts of shells, Budanov said."
    assert parts[1] == "Budanov pointing to an increase in battlefield hostilities"


def test_a_coordinated_verb_keeps_the_shared_subject() -> None:
    (parts,) = statements(
        [
            "Ukraine is battling to hold back Russian attacks in Donetsk, "
            "but has seized control of a swath of territory in Kursk."
        ]
    )
    assert len(parts) == 2
    assert parts[1].startswith("Ukraine has seized control") and "Kursk" in parts[1]
    assert "Kursk" not in parts[0]


def test_a_comma_relative_clause_is_a_statement_about_its_antecedent() -> None:
    (aside, narrowing) = statements(
        [
            "Russia found a new supplier in Pyongyang, which has sent millions of old shells.",
            "Russia uses the shells that North Korea has sent from its stockpiles.",
        ]
    )
    assert aside[1] == "Pyongyang which has sent millions of old shells"
    assert narrowing == ["Russia uses the shells that North Korea has sent from its stockpiles."]


def test_qualifying_clauses_stay_in_the_main_one() -> None:
    texts = [
        # alternatives: neither is asserted
        "Russia must either declare a mobilization or find ways to reduce the hostilities.",
        # purpose
        "North Korea runs its factories around the clock to meet Russian demand.",
        # participants only, no content of their own
        "Budanov said a truce should be concluded soon, involving Ukraine, Russia and America.",
    ]
    assert statements(texts) == [[t] for t in texts]


def test_a_claim_stating_two_facts_supports_a_cluster_for_each() -> None:
    # Y states the shells (with X) and the hostilities (with Z) in one sentence. As one
    # item it joins one of the two clusters; as clause items it supports both.
    results = [
        result("X", [("Budanov", "North Korea supplies huge amounts of artillery shells to Russia.")], [*BUDANOV, *NK]),
        result("Y", [("Budanov", "North Korea supplies huge amounts of artillery shells to Russia, Budanov said, "
                                 "pointing to an increase in battlefield hostilities after such deliveries.")], [*BUDANOV, *NK]),
        result("Z", [("Budanov", "Budanov linked the deliveries to escalating battlefield hostilities in the east.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    # meaning ties the paraphrases ("pointing to" / "linked"): words alone do not (core.py)
    meaning = Directions({"artillery shells": 0, "hostilities": 1})
    story = build_story(results, [""] * 3, embed=meaning)
    united = sorted(sorted(s.article for s in c.articles) for c in story.clusters)
    assert united == [["X", "Y"], ["Y", "Z"]]
    hostilities = next(c for c in story.clusters if "Z" in {s.article for s in c.articles})
    assert "hostilities" in hostilities.text and "artillery shells" not in hostilities.text


def test_a_clause_never_carries_the_other_clause_figure() -> None:
    # Both figures are in main clauses; the hostilities cluster the two participles form
    # must be worded without either, or the other article would seem to state it.
    results = [
        result("Y", [("Budanov", "North Korea supplies 40% of Russia's shells, Budanov said, "
                                 "pointing to an increase in battlefield hostilities after such deliveries.")], [*BUDANOV, *NK]),
        result("Z", [("Budanov", "North Korea sent 3 million rockets last year, Budanov said, "
                                 "pointing to an increase in battlefield hostilities after the deliveries.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 2, embed=Directions({"hostilities": 0}))
    hostilities = [c for c in all_clusters(story) if "hostilities" in c.text and c.support == 2]
    assert hostilities and not hostilities[0].numbers
    for cluster in all_clusters(story):
        for s in cluster.articles:
            shown = set(numbers_in(" ".join(e.quote for e in s.evidence)))
            assert set(numbers_in(cluster.text)) <= shown, (cluster.id, s.article)
