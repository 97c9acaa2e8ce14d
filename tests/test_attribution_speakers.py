"""Attribution that knows newsroom syntax: organisations and role nouns as speakers, verbs
from the PolNeAR cue inventory, inverted order ("…," said X), and precision first — a
role noun or pronoun becomes a name only where the article settles on one, never the
article's most-named person and never the outlet.

Hand-made articles; no model (the parser is the pinned spaCy English pipeline)."""

from __future__ import annotations

import pytest

from service.pipeline.models import Claim
from tests.claimkit import OUTLET
from tests.claimkit import claims_of as _claims


def _speaker(claims: list[Claim], words: str) -> str:
    return next(c for c in claims if words in c.text).speaker


# One sentence each: the speaker the claim should carry.
SPEAKERS = [
    # organisations, by their name as written less "the"; a common noun keeps its words
    ("The airline said passengers would be offered refunds.", "The airline"),
    ("Tesco said sales fell by 2% in the quarter.", "Tesco"),
    ("The Football Association said in a statement that it would act.", "Football Association"),
    ("Police said a 34-year-old man had been arrested.", "Police"),
    # verbs from the PolNeAR cue inventory, beyond the seeds' hand list
    ("The Prime Minister responded that the claims were nonsense.", "The Prime Minister"),
    ("Labour leader Keir Starmer insists the plan will fail.", "Keir Starmer"),
    ("The union threatened to strike again in the spring.", "The union"),
    ("Ms Reed vowed to fight on.", "Ms Reed"),
    ("Mr Hart conceded that mistakes had been made.", "Mr Hart"),
    # a verdict on someone: "portrayed X as Y"
    ("Scott Sullivan portrayed Mr Ebbers as obsessed with costs.", "Scott Sullivan"),
    # a belief stated as an adjective with its own clause
    ("Critics are concerned that the directive could hurt small firms.", "Critics"),
    # "X has branded Y a Z": a verdict in the speaker's words (BBC politics/300)
    ('Mark Oaten has branded the ID scheme a waste of money and "deeply flawed".', "Mark Oaten"),
    # a rare cue with a that-clause: whoever its subject is, it speaks
    ("Prosecutors have alleged that the chief hid the losses.", "Prosecutors"),
    # a transcript's speaker before a colon
    ('Rep. Trey Gowdy (R-S.C.): "I have not heard anyone else cite that figure."', "Trey Gowdy"),
    # a relative pronoun is the noun it hangs on
    ("It was the Huffington Post which said the race was tight.", "Huffington Post"),
    # a participle shares its host's subject: a coordinated verb's, a passive one's
    (
        "Dean then appeared on MSNBC and began by saying he would never diagnose anyone.",
        "Dean",
    ),
    ("After saying her foot was swollen, Ms Reed was taken to hospital.", "Ms Reed"),
    # a campaign's surrogates speak for it (PolNeAR dev, nyt 10-04)
    ("His surrogates called him a genius for his tax avoidance strategies.", "His surrogates"),
]


@pytest.mark.parametrize(("sentence", "speaker"), SPEAKERS)
def test_the_subject_of_a_cue_is_the_speaker_not_the_outlet(sentence: str, speaker: str) -> None:
    (claim,) = _claims(sentence + "\n")
    assert claim.speaker == speaker


ROLES = [
    pytest.param(
        "Mark Jones, 41, admitted dangerous driving at Leeds Crown Court.\n"
        "His barrister, John Smith, said his client had shown remorse.\n"
        "Mark Jones was jailed for two years.\n"
        "The barrister told the court the sentence was too harsh.\n",
        "too harsh",
        "John Smith",
        id="the one holder of the role",
    ),
    pytest.param(
        "Prime Minister Rishi Sunak visited Leeds on Monday.\n"
        "Rishi Sunak met nurses at the hospital and promised more money.\n"
        "The minister said the money would arrive within weeks.\n",
        "within weeks",
        "The minister",
        id="never the most-named person",
    ),
    pytest.param(
        "Rishi Sunak met nurses at the hospital.\n"
        "A spokesman for the trust told reporters the ward would close.\n",
        "ward would close",
        "A spokesman for the trust",
        id="an indefinite role as written",
    ),
    pytest.param(
        "The minister, Anna Reed, and the former minister, Tom Hart, spoke at the event.\n"
        "The minister said the scheme had worked.\n",
        "scheme had worked",
        "The minister",
        id="a role two people hold",
    ),
    pytest.param(
        "Labour leader Keir Starmer spoke in Leeds on Monday.\n"
        "The Tory leader said the plan would fail.\n",
        "would fail",
        "The Tory leader",
        id="a role qualified by another party",
    ),
    pytest.param(
        "The director of the agency, John Hackett, signed the letter.\n"
        "The agency said the records had been searched twice.\n",
        "searched twice",
        "The agency",
        id="an institution is no person's role",
    ),
]


