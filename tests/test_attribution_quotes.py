"""A quotation that runs on without a cue of its own keeps its speaker: the next sentence
of a quoted paragraph, a paragraph that is all quotation after one whose quote had a
speaker, and past a picture caption between them — but never a quotation after the
outlet's own narration, and never a guess. Every quotation style counts (‘…’ too).

Hand-made articles; no model (the parser is the pinned spaCy English pipeline)."""

from __future__ import annotations

from service.pipeline.models import Claim
from tests.claimkit import OUTLET
from tests.claimkit import claims_of as _claims

MATCH = (
    "Manager Jane Brown was pleased with the result on Saturday night in Leeds.\n"
    "“We worked hard for this,” Brown said. “The players deserved it after a difficult "
    "month. They never stopped running.”\n"
    "“We are not finished yet. There is a long way to go before the end of the season.”\n"
    "Celebration: fans outside the ground after the match in Leeds (file photo)\n"
    "“I want to thank the supporters who travelled so far to be here tonight.”\n"
    "The club is third in the table after the win.\n"
    "“Nobody expected that result at the start of the season.”\n"
)


def _find(claims: list[Claim], words: str) -> Claim:
    return next(c for c in claims if words in c.text)


def test_the_next_sentences_of_a_quotation_keep_its_speaker() -> None:
    claims = _claims(MATCH)
    for words in ("players deserved", "never stopped"):
        claim = _find(claims, words)
        assert claim.speaker == "Jane Brown", words
        assert claim.attribution is not None and claim.attribution.cue == "quote"
        assert claim.attribution.cue_span is not None
        assert claim.attribution.cue_span.quote == "Brown said"


def test_a_paragraph_all_quotation_continues_the_speaker_before_it() -> None:
    claims = _claims(MATCH)
    for words in ("not finished", "long way to go"):
        assert _find(claims, words).speaker == "Jane Brown", words


def test_a_quotation_resumes_past_a_caption() -> None:
    claim = _find(_claims(MATCH), "thank the supporters")
    assert claim.speaker == "Jane Brown"
    assert len(claim.sentence_ids) == 2  # its own sentence and the one naming its speaker


def test_a_quotation_after_narration_is_not_credited_to_the_last_speaker() -> None:
    claim = _find(_claims(MATCH), "Nobody expected")
    assert claim.speaker == OUTLET


def test_british_single_quotation_marks_continue_too() -> None:
    text = (
        "‘He accepts full responsibility for what he has done,’ barrister Sarah Cole said.\n"
        "‘He is deeply ashamed and wants to apologise to the family.’\n"
    )
    claim = _find(_claims(text), "deeply ashamed")
    assert claim.speaker == "Sarah Cole"
    assert claim.attribution is not None and claim.attribution.cue == "quote"


def test_a_colon_frames_the_quotation_after_it_as_its_subjects_words() -> None:
    text = (
        "The race has tightened in the last two weeks of the campaign.\n"
        "Or, as Tom Ridge, a former secretary of homeland security, put it: “The barbarians "
        "are no longer at the gate.”\n"
        "Senator Jane Hill gave her answer:\n"
        "“We will not give up the fight for these families.”\n"
        "The result was clear: the vote went to the incumbent.\n"
    )
    claims = _claims(text)
    assert _find(claims, "barbarians").speaker == "Tom Ridge"
    assert _find(claims, "give up the fight").speaker == "Jane Hill"
    assert _find(claims, "went to the incumbent").speaker == OUTLET


def test_a_mark_misread_as_closing_a_quotation_hides_no_cue() -> None:
    said = "The lists differ. The company says its policy ''is not to cover'' the founder's firm.\n"
    assert _find(_claims(said), "policy").speaker == "The company"


def test_the_next_sentence_after_a_double_apostrophe_quote_keeps_its_speaker() -> None:
    text = (
        "The council met on Monday to discuss the budget for the coming year.\n"
        "''We will not back down from this fight,'' said Mayor Ann Cole. ''Our roads are "
        "crumbling and the money is gone.''\n"
    )
    assert _find(_claims(text), "roads are crumbling").speaker == "Ann Cole"


