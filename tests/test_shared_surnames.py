"""Two people with one surname: a bare surname, or a title whose gender rules one of them
out, never becomes the other person's full name (a wrong name is worse than none)."""

from __future__ import annotations

from tests.claimkit import claims_of


def _speaker(text: str, words: str) -> str:
    return next(c.speaker for c in claims_of(text) if words in c.text)


def test_a_title_of_the_other_gender_is_not_the_named_woman() -> None:
    text = (
        "Obamas visit school\n\nMichelle Obama spoke first at the school in Chicago. She "
        "praised the staff for their work.\n\nLater Mr. Obama said the plan would work.\n"
    )
    assert _speaker(text, "the plan would work") == "Obama"  # not "Michelle Obama"


def test_a_bare_surname_two_people_share_stays_as_written() -> None:
    text = (
        "Obamas visit school\n\nBarack Obama and Michelle Obama visited the school in "
        "Chicago on Monday.\n\nObama said the plan would work.\n"
    )
    assert _speaker(text, "the plan would work") == "Obama"  # not "Barack Obama"
