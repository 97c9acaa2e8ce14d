"""Statements are compared by their facts, not by who states them, and only shared nouns,
verbs, names or numbers tie two facts: hand-made claims, parser only, no model."""

from __future__ import annotations

from service.pipeline.nlp import parse_each
from service.story.build import build_story
from service.story.facts import Speaker, attribution
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK

PEOPLE = {"Kyrylo Budanov": "kyrylo-budanov", "Budanov": "kyrylo-budanov"}


def _dropped(text: str, speaker: Speaker) -> set[str]:
    (doc,) = parse_each([text])
    return {doc[i].text for i in attribution(doc, speaker, PEOPLE)}


def test_attribution_words_are_the_speaker_his_role_and_the_cue_not_the_fact() -> None:
    # the cue as marked runs on into the fact: only the words up to the speaker attribute
    text = (
        "Yet according to the head of Ukraine's military intelligence agency GUR, Kyrylo "
        "Budanov, the Kremlin's most important ally during the war isn't China."
    )
    cue = text[4:120]
    dropped = _dropped(text, Speaker("Kyrylo Budanov", "kyrylo-budanov", cue))
    assert {"according", "head", "intelligence", "GUR", "Budanov"} <= dropped
    assert not {"Kremlin", "ally", "war", "China"} & dropped


def test_a_person_named_in_the_fact_keeps_the_name_and_loses_the_role() -> None:
    text = "Missiles are fueling the war, which caught the eye of spy chief Kyrylo Budanov."
    dropped = _dropped(text, Speaker("the article", "the article", None))
    assert dropped == {"spy", "chief"}


def test_claims_sharing_only_their_attribution_state_different_facts() -> None:
    results = [
        result("A", [("Kyrylo Budanov", "In a keynote speech in Kyiv, Ukraine's military intelligence "
                      "agency GUR head, Kyrylo Budanov, highlighted the mounting challenges of guided bombs.")],
               [*BUDANOV, *NK]),
        result("B", [("Kyrylo Budanov", "According to the head of Ukraine's military intelligence agency "
                      "GUR, Kyrylo Budanov, Pyongyang is the Kremlin's most important ally.")],
               [*BUDANOV, *NK]),
    ]  # fmt: skip
    assert not build_story(results, ["", ""], embed=None).clusters


def test_shared_adjectives_tie_no_facts() -> None:
    results = [
        result("A", [("A", "Guided bombs are a major, serious and constant headache.")], NK),
        result("B", [("B", "Replenishing supplies is a major, serious and constant challenge.")], NK),
        result("C", [("C", "Replenishing supplies of shells is a challenge for Russia.")], NK),
    ]  # fmt: skip
    (c,) = build_story(results, ["", "", ""], embed=None).clusters
    assert {s.article for s in c.articles} == {"B", "C"}  # "supplies", "challenge": nouns


def test_linking_verbs_and_prepositions_are_no_shared_words() -> None:
    results = [
        result("A", [("A", "Envoys became uneasy during and between rounds.")], NK),
        result("B", [("B", "Markets became jittery during and between sessions.")], NK),
    ]  # fmt: skip
    assert not build_story(results, ["", ""], embed=None).clusters
