"""A quotation whose closing mark was lost (as in pasted or scraped text) stays the quoted
speaker's: a bare "I" inside it is never a speaker; nor is a thing a relative clause hangs
on."""

from __future__ import annotations

from service.pipeline.models import Claim
from tests.claimkit import claims_of

ARTICLE = (
    "British hurdler Sarah Claxton is confident she can win a medal.\n"
    '"I am quite confident," said Claxton. "But I take each race as it comes. "As long '
    "as I keep up my training I think there is a chance of a medal. Claxton has won the "
    "national title for the past three years. Now, the Scotland born athlete owns the "
    "fifth fastest time in the world.\n"
    "Claxton will run in Madrid in March.\n"
)


def _claims() -> list[Claim]:
    return claims_of(ARTICLE)


def test_an_i_inside_a_quotation_is_the_quoted_speaker() -> None:
    claim = next(c for c in _claims() if "chance of a medal" in c.text)
    assert claim.speaker.endswith("Claxton")  # not "I"


def test_a_thing_a_relative_clause_hangs_on_is_no_speaker() -> None:
    text = (
        "Claxton has been preparing for a campaign over the hurdles, which could explain "
        "her leap in form.\n"
        "The airline, which said the delay was regrettable, refunded every passenger.\n"
    )
    claims = claims_of(text)
    hurdles = next(c for c in claims if "leap in form" in c.text)
    assert hurdles.speaker == "Example News", hurdles.speaker
    airline = next(c for c in claims if "regrettable" in c.text)
    assert airline.speaker.lower().endswith("airline"), airline.speaker
