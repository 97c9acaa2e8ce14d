"""Who a reporter's "he said" is when the pronoun could stand for several people: the
person the quotation's lead-in is about (topics.py), the speaker a "She added:" continues,
and quotations run together by the news convention ('"A. "B."') that must not hide or
invent a cue. Precision first: where the lead-in is about something else, "he" stays.

Hand-made articles; no model (the parser is the pinned spaCy English pipeline)."""

from __future__ import annotations

import pytest

from service.pipeline.claims.build import ClaimBuilder
from service.pipeline.claims.people import People
from service.pipeline.claims.quotes import quoted_spans
from service.pipeline.models import Claim
from service.pipeline.reading.clean import clean_text
from service.pipeline.reading.segment import split_sentences
from tests.claimkit import OUTLET, claims_of


def _speaker(claims: list[Claim], words: str) -> str:
    return next(c for c in claims if words in c.text).speaker


def test_a_quotation_run_on_by_the_news_convention_ends_where_the_next_opens() -> None:
    text = (
        '"It was fantastic," he said. "It is not for me to say. '
        "\"I haven't phoned anyone saying 'buy me'. It is up to me.\" "
        "Steve Bruce insists he will not sell."
    )
    spans = [text[a:b] for a, b in quoted_spans(text)]
    assert spans[1] == '"It is not for me to say.'
    assert spans[2].endswith('It is up to me."')
    assert not any("Steve Bruce" in s for s in spans)


def test_a_cue_inside_a_run_on_quotation_is_the_quoted_words() -> None:
    claims = claims_of(
        "After the game, Phil Vickery spoke with Bath prop David Barnes.\n"
        '"I had a chat with David Barnes and it looks like a similar injury," Vickery said. '
        '"He said he had the operation and he was back running after a week. '
        '"There is no doubt that I am going to be around as soon as I can."\n'
    )
    assert "Vickery" in _speaker(claims, "back running")  # not David Barnes, not "He"


def _people(text: str) -> People:
    doc = clean_text(text)
    return ClaimBuilder(doc, split_sentences(doc), OUTLET).people


def test_a_name_in_apposition_to_the_subject_is_a_subject() -> None:
    people = _people("His party leader, Michael Howard, argued a change was needed.\n")
    named = [m for m in people.mentions if m.name == "Michael Howard" and m.end - m.start > 6]
    assert named and all(m.subject for m in named)


def test_a_pronoun_after_an_unnamed_speaker_continues_them_when_it_can() -> None:
    claims = claims_of(
        "A police spokeswoman said the officers went undercover on the website. "
        "She said criminals were using it to sell stolen cards.\n"
        "Critics say the directive will hurt small software firms. "
        "They said the rules were far too vague.\n"
    )
    assert _speaker(claims, "stolen cards") == "A police spokeswoman"
    assert _speaker(claims, "far too vague") == "Critics"


# (what the rule is, the article, words of the claim, its speaker): each fails without its rule.
SPEAKERS = [
    pytest.param(
        "Lindsay Davenport and Daniela Hantuchova won on Tuesday.\n"
        'Hantuchova is in upbeat mood ahead of her clash with Serena Williams. "I feel '
        'I have an advantage because I have played two matches here," she said.\n',
        "have an advantage",
        "Daniela Hantuchova",
        id="a_speaking_pronoun_is_the_person_the_lead_in_is_about",
    ),
    pytest.param(
        "England prop Phil Vickery is staying positive despite a broken arm.\n"
        "The 28-year-old fractured the radius in his right forearm on Saturday. He "
        'will undergo an operation on Monday. He said: "This is not an injury that '
        'will stop me working hard."\n',
        "stop me working",
        "Phil Vickery",
        id="the_lead_in_carries_over_pronouns_and_a_description",
    ),
    pytest.param(
        "Steve Bruce and Robbie Savage praised the team on Saturday.\n"
        'Police arrested a fan outside the ground after the match. "He attacked me in '
        'the car park," he said.\n',
        "attacked me",
        "he",
        id="a_lead_in_about_someone_else_leaves_the_pronoun",
    ),
    pytest.param(
        "Robbie Savage may be leaving.\n"
        'But Karen Brady told reporters the bid was "a waste of fax paper and my '
        'time". She added: "The way things are going this could affect the '
        'relationship."\n',
        "affect the relationship",
        "Karen Brady",
        id="she_added_with_a_colon_continues_the_previous_speaker",
    ),
    pytest.param(
        'Announcing the plans, Mr John Redwood said: "Mr Blair has broken his pledges. '
        '"Spending on quangos has led only to more bureaucrats." His party leader, '
        'Michael Howard, argued a change was needed. "Labour are creating two '
        'Britains," he said.\n',
        "change was needed",
        "Michael Howard",
        id="a_sentence_after_a_closing_mark_is_not_inside_the_quotation",
    ),
    pytest.param(
        "A police spokesman said the officers went undercover on the website. She said "
        "criminals were using it to sell stolen cards.\n",
        "stolen cards",
        "She",
        id="a_pronoun_of_the_other_gender_does_not_continue_an_unnamed_speaker",
    ),
    pytest.param(
        "“During the debate he said we live in hell. He is ignorant of our culture.” ― "
        "Pamela Padilla\n",
        "ignorant of our culture",
        "Pamela Padilla",
        id="a_quotation_signed_with_a_dash_is_the_signers",
    ),
    pytest.param(
        "Voters gave their views.\n"
        "“During the debate Trump said Hispanics live in hell. He is ignorant of our "
        "culture.”― Pamela Padilla\n",
        "live in hell",
        "Pamela Padilla",
        id="a_name_inside_a_quotation_is_no_cue_of_it",
    ),
    pytest.param(
        "Formerly one of Mr Brown's closest Treasury aides, Ed Balls hinted at a "
        "Budget giveaway on 16 March.\n",
        "giveaway",
        "Ed Balls",
        id="a_fronted_description_is_not_the_speaker_the_name_after_it_is",
    ),
]


@pytest.mark.parametrize(("text", "words", "speaker"), SPEAKERS)
def test_the_speaker_of_a_claim(text: str, words: str, speaker: str) -> None:
    assert _speaker(claims_of(text), words) == speaker
