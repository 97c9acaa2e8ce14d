"""One discrepancy per pair of claims, stating every way they differ, on hand-made claims
(parser only; meaning from a scripted embedder, no model)."""

from __future__ import annotations

from service.story.build import build_story
from tests.story_claims import result
from tests.test_story_align import BUDANOV, NK, Directions

INTEL = [("Ukrainian intelligence", "organization", ["Ukrainian intelligence"])]


def test_a_pair_of_claims_differing_in_scope_and_source_is_one_discrepancy() -> None:
    # A's claim is two statements (main clause and a comma relative clause): the clause
    # gives the figure another scope than B, the main clause credits another source.
    results = [
        result("A", [("Budanov", "Losses in Ukrainian units have intensified due to North "
                      "Korean artillery, which caused up to 60 percent of recent casualty figures.")],
               [*BUDANOV, *NK, *INTEL]),
        result("B", [("Ukrainian intelligence", "North Korean artillery caused 60% of the "
                      "losses in military intelligence units.")], [*BUDANOV, *NK, *INTEL]),
    ]  # fmt: skip
    story = build_story(results, ["", ""], embed=Directions({"north korean artillery": 0}))
    (d,) = story.discrepancies
    assert d.kind == "scope" and {d.a.article, d.b.article} == {"A", "B"}
    assert "recent casualty figures" in d.description
    assert "attributed to Budanov and to Ukrainian intelligence" in d.description
    assert d.a.evidence and d.b.evidence


def test_a_figure_credited_to_two_sources_says_so_in_its_one_finding() -> None:
    results = [
        result("A", [("Budanov", "North Korea supplies 40% of Russia's ammunition.")],
               [*BUDANOV, *NK, *INTEL]),
        result("B", [("Ukrainian intelligence", "North Korea supplies 60% of Russia's ammunition.")],
               [*BUDANOV, *NK, *INTEL]),
    ]  # fmt: skip
    story = build_story(results, ["", ""], embed=Directions({"of russia's ammunition": 0}))
    (d,) = story.discrepancies
    assert d.kind == "number" and d.description.endswith(
        "attributed to Budanov and to Ukrainian intelligence"
    )


def test_the_outlet_voice_credits_no_one() -> None:
    results = [
        result("A", [("A", "North Korea supplies 40% of Russia's ammunition.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "North Korea supplies 60% of Russia's ammunition.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, ["", ""], embed=Directions({"of russia's ammunition": 0}))
    (d,) = story.discrepancies
    assert "attributed" not in d.description


def test_the_same_words_credited_to_two_names_only_are_an_attribution_discrepancy() -> None:
    people = [("Hugh Hewitt", "person", ["Hugh Hewitt", "Hewitt"]),
              ("Donald Trump", "person", ["Donald Trump", "Trump"])]  # fmt: skip
    same = "Obama is the founder of ISIS and Clinton is the cofounder, {} said."
    results = [
        result("A", [("Donald Trump", same.format("Donald Trump"))], people),
        result("B", [("Hugh Hewitt", same.format("Hugh Hewitt"))], people),
        result("C", [("the Republican nominee", same.format("the Republican nominee"))], people),
        result("D", [("Donald Trump", "Obama is the founder of ISIS, Trump said, and "
                      "Hewitt asked whether he meant it literally at an event in Miami.")], people),
    ]  # fmt: skip
    story = build_story(results, ["", "", "", ""], embed=None)
    pairs = {frozenset((d.a.article, d.b.article)) for d in story.discrepancies}
    assert pairs == {frozenset("AB")}  # not C (a description), not D (a few of its words)