def test_a_cue_in_a_sentence_of_its_own_after_a_question_reports_it() -> None:
    text = (
        "Senator Jane Hill spoke in Iowa on Monday about the price of corn.\n"
        '"Is that all there is for the farmers?" Tom Baker said. "We need a new plan now!"\n'
        '"Why would anyone vote for that?" Baker asked on Twitter.\n'
    )
    claims = _claims(text)
    assert _find(claims, "Is that all").speaker == "Tom Baker"
    assert _find(claims, "new plan").speaker == "Tom Baker"
    assert _find(claims, "anyone vote").speaker == "Tom Baker"


def test_a_sentence_after_a_question_that_reports_more_is_no_cue_of_it() -> None:
    text = (
        "The club lost again on Saturday, its fifth defeat in a row.\n"
        '"Who could have seen that coming?" Critics said the manager had failed.\n'
    )
    assert _find(_claims(text), "seen that coming").speaker == OUTLET


def test_a_cue_after_a_quotation_closed_by_a_mixed_mark_is_no_quoted_word() -> None:
    text = (
        "The candidates were paid for speeches long after they declared.\n"
        "“It is unusual for a campaign,“ said Larry Noble, an attorney with the Campaign "
        "Legal Center. “It is a hard thing to do and pull off.”\n"
    )
    claims = _claims(text)
    assert _find(claims, "unusual for a campaign").speaker == "Larry Noble"


def test_a_short_quoted_paragraph_closed_by_two_apostrophes_is_no_heading() -> None:
    text = (
        "Clubs with high initiation fees are in decline across the state.\n"
        "''I don't think the industry is over,'' Ann Cole said. ''It is changing.''\n"
    )
    claims = _claims(text)
    assert _find(claims, "industry is over").speaker == "Ann Cole"


def test_every_sentence_of_a_quotation_signed_with_a_dash_is_the_signers() -> None:
    # PolNeAR dev (huff-post vox pops): scraped text opens the quotation with a closing
    # mark, the segmenter cuts it into sentences, and only the signature's was credited
    text = (
        "Readers shared their thoughts on the debate in Ohio on Monday night.\n"
        "”Mr. Trump embodies the lasting legacy of racism in the United States. He has "
        "empowered white racists to be open with their prejudice. He represents our "
        "greatest shame.” ― Sonya Herridge\n"
        "The debate drew a record audience in the United States.\n"
    )
    claims = _claims(text)
    for words in ("lasting legacy", "empowered white racists", "greatest shame"):
        claim = _find(claims, words)
        assert claim.speaker == "Sonya Herridge", words
        assert claim.attribution is not None and claim.attribution.cue == "quote"
    assert _find(claims, "record audience").speaker == OUTLET


def test_a_findings_label_credits_the_headline_to_it() -> None:
    # PolNeAR dev: "Poll: Clinton and Trump in dead heat …" was the outlet's
    headline = "Poll: Clinton and Trump in dead heat heading into first debate."
    body = "The two candidates meet in New York on Monday night for the first debate."
    speakers = {c.text.split()[1]: c.speaker for c in _claims(f"{headline}\n{body}\n")}
    assert speakers == {"Clinton": "Poll", "two": OUTLET}


def test_a_signed_quotation_with_mixed_marks_inside_is_its_signers() -> None:
    # PolNeAR dev (huff-post vox pops): a mark mixed up inside the quotation hid it, and
    # its sentences carried the previous paragraph's signer on: a wrong name
    text = (
        "Readers shared their thoughts on the debate in Ohio on Monday night.\n"
        "“He is someone that no sane person would want as the president.” ― Ana Ortiz Jr.\n"
        "“He is making a mockery of our political system. To quote Bob Marley ‘Some people "
        "are so poor all they have is money.” And that is all he has.” ― Christina Lastra.\n"
    )
    claims = _claims(text)
    # a full stop after the signature ends the line, not the name; "Jr." keeps its own
    assert _find(claims, "no sane person").speaker == "Ana Ortiz Jr."
    for words in ("making a mockery", "that is all he has"):
        assert _find(claims, words).speaker == "Christina Lastra", words
