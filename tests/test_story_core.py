"""A pair of statements is one fact only when its core agrees: one predicate said of one
holder. Hand-made claims, parser only, no model (words only: no embedding support)."""

from __future__ import annotations

import pytest

from service.pipeline.language import english
from service.pipeline.reading.nlp import parse_each
from service.story.build import build_story
from service.story.facts import core
from tests.story_claims import result

ISIS = [
    ("Barack Obama", "person", ["Barack Obama", "Obama"]),
    ("Hillary Clinton", "person", ["Hillary Clinton", "Clinton"]),
    ("Donald Trump", "person", ["Donald Trump", "Trump"]),
    ("ISIS", "organization", ["ISIS"]),
]


@pytest.mark.parametrize(
    ("text", "predicate", "holder"),
    [
        ("Trump called Obama the founder of ISIS.", "founder", "Obama"),
        ("Trump called Hillary Clinton a co-founder of ISIS.", "founder", "Hillary Clinton"),
        ("Obama is the founder of ISIS, Trump said.", "founder", "Obama"),
        ("Pyongyang has provided Russia with millions of shells.", "provide", "Pyongyang"),
        ("Supplies of shells are a challenge for Russia.", "challenge", "Supplies"),
    ],
)  # fmt: skip
def test_the_core_is_the_predicate_and_whom_it_is_said_of(
    text: str, predicate: str, holder: str
) -> None:
    (doc,) = parse_each([text])
    assert core(list(doc)) == (predicate, holder)


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
