"""A person's name the small parser tags as a place or nationality still blocks a "he": the
rival named nearby must not be written into the claim in its place."""

from __future__ import annotations

from tests.claimkit import claims_of as _claims


def test_a_subject_tagged_as_a_place_keeps_the_pronoun_ambiguous() -> None:
    text = (
        "By 1838, Bingham was already beginning to make a name as a portrait artist; his "
        "studio was visited by several local citizens, including the lawyer James S. "
        "Rollins, who was to become a lifelong friend. While he frequently worked in the "
        "city, Bingham kept his principal residence in Arrow Rock for years.\n"
    )
    claim = next(c for c in _claims(text) if "frequently worked" in c.text)
    assert "Rollins" not in claim.text.split("Bingham")[0]
    assert any(u.original == "he" and "Bingham" in u.candidates for u in claim.unresolved)


def test_a_country_as_subject_does_not_block_the_speaker() -> None:
    text = (
        "Ukraine’s military intelligence chief, Kyrylo Budanov, spoke in Kyiv on Friday.\n"
        "Russia has intensified military ties with North Korea since last June.\n"
        "He added that Ukraine is highly dependent on the United States for imagery.\n"
    )
    claim = next(c for c in _claims(text) if "highly dependent" in c.text)
    assert claim.text.startswith("Kyrylo Budanov added")


def test_they_never_means_a_place_inside_a_misparsed_subject() -> None:
    text = (
        "The couple, who married in Los Angeles last September, claimed staff took "
        "photographs of them which were later sold.\n"
        "They said they allowed the pictures to be taken.\n"
    )
    claim = next(c for c in _claims(text) if "allowed the pictures" in c.text)
    assert "Los Angeles" not in claim.text and claim.speaker != "Los Angeles"


def test_a_qualified_role_is_its_holder_only_when_the_article_said_it_so() -> None:
    text = (
        "Ukraine's military intelligence agency GUR head, Kyrylo Budanov, spoke in Kyiv.\n"
        "The Ukrainian spy chief also highlighted a revelation about Russia's planning.\n"
        "The Tory leader said the plan was wrong.\n"
    )
    claims = _claims(text)
    spy = next(c for c in claims if "revelation" in c.text)
    tory = next(c for c in claims if "plan was wrong" in c.text)
    assert spy.speaker == "Kyrylo Budanov" and spy.text.startswith("Kyrylo Budanov also")
    assert tory.speaker == "The Tory leader"


def test_a_role_whose_of_phrase_ends_in_the_name_is_theirs() -> None:
    text = (
        "North Korea is the largest supplier of weapons to Russia, chief of Ukraine’s "
        "Defense Intelligence Kyrylo Budanov said in an interview.\n"
        "“They have transferred a lot of ammunition,” the spy chief said.\n"
    )
    claim = next(c for c in _claims(text) if "ammunition" in c.text)
    assert claim.speaker == "Kyrylo Budanov"
