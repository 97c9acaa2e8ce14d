"""A pair of statements is one fact only when its core agrees: one predicate said of one
holder. Hand-made claims, parser only, no model (words only: no embedding support)."""

from __future__ import annotations

import pytest

from service.pipeline.language import english
from service.pipeline.reading.nlp import parse_each
from service.story.build import build_story
from service.story.facts import core, patient
from tests.story_claims import result

ISIS = [
    ("Barack Obama", "person", ["Barack Obama", "Obama"]),
    ("Hillary Clinton", "person", ["Hillary Clinton", "Clinton"]),
    ("Donald Trump", "person", ["Donald Trump", "Trump"]),
    ("ISIS", "organization", ["ISIS"]),
]
ORLANDO = [("Omar Mateen", "person", ["Omar Mateen", "Mateen"])]


@pytest.mark.parametrize(
    ("text", "predicate", "holder", "acted_on"),
    [
        ("Trump called Obama the founder of ISIS.", "founder", "Obama", ""),
        ("Trump called Hillary Clinton a co-founder of ISIS.", "founder", "Hillary Clinton", ""),
        ("Speaking at a campaign rally in Florida on Wednesday, Trump called Clinton, his Democratic presidential challenger, an ISIS “co-founder.”", "founder", "Clinton", ""),
        ("Obama is the founder of ISIS, Trump said.", "founder", "Obama", ""),
        ("Pyongyang has provided Russia with millions of shells.", "provide", "Pyongyang", "Russia"),
        ("Supplies of shells are a challenge for Russia.", "challenge", "Supplies", ""),
        ("Police killed the gunman, Omar Mateen, 29, a U.S. citizen.", "kill", "Police", "the gunman Omar Mateen"),
        ("Mateen was killed in a police shootout.", "kill", "Mateen", "Mateen"),
    ],
)  # fmt: skip
def test_the_core_is_the_predicate_whom_it_is_said_of_and_whom_it_acts_on(
    text: str, predicate: str, holder: str, acted_on: str
) -> None:
    (doc,) = parse_each([text])
    assert core(list(doc)) == (predicate, holder)
    assert patient(list(doc)) == acted_on


@pytest.mark.parametrize(
    ("a", "b", "one_fact"),
    [
        # one side names no agent: one act on one man
        ("Omar Mateen was killed in a police shootout.", "Police killed the gunman, Omar Mateen, 29, a U.S. citizen.", True),
        # two agents of one act on one patient: two facts
        ("Protesters attacked Omar Mateen's house in Fort Pierce.", "Reporters attacked Omar Mateen's house in Fort Pierce.", False),
    ],
)  # fmt: skip
def test_one_act_on_one_patient_is_one_fact_when_one_side_names_no_agent(
    a: str, b: str, one_fact: bool
) -> None:
    results = [result("A", [("A", a)], ORLANDO), result("B", [("B", b)], ORLANDO)]
    clusters = build_story(results, ["", ""], embed=None).clusters
    assert [{s.article for s in c.articles} for c in clusters] == ([{"A", "B"}] if one_fact else [])


def test_one_predicate_of_two_holders_is_two_facts() -> None:
    results = [
        result("A", [("Donald Trump", "Trump called Obama the founder of ISIS at a rally in Florida.")], ISIS),
        result("B", [("Donald Trump", "Trump called Hillary Clinton the co-founder of ISIS at a rally in Florida.")], ISIS),
    ]  # fmt: skip
    assert not build_story(results, ["", ""], embed=None).clusters


def test_one_predicate_of_one_holder_is_one_fact() -> None:
    results = [
        result("A", [("Donald Trump", "Trump called Obama the founder of ISIS at a rally in Florida.")], ISIS),
        result("B", [("Donald Trump", "On Wednesday Trump called Obama the founder of ISIS.")], ISIS),
    ]  # fmt: skip
    (c,) = build_story(results, ["", ""], embed=None).clusters
    assert {s.article for s in c.articles} == {"A", "B"}


def test_shared_words_without_a_shared_core_are_no_fact() -> None:
    # one day, one name, one topic; two different things said of two different subjects
    results = [
        result("A", [("A", "On Friday the FBI director sent a letter to Congress about Clinton emails.")], ISIS),
        result("B", [("B", "On Friday Clinton emails to Congress drew a letter of complaint from Trump.")], ISIS),
    ]  # fmt: skip
    assert not build_story(results, ["", ""], embed=None).clusters


def test_the_story_word_lists_are_the_language_packs() -> None:
    words = english().story
    assert {"deny", "refute"} <= words.dispute_verbs
    assert words.role_qualifiers["spy"] == "intelligence"
    assert "plea" in words.request_words and "call" in words.calling_verbs
