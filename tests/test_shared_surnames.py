"""Two people with one surname: a bare surname, or a title whose gender rules one of them
out, never becomes the other person's full name (a wrong name is worse than none)."""

from __future__ import annotations

from service.pipeline.claims.people import People
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


def test_a_surname_two_people_share_names_neither() -> None:
    people = People(kinds={"Jason Robinson": "PERSON", "Andy Robinson": "PERSON"})
    assert people.person_named("Robinson") is None  # was the first of them, Jason
    assert People(kinds={"Jason Robinson": "PERSON"}).person_named("Robinson") == "Jason Robinson"


def test_a_name_tagged_as_an_organisation_is_not_taken_for_the_person_of_that_surname() -> None:
    # "Machado" tagged as an organisation once, "Universe Alicia Machado" a person: making the
    # first a mention of the second ended an ambiguity, and a later "She tweeted" went to
    # Machado, not Hillary Clinton (PolNeAR dev). It stays a maybe-name that keeps "she" open.
    people = People(
        names={"Machado": "Machado"},
        kinds={"Machado": "ORG", "Universe Alicia Machado": "PERSON"},
    )
    assert people.person_named("Machado") == "Machado"
    assert not people.is_person("Machado")
