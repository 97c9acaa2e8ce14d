"""Claims from sentences: attribution, standalone text, atomic splits, fitting evidence.

Hand-made articles with the patterns news writing uses; no model (the parser is the pinned
spaCy English pipeline)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.pipeline.brief.rank import rank
from service.pipeline.claims import build
from service.pipeline.language import english
from service.pipeline.models import Claim
from service.pipeline.reading.segment import title_case
from tests.claimkit import OUTLET, claims_of

ARTICLE = (
    "Ukraine’s military intelligence chief, Kyrylo Budanov, has said that a truce should be "
    "concluded as soon as possible. He also said that up to 40% of Russia’s ammunition is "
    "supplied by North Korea.\n"
    "Kirill Budanov said this in an interview with Bloomberg.\n"
    "According to the chief of the GUR, Kim Jong-un’s regime also sends Russia ballistic "
    "missiles.\n"
    "Russia has intensified military ties with North Korea since last June.\n"
    "According to Budanov, US support will continue in the near future, and Washington may "
    "provide Ukraine with additional air defense systems.\n"
    "“His position is consistent, you shouldn’t judge him by his media characteristics,” "
    "Budanov said of US President Donald Trump.\n"
    "He added that Ukraine is highly dependent on the United States for satellite imagery.\n"
    "“I don’t see any signs that our security cooperation will stop,” the DIU chief said.\n"
    "Reports indicate increasing civilian casualties.\n"
    "The revelations highlight the deepening concern about the war.\n"
)


def _claims(text: str = ARTICLE, outlet: str = OUTLET) -> list[Claim]:
    return claims_of(text, outlet)


def _find(claims: list[Claim], words: str) -> Claim:
    return next(c for c in claims if words in c.text)


def test_a_pronoun_that_speaks_is_the_person_and_the_claim_names_him() -> None:
    claim = _find(_claims(), "40%")
    assert claim.speaker == "Kyrylo Budanov"
    assert claim.attribution is not None and claim.attribution.cue == "said"
    assert claim.text.startswith("Kyrylo Budanov also said that up to 40%")
    sub = claim.substitutions[0]
    assert (sub.original, sub.replacement) == ("He", "Kyrylo Budanov")
    assert ARTICLE[sub.antecedent.start : sub.antecedent.end] == "Kyrylo Budanov"
    assert claim.numbers == ["40"] and "up to 40%" in claim.text  # the hedge is the source's


def test_a_role_noun_is_the_person_it_names() -> None:
    claims = _claims()
    missiles = _find(claims, "ballistic missiles")
    assert missiles.speaker == "Kyrylo Budanov"
    assert missiles.attribution is not None and missiles.attribution.cue == "according_to"
    assert missiles.text.startswith("According to Kyrylo Budanov, Kim Jong-un")
    quote = _find(claims, "security cooperation")
    assert quote.speaker == "Kyrylo Budanov" and quote.kind == "quote"
    assert quote.attribution is not None and quote.attribution.cue == "quote"
    assert quote.text.endswith("Kyrylo Budanov said.")


def test_he_after_a_quote_about_someone_else_is_still_the_speaker() -> None:
    claim = _find(_claims(), "satellite imagery")
    assert claim.speaker == "Kyrylo Budanov"  # not Donald Trump, named last
    assert claim.text.startswith("Kyrylo Budanov added that")


def test_pronouns_inside_a_quotation_are_bracketed() -> None:
    claim = _find(_claims(), "position is consistent")
    assert claim.text.startswith("“[Donald Trump’s] position is consistent")
    assert claim.speaker == "Kyrylo Budanov"
    assert all(s.replacement.startswith("[") for s in claim.substitutions)


def test_two_facts_in_one_sentence_are_two_claims_each_citing_its_own_clause() -> None:
    claims = _claims()
    support = _find(claims, "US support will continue")
    defense = _find(claims, "air defense")
    assert support is not defense
    assert support.text == "According to Budanov, US support will continue in the near future."
    assert defense.text.startswith("According to Budanov, Washington may provide Ukraine")
    assert [s.quote for s in support.evidence] == [
        "According to Budanov, US support will continue in the near future"
    ]
    assert [s.quote for s in defense.evidence] == [
        "According to Budanov,",
        "Washington may provide Ukraine with additional air defense systems.",
    ]
    assert support.sentence_ids == defense.sentence_ids
    assert support.speaker == defense.speaker == "Kyrylo Budanov"


def test_the_outlet_speaks_only_its_own_narration() -> None:
    claims = _claims()
    assert _find(claims, "intensified military ties").speaker == "Example News"
    assert _find(claims, "revelations highlight").speaker == "Example News"
    reported = [c for c in claims if c.attribution and c.attribution.cue != "narration"]
    assert reported and all(c.speaker != "Example News" for c in reported)


def test_no_one_named_is_unattributed_not_guessed() -> None:
    claim = _find(_claims(), "civilian casualties")
    assert claim.speaker == "unattributed"
    assert claim.attribution is not None and claim.attribution.cue == "unattributed"


def test_a_source_note_is_not_a_claim() -> None:
    assert not any("interview with Bloomberg" in c.text for c in _claims())


def test_the_words_of_a_source_note_come_from_the_language_pack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    note = "Kirill Budanov said this in an interview with Bloomberg.\n"
    assert not any("interview" in c.text for c in _claims(note))
    bare = replace(english(), said_back_references=frozenset())
    monkeypatch.setattr(build, "english", lambda: bare)
    assert any("interview" in c.text for c in _claims(note))


def test_evidence_is_the_sentence_a_claim_needs() -> None:
    for claim in _claims():
        assert len(claim.evidence) == 1 or "air defense" in claim.text, claim.text
        for span in claim.spans():
            assert ARTICLE[span.start : span.end] == span.quote


def test_a_quotation_that_continues_cites_the_sentence_of_its_speaker() -> None:
    text = (
        '"They have transferred a significant amount of artillery ammunition," Budanov said.\n'
        "“This allowed Russia to breathe a little bit. Without their help, the situation "
        "would have been catastrophic.”\n"
    )
    claim = _find(_claims(text), "breathe")
    assert claim.speaker == "Budanov"
    assert claim.sentence_ids == [1, 2]  # its fact, and the sentence naming its speaker
    assert claim.attribution is not None and claim.attribution.cue_span is not None
    assert claim.attribution.cue_span.quote == "Budanov said"


def test_rank_puts_the_headline_number_first() -> None:
    ranked = rank(_claims(), None)
    assert "40%" in ranked[0].text


def test_attribution_patterns_the_small_parser_misreads() -> None:
    text = (
        "Western intelligence estimates that North Korea has sent millions of artillery shells.\n"
        "Russia has secured ballistic missiles from Iran in recent weeks, and Budanov said it "
        "was also boosting its production of glide bombs.\n"
        "Budanov, however, remains hopeful about a ceasefire, believing that a deal is possible.\n"
        "As intelligence reveals increasing shipments of artillery, the war drags on.\n"
    )
    claims = _claims(text)
    assert _find(claims, "millions").speaker == "Western intelligence"
    iran, glide = _find(claims, "from Iran"), _find(claims, "glide bombs")
    assert iran is not glide
    assert iran.speaker == "Example News"  # the outlet's narration, split off
    assert glide.speaker == "Budanov"
    # each cites its own clause: what Budanov said is not in the outlet's evidence
    assert [s.quote for s in iran.evidence] == [
        "Russia has secured ballistic missiles from Iran in recent weeks"
    ]
    assert "glide bombs" in glide.evidence[0].quote and "Iran" not in glide.evidence[0].quote
    assert _find(claims, "ceasefire").speaker == "Budanov"
    assert _find(claims, "shipments").speaker in ("unattributed", "Example News")


def test_an_opening_it_or_they_is_the_previous_sentence_subject() -> None:
    text = (
        "Kyrylo Budanov said that the truce should be concluded before the end of the year.\n"
        "“It is realistic. It requires at least three parties,” Budanov said.\n"
        "North Korea is the largest supplier of weapons to Russia, Budanov said.\n"
        "“They have transferred a significant amount of artillery ammunition,” he said.\n"
    )
    claims = _claims(text)
    truce = _find(claims, "is realistic")
    assert truce.text.startswith("“[The truce] is realistic. It requires")  # the first only
    sub = truce.substitutions[0]
    assert (sub.original, sub.replacement) == ("It", "[The truce]")
    assert text[sub.antecedent.start : sub.antecedent.end] == "the truce"
    ammo = _find(claims, "transferred")
    assert ammo.text.startswith("“[North Korea] have transferred")


def test_it_or_they_is_left_as_written_when_the_sentence_before_does_not_settle_it() -> None:
    text = (
        "Kyrylo Budanov spoke in Kyiv on Saturday.\n"  # a person: people.py's business
        "They supply huge amounts of artillery ammunition, Budanov said.\n"
        "The missiles were fired at Kharkiv overnight.\n"  # plural: no antecedent for "it"
        "It is not clear how many were intercepted.\n"  # and an expletive "it" besides
        "Russia says it will respond.\n"  # not opening the sentence
    )
    claims = _claims(text)
    assert _find(claims, "supply huge").text.startswith("They supply")
    assert _find(claims, "intercepted").text.startswith("It is not clear")
    assert _find(claims, "respond").substitutions == []


def test_an_agency_whose_name_ends_in_capitalised_words_is_not_a_person() -> None:
    text = (
        "North Korea has also provided Russia with ballistic missiles, that the US Defense "
        "Intelligence Agency in May said had been used by Russia in attacks on Ukrainian towns.\n"
    )
    claim = _find(_claims(text), "ballistic missiles")
    assert claim.speaker == "US Defense Intelligence Agency"  # not "Intelligence Agency"


def test_a_surname_is_not_the_foundation_named_after_its_bearer() -> None:
    text = (
        "The Latest: Trump urges supporters to monitor polling places.\n"
        "Trump tells his supporters at a Michigan rally to go and vote.\n"
        "The Trump Foundation has been ordered to stop raising money in New York.\n"
        "Trump says voter fraud would be one hell of a way to lose.\n"
    )
    claims = _claims(text)
    assert all(c.speaker != "Trump Foundation" for c in claims if "Trump says" in c.text)
    assert _find(claims, "voter fraud").speaker == "Trump"


def test_a_title_case_headline_with_a_full_stop_names_no_one() -> None:
    text = (
        "Obama Says African-American Museum Will Tell of Suffering and Delight.\n"
        "President Obama, dedicating the museum on Saturday, said it would tell an American "
        "story.\n"
        "Mr. Obama said he hoped it would encourage a dialogue among Americans.\n"
    )
    claims = _claims(text)
    assert len(claims) == 3  # the headline is still a claim
    assert [c.speaker for c in claims] == ["Obama", "Obama", "Obama"]  # not "Obama Says"


def test_a_first_line_of_names_and_a_lower_case_verb_is_a_sentence_not_a_title() -> None:
    # Every word of four letters or more is a capitalised name here; "won" makes it a
    # sentence, and its names stay the article's ("she said" is Daniela Hantuchova's).
    assert title_case("Obama Says African-American Museum Will Tell of Suffering and Delight.")
    assert not title_case("Lindsay Davenport and Daniela Hantuchova won on Tuesday.")


def test_only_a_short_first_paragraph_is_read_for_a_title(monkeypatch: pytest.MonkeyPatch) -> None:
    # A one-line article is all paragraph 0: reading it as a possible title for each of its
    # sentences made a 1 MB line quadratic (tests/test_hostile's 1 MB test ran out of time).
    calls: list[int] = []

    def counted(line: str) -> bool:
        calls.append(len(line))
        return title_case(line)

    monkeypatch.setattr("service.pipeline.claims.build.title_case", counted)
    claims_of("Mr Smith said the tram is late. " * 40)
    claims_of("Obama Says Museum Will Tell of Delight.\nMr. Obama said it would tell a story.\n")
    assert calls == [39]  # the long first paragraph is never read, the short one once