@pytest.mark.parametrize(("text", "words", "speaker"), ROLES)
def test_a_role_noun_is_a_name_only_when_the_article_gives_it_to_one_person(
    text: str, words: str, speaker: str
) -> None:
    assert _speaker(_claims(text), words) == speaker


def test_an_organisations_it_continues_it_as_the_speaker() -> None:
    claims = _claims(
        "Microsoft said on Monday that it would release the patches.\n"
        '"We take the security of our customers seriously," it said.\n'
    )
    assert _speaker(claims, "security of our customers") == "Microsoft"


def test_a_participle_names_no_speaker_for_its_sentence() -> None:
    claims = _claims(
        "The jobs report cheered Democrats hoping to retain the White House, but it "
        "created a new atmosphere of uncertainty.\n"
    )
    assert all(c.speaker == OUTLET for c in claims)


def test_a_verb_that_is_rarely_a_cue_needs_something_reported() -> None:
    claims = _claims("Mr Hart responded to the crisis with a new budget.\n")
    assert _speaker(claims, "new budget") == OUTLET


def test_inverted_order_names_the_speaker_after_the_verb() -> None:
    claims = _claims(
        '"We played well and deserved the win," added midfielder Tom Jones.\n'
        "The increase was unjustified and will hurt families, said Dr Jane Doe.\n"
        '"We are sorry for what happened," said the minister.\n'
    )
    assert _speaker(claims, "played well") == "Tom Jones"
    assert _speaker(claims, "unjustified").endswith("Jane Doe")
    assert _speaker(claims, "sorry for") == "the minister"


def test_a_pronoun_with_no_one_to_stand_for_stays_as_written() -> None:
    claims = _claims(
        "The report was published on Monday by the committee.\n"
        '"This is a statement about the club\'s future," he said.\n'
    )
    claim = next(c for c in claims if "statement about" in c.text)
    assert claim.speaker == "he"  # not the outlet, and no name guessed
    assert claim.attribution is not None and claim.attribution.cue == "quote"


def test_a_transcript_label_names_a_person_the_article_names() -> None:
    text = (
        "The panel on Sunday included the host Chris Matthews and the reporter Luciana Lopez.\n"
        "Matthews: Well, speculation is bad for the markets.\n"
        "Lopez: Well, no one thinks their savings are speculation.\n"
        "The result: the debate went on for an hour.\n"
        "Network President On Matthews: the show will go on next season.\n"
    )
    claims = _claims(text)
    speaker = {c.text.split(":")[0]: c.speaker for c in claims}
    assert speaker["Matthews"] == "Chris Matthews"
    assert speaker["Lopez"] == "Luciana Lopez"
    assert speaker["The result"] == OUTLET
    assert speaker["Network President On Matthews"] != "Chris Matthews"


