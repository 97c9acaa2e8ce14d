"""Claims in fewer words for the summary: deletion only, and never a number, hedge,
quotation, speaker or attribution. The pinned parser, no model."""

from __future__ import annotations

import pytest

from service.pipeline.brief.compress import compress

CASES = [
    (  # scene-setting and the speaker's role go; the claim stays
        "In a keynote speech at the Yalta European Strategy conference in Kyiv, Ukraine's "
        "military intelligence chief, Kyrylo Budanov, said that North Korea supplies shells.",
        "Kyrylo Budanov",
        "Kyrylo Budanov said that North Korea supplies shells.",
    ),
    (  # a discourse adverb; the role after "according to"
        "Yet according to the head of Ukraine’s military intelligence agency GUR, Kyrylo "
        "Budanov, the Kremlin’s most important ally is North Korea.",
        "Kyrylo Budanov",
        "According to Kyrylo Budanov, the Kremlin’s most important ally is North Korea.",
    ),
    (  # a description set off by commas
        "According to Defense Express, Moscow may have received KN-23 ballistic missiles, "
        "which are similar to the Russian Iskander-M, from Pyongyang.",
        "Defense Express",
        "According to Defense Express, Moscow may have received KN-23 ballistic missiles from "
        "Pyongyang.",
    ),
    (  # a trailing comment after a quotation's attribution
        "“North Korea supplies huge amounts of artillery ammunition, which is critical for "
        "Russia,” Kyrylo Budanov said, pointing to an increase in hostilities.",
        "Kyrylo Budanov",
        "“North Korea supplies huge amounts of artillery ammunition, which is critical for "
        "Russia,” Kyrylo Budanov said.",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "short"), CASES)
def test_what_an_editor_deletes(text: str, speaker: str, short: str) -> None:
    assert compress([(text, speaker)]) == [short]


KEPT = [
    # a time frame scoping a number, and the number's hedge
    (
        "Over the past three months, up to 60% of the losses were caused by artillery, "
        "Budanov said.",
        "Kyrylo Budanov",
    ),
    # a scene-setter that carries a date is when it happened
    ("On Jan. 6, Russia again fired several North Korean missiles at Ukraine.", "the outlet"),
    # a quotation's own words, asides included
    ("“It is realistic, as everyone knows, and not difficult,” Budanov said.", "Kyrylo Budanov"),
    # an aside holding a number
    ("Russia has found a supplier in North Korea, which has sent 3 million shells.", "the outlet"),
]


@pytest.mark.parametrize(("text", "speaker"), KEPT)
def test_what_is_never_deleted(text: str, speaker: str) -> None:
    assert compress([(text, speaker)]) == [text]


def test_every_word_of_a_shortened_claim_is_the_claims_own() -> None:
    text, speaker, _ = CASES[0]
    (short,) = compress([(text, speaker)])
    assert set(short.rstrip(".").replace(",", "").split()) <= set(
        text.replace(",", "").replace(".", "").split()
    )
