"""Statements are compared by their facts, not by who states them, and only shared nouns,
verbs, names or numbers tie two facts: hand-made claims, parser only, no model."""

from __future__ import annotations

from service.pipeline.reading.nlp import parse_each
from service.story.build import build_story
from service.story.facts import Speaker, attribution, facts
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK, Directions

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
        result("B", [("B", "Replenishing supplies of ammunition is a major, serious and constant challenge.")], NK),
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


US = [
    ("United States", "place", ["United States", "US", "Washington"]),
    ("Ukraine", "place", ["Ukraine"]),
]
ZELENSKIY = [("Volodymyr Zelenskiy", "person", ["Volodymyr Zelenskiy", "Zelenskiy"])]


def test_a_request_never_confirms_what_it_asks_for() -> None:
    # the scripted embedder makes all three the same meaning: only the request rule parts them
    same = Directions({"air defense": 0})
    results = [
        result("A", [("Budanov", "Washington may provide Ukraine with additional air defense systems.")], [*US, *BUDANOV]),
        result("B", [("the article", "The US will send Ukraine more air defense systems.")], US),
        result("C", [("the article", "Zelenskiy has once again made pleas for air defense systems "
                      "from Ukraine's allies.")], [*US, *ZELENSKIY]),
    ]  # fmt: skip
    story = build_story(results, ["", "", ""], embed=same)
    (c,) = story.clusters
    assert {s.article for s in c.articles} == {"A", "B"}


def test_requests_are_read_from_the_predicate_not_from_any_call() -> None:
    def request(text: str) -> str:
        (doc,) = parse_each([text])
        (fact,) = facts(doc, Speaker("the article", "the article", None), PEOPLE)
        return fact.request

    assert request("Zelenskiy made pleas for air defense support from the allies.") == "pleas"
    assert request("Budanov said that Kyiv urged the allies to send more shells.") == "urged"
    assert request("Budanov called on the allies to restore agent intelligence.") == "called"
    assert request("North Korea called the accusations groundless.") == ""
    assert request("Washington may provide Ukraine with air defense systems.") == ""


def test_a_paraphrase_with_the_other_party_as_subject_stays_one_fact() -> None:
    same = Directions({"ammunition": 0})
    results = [
        result("A", [("Budanov", "North Korea supplies ammunition to Russia.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "Russia receives ammunition from North Korea.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    (c,) = build_story(results, ["", ""], embed=same).clusters
    assert {s.article for s in c.articles} == {"A", "B"}


def test_a_fragment_corroborates_no_other_article() -> None:
    results = [
        result("A", [("A", "It's not a strategy.")], NK),
        result("B", [("B", "It's not a strategy.")], NK),
        result("C", [("C", "Replenishing supplies of shells is a challenge for Russia.")], NK),
        result("D", [("D", "Replenishing supplies of shells is a challenge for Russia.")], NK),
    ]  # fmt: skip
    (c,) = build_story(results, [""] * 4, embed=None).clusters
    assert {s.article for s in c.articles} == {"C", "D"}


def test_a_short_quotation_two_articles_report_word_for_word_is_one_fact() -> None:
    # three anchors (meant, founder, ISIS): a fragment, but one quotation in both articles
    quote = "No, I meant he's the founder of ISIS."
    results = [
        result("A", [("A", quote)], NK),
        result("B", [("B", f"Trump replied: {quote}")], NK),
        result("C", [("C", "It's not a strategy.")], NK),
        result("D", [("D", "Trump said: It's not a strategy.")], NK),
    ]  # fmt: skip
    (c,) = build_story(results, [""] * 4, embed=Directions({"I meant": 0, "strategy": 0})).clusters
    assert {s.article for s in c.articles} == {"A", "B"}
