"""The brief's ranking leans on position as news is written: the lead first (issue 23,
item 2; weights fitted on the brief development set's dev split)."""

from __future__ import annotations

from service.pipeline.brief.rank import positions, rank
from service.pipeline.models import Claim, Span

SENTENCES = [
    "The city council approved the new stadium on Tuesday.",
    "Residents had debated the plan for months.",
    "Some preferred a park.",
    "Others wanted housing.",
    "The mayor spoke at length.",
    "Turnout at the meeting was 40% higher than last year.",
]


def _claim(n: int, sentence: int | None = None) -> Claim:
    text = SENTENCES[n]
    return Claim(
        id=f"c{n + 1}",
        text=text,
        speaker="the article",
        kind="statement",
        sentence_ids=[n if sentence is None else sentence],
        evidence=[Span(start=0, end=len(text), quote=text)],
    )


def test_the_lead_outranks_a_later_figure() -> None:
    claims = [_claim(n) for n in range(len(SENTENCES))]
    ranked = rank(claims, None)
    # A share counted for 2.5 against a linear prior of 2.0: the turnout figure led.
    assert ranked[0].id == "c1"


def test_position_is_the_sentence_rank_shared_by_one_sentences_claims() -> None:
    claims = [_claim(0), _claim(1, sentence=0), _claim(2, sentence=7), _claim(3, sentence=3)]
    assert positions(claims) == [0, 0, 2, 1]