def test_the_speaker_named_right_after_a_quotation_is_the_verbs_subject() -> None:
    text = (
        "The senator spoke to the president at a holiday party on Tuesday night.\n"
        "''That was a good speech you gave last night, Mr. President,'' Representative "
        "Steve Cohen, Democrat of Tennessee, told Mr. Obama as he shook hands.\n"
        "''If the deal had failed, I would have stayed in prison for years,'' Mr. Daniloff, "
        "now 81 and retired in Cambridge, Mass., said.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "good speech") == "Steve Cohen"
    assert "Daniloff" in _speaker(claims, "stayed in prison")


def test_a_described_anonymous_source_is_kept_as_written_a_bare_one_is_unattributed() -> None:
    text = (
        "The governor met the bank's creditors in San Juan on Monday.\n"
        "A White House official, who requested anonymity, said the president had called.\n"
        "One person with knowledge of the talks said the payment would be made.\n"
        "Sources said the deal was close.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "president had called") == "A White House official"
    assert _speaker(claims, "payment would be made") == "One person with knowledge of the talks"
    assert _speaker(claims, "deal was close") == "unattributed"


def test_they_after_a_group_speaking_by_its_plural_name_is_that_group() -> None:
    text = (
        "But the Tories insisted they would hold ministers to account over the scheme.\n\n"
        "They said they would also press Labour over whether the objectives could be met.\n"
    )
    claim = next(c for c in _claims(text) if "press Labour" in c.text)
    assert claim.speaker == "Tories"


def test_the_speakers_own_words_are_never_rewritten_into_another_antecedent() -> None:
    # the claim said "The rail unions said …" while crediting "They": text and speaker
    # must agree
    text = "The rail unions met in Leeds on Monday.\n\nThey said the pay rise was far too small.\n"
    claim = next(c for c in _claims(text) if "pay rise" in c.text)
    assert (claim.speaker, claim.text) == ("They", "They said the pay rise was far too small.")


def test_a_speech_verb_giving_a_reason_credits_its_own_clause_not_the_sentence() -> None:
    text = (
        "Michael Howard said his team had reached a collective view.\n\n"
        "He had decided to support the plans as the police said they would help fight crime.\n\n"
        "The economy grew by 2%, as the minister said.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "had decided") == "Michael Howard"  # was "the police"
    assert _speaker(claims, "economy grew") == "the minister"  # nothing of its own: the sentence


def test_a_reason_clause_that_reports_no_clause_of_its_own_is_no_aside() -> None:
    # Seed 001: the parser reads "reveals increasing" as a clause; it has no subject, so the
    # sentence stays the intelligence's (unattributed), not the outlet's narration.
    text = (
        "As intelligence reveals increasing shipments of artillery and missiles, including the "
        "steady flow of Russian funds and advanced technology to Pyongyang, the partnership "
        "appears to be a crucial factor in the war.\n"
    )
    assert _speaker(_claims(text), "steady flow") != OUTLET


def test_the_person_a_paper_quotes_is_the_speaker_not_the_paper() -> None:
    text = (
        "Home Secretary Charles Clarke has been quoted as telling Labour members he wants "
        "more migrants to come to the UK.\n\n"
        "London's Evening Standard quoted Mr Clarke telling Labour activists in Gateshead "
        "that he wanted Britain to offer refuge.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "more migrants") == "Charles Clarke"  # was unattributed
    assert "Clarke" in _speaker(claims, "offer refuge")  # was the Evening Standard


def test_names_joined_by_and_speak_together_a_description_is_not_a_second_speaker() -> None:
    text = (
        "Labour attacked the plan on Monday.\n\n"
        "Labour and the Tories claim the sums do not add up.\n\n"
        '"The industry will work with the artists," according to media and PR strategist '
        "Glen Yearwood.\n\n"
        "The former first lady and U.S. senator said it was a mistake to use private email.\n\n"
        "Developers and supporters in Congress say the program has brought billions.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "sums do not add up") == "Labour and the Tories"  # was "Labour"
    assert "and" not in _speaker(claims, "industry will work")
    assert "senator" not in _speaker(claims, "private email")  # one person's two offices
    assert _speaker(claims, "brought billions") == "Developers and supporters in Congress"


def test_an_untagged_name_with_a_title_carries_on_to_the_next_he_said() -> None:
    text = (
        "Charles Kennedy missed the vote on Monday with 16 other MPs.\n\n"
        '"Nobody had any idea that was going to happen," Lord Rennard told reporters at the '
        "party conference. He said he was certain MPs would get another chance to vote.\n"
    )
    claims = _claims(text)
    assert _speaker(claims, "Nobody had any idea") == _speaker(claims, "another chance")


def test_a_verdict_in_a_when_clause_does_not_credit_the_sentence() -> None:
    text = (
        "The line may as well have been lifted from the 2012 script, when President Barack "
        "Obama painted Romney as an out-of-touch plutocrat.\n"
    )
    (claim,) = _claims(text)
    assert claim.speaker == OUTLET
