"""The headline: the top claim in its own words when they fit, else the model's, kept only if
short, whole, grounded and keeping the claim's figures, hedges and superlatives. Scripted model."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.pipeline.brief.headline import dropped, headline_for
from service.pipeline.context import RunContext
from service.pipeline.models import Attribution, Claim, Span
from service.prompts import PromptLibrary
from tests.claimkit import shortened
from tests.conftest import ROOT, make_backend

CLAIM = "Kyrylo Budanov also said that up to 40% of Russia’s ammunition is supplied by North Korea."


def _claim(text: str = CLAIM, speaker: str = "Kyrylo Budanov") -> Claim:
    evidence = [Span(start=0, end=len(text), quote=text)]
    return Claim(
        id="c2", text=text, speaker=speaker, kind="statement", sentence_ids=[1], evidence=evidence
    )


def test_a_headline_that_drops_a_hedge_or_a_figure_states_a_stronger_claim() -> None:
    assert dropped("North Korea supplies 40% of Russia's ammunition", CLAIM) == ["up to"]
    assert dropped("North Korea supplies much of Russia's ammunition", CLAIM) == ["up to", "40"]
    assert dropped("Budanov: North Korea supplies up to 40% of Russia's ammunition", CLAIM) == []
    largest = "North Korea is the largest supplier of weapons to Russia, Budanov said."
    assert dropped("North Korea supplies weapons to Russia, Budanov says", largest) == ["largest"]


def test_a_model_headline_names_a_person_by_surname_and_credits_first() -> None:
    """The model was asked for "...: de Vries" and put the speaker last ("Blair rejects
    Iraq war advice, calls for investigation: Blair"); every other path credits first."""
    for answer in (
        "Kyrylo Budanov: North Korea, not China, is the Kremlin's most important ally",
        "North Korea, not China, is the Kremlin's most important ally: Kyrylo Budanov",
        "North Korea, not China, is the Kremlin's most important ally: Budanov",
    ):
        ctx, _ = _ask(answer)
        head = headline_for(ctx, [(_claim(LONG), shortened(LONG))], [], frozenset())
        assert head.text == "Budanov: North Korea, not China, is the Kremlin's most important ally"
    ctx, _ = _ask(
        "Budanov says North Korea, not China, is the Kremlin's most important ally: Budanov"
    )
    head = headline_for(ctx, [(_claim(LONG), shortened(LONG))], [], frozenset())
    assert head.text == "Budanov says North Korea, not China, is the Kremlin's most important ally"


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        (CLAIM, "Budanov: Up to 40% of Russia’s ammunition is supplied by North Korea"),
        (
            "North Korea is the largest supplier of weapons to Russia, Kyrylo Budanov said "
            "in an interview.",
            "Budanov: North Korea is the largest supplier of weapons to Russia",
        ),
        ("Budanov said North Korea sent shells.", "Budanov said North Korea sent shells"),
    ],
)
def test_the_claim_in_its_own_words_puts_its_speaker_first(text: str, headline: str) -> None:
    ctx, calls = _ask("unused")
    claim = _claim(text).model_copy(update={"attribution": Attribution(cue="said")})
    head = headline_for(ctx, [(claim, shortened(text))], [], frozenset())
    assert (head.text, head.path, calls) == (headline, "own_words", [])


LONG = (
    "According to Kyrylo Budanov, the Kremlin’s most important ally during the war isn’t "
    "economically and militarily powerful China, but North Korea."
)


def _ask(answer: str) -> tuple[RunContext, list[str]]:
    calls: list[str] = []

    def model(messages: Any, kwargs: Any) -> str:
        calls.append(str(messages[-1].content))
        return json.dumps({"headline": answer})

    return RunContext(backend=make_backend(model), prompts=PromptLibrary(ROOT / "prompts")), calls


def test_the_claim_in_its_own_words_needs_no_model_when_it_fits() -> None:
    ctx, calls = _ask("Russia receives up to 40% of North Korea's ammunition: Budanov")
    warnings: list[str] = []
    head = headline_for(ctx, [(_claim(), shortened(CLAIM))], warnings, frozenset())
    assert head.text == "Budanov: Up to 40% of Russia’s ammunition is supplied by North Korea"
    assert head.claim_id == "c2" and head.path == "own_words"
    assert calls == [] and warnings == []


def test_a_model_headline_that_passes_is_kept_and_names_its_claim() -> None:
    ctx, calls = _ask(
        "Kyrylo Budanov: North Korea, not China, is the Kremlin's most important ally"
    )
    warnings: list[str] = []
    head = headline_for(ctx, [(_claim(LONG), shortened(LONG))], warnings, frozenset())
    assert head.text == "Budanov: North Korea, not China, is the Kremlin's most important ally"
    assert head.claim_id == "c2" and head.path == "model"
    assert len(calls) == 1 and warnings == []


def test_a_model_headline_that_fails_a_check_is_no_headline() -> None:
    for answer in (
        "North Korea is the Kremlin's main ally, Budanov says",  # "most important" dropped
        "North Korea is the Kremlin's most important ally, 3 officials say",  # a new number
        "Budanov says North Korea, not China, is the most important of the",  # cut
        "Budanov: North Korea, not China, is the Kremlin's most important ally in the war now",
        "Budanov: North Korea, not China, is the Kremlin's most important missile ally",
    ):
        ctx, _ = _ask(answer)
        warnings: list[str] = []
        head = headline_for(ctx, [(_claim(LONG), shortened(LONG))], warnings, frozenset())
        assert (head.text, head.claim_id, head.path) == ("", None, "none")
        assert warnings, answer
