"""Pronouns, precision first: a name replaces "he"/"she" only when one person can be
meant; otherwise the words stay and the claim records the candidates (candidates.py)."""

from __future__ import annotations

import pytest

from service.pipeline.models import Claim
from tests.claimkit import claims_of as _claims


def _find(claims: list[Claim], words: str) -> Claim:
    return next(c for c in claims if words in c.text)


def _about(text: str, words: str) -> Claim:
    """The claim of `text` holding `words`."""
    return _find(_claims(text), words)


def test_one_person_named_before_is_the_referent() -> None:
    claim = _find(
        _claims("Maria Lopez won the race on Sunday. Later she thanked the crowd."), "thanked"
    )
    assert claim.text == "Later Maria Lopez thanked the crowd."
    sub = claim.substitutions[0]
    assert sub.original == "she" and sub.span is not None and sub.span.quote == "she"
    assert claim.unresolved == []


def test_two_people_it_may_stand_for_keep_the_pronoun_and_are_recorded() -> None:
    text = "Tom Hale met Sam Ortiz in Leeds. Hale and Ortiz both spoke. Later he left the city."
    claim = _about(text, "left the city")
    assert claim.text == "Later he left the city."
    assert claim.substitutions == []
    (left,) = claim.unresolved
    assert left.original == "he" and left.span.quote == "he"
    assert set(left.candidates) == {"Tom Hale", "Sam Ortiz"}


def test_gender_shown_by_a_title_leaves_one_candidate() -> None:
    text = "Mr John Smith met Mrs Jane Brown on Monday. Later she signed the contract."
    claim = _about(text, "signed")
    assert "Jane Brown signed" in claim.text


def test_a_pronoun_never_stands_for_its_own_verbs_other_argument() -> None:
    text = "David Brown arrived at the station on Monday. He hugged David Brown warmly."
    claim = _about(text, "hugged")
    assert claim.text == "He hugged David Brown warmly."


def test_a_quotations_names_are_no_referent_outside_it() -> None:
    text = (
        "Sarah Jones wrote to the board on Friday. "
        "“Peter Brown is wrong about the budget,” she said. Later he resigned from the board."
    )
    claim = _about(text, "resigned")
    assert "Peter Brown" not in claim.text and claim.text.startswith("Later he resigned")


def test_a_name_that_may_be_a_persons_keeps_the_pronoun_ambiguous() -> None:
    """'Hicks' tagged as an organisation (or untagged) may be the person meant."""
    text = (
        "Hicks sent concept art to Dana Reyes as a pitch for the job. "
        "Reyes liked it and Hicks joined the project. Then she designed the main character."
    )
    claim = _about(text, "designed")
    assert claim.text.startswith("Then she designed")


def test_an_unnamed_role_holder_keeps_a_later_he_ambiguous() -> None:
    """'The Ukrainian spy chief … He presented' is not the president named before."""
    text = (
        "Budanov underscored that the missiles hit the grid. The onslaught caused damage. "
        "Ukrainian President Volodymyr Zelenskiy has once again made pleas for air defense. "
        "The Ukrainian spy chief also highlighted a revelation. He presented evidence of "
        "recruitment problems."
    )
    claim = _about(text, "presented evidence")
    assert claim.text.startswith("He presented")
    assert "the chief" in claim.unresolved[0].candidates


def test_it_or_they_continue_only_a_sure_subject() -> None:
    """'Their pensions' waits for a referent itself; 'People' is people in general."""
    text = (
        "People have seen their pensions knocked for six. "
        "They are being squeezed by extra taxes.\n"
        "Their pensions are shrinking every year. They will be worth less next year."
    )
    claims = _claims(text)
    assert _find(claims, "squeezed").text.startswith("They are being")
    assert _find(claims, "worth less").text.startswith("They will be")


@pytest.mark.parametrize(
    ("text", "words", "never"),
    [
        pytest.param(
            "Finance minister Ana Ruiz met reporters on Monday. Health minister Luis Vega "
            "joined them later. The minister said the budget would pass.",
            "budget",
            ("Ana Ruiz", "Luis Vega"),
            id="a role noun with two holders names neither",
        ),
        pytest.param(
            "Bill Clinton and Harry Belafonte spoke at the service. The 87-year-old was found "
            "dead last weekend in a hotel room.\nPolice said that he appeared to have died of "
            "natural causes.",
            "natural causes",
            ("Clinton", "Belafonte"),
            id="an age noun is someone a later he may mean",
        ),
        pytest.param(
            "Karen Brady said the bid was a waste of time.\n“The fans love him because he works "
            "hard,” the manager insisted.",
            "fans love",
            ("Karen Brady",),
            id="a quote whose speaker is unknown changes no pronoun",
        ),
    ],
)
def test_no_wrong_name(text: str, words: str, never: tuple[str, ...]) -> None:
    claim = _about(text, words)
    assert not any(name in claim.text for name in never)


def test_the_one_survivor_needs_the_pronouns_gender_shown() -> None:
    """Alex Kim is the only one left once the quotation's name is set aside, but the
    article never shows whether Alex Kim is a 'he': the pronoun stays, with the name."""
    text = "“Sam Ortiz is wrong about the budget,” Alex Kim said. Later he resigned in anger."
    claim = _about(text, "resigned")
    assert claim.text == "Later he resigned in anger."
    assert claim.unresolved[0].candidates == ["Alex Kim"]
