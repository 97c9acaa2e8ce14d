"""An opening "This" resolved by the model's noun phrase, kept only when every content word
of it is in the sentence before (scripted model; the pinned parser)."""

from __future__ import annotations

import json
from typing import Any

from service.pipeline.claims.build import build_claims
from service.pipeline.claims.demonstrative import acceptable, resolve_demonstratives
from service.pipeline.context import RunContext
from service.pipeline.models import Claim
from service.pipeline.reading.clean import clean_text
from service.pipeline.reading.segment import split_sentences
from service.prompts import PromptLibrary
from tests.conftest import ROOT, make_backend

TEXT = (
    "The council voted on Monday to close the old bridge for repairs.\n"
    "This closure will last two years, officials said.\n"
    "Shop owners protested outside the town hall on Tuesday.\n"
    "This angered the mayor, who called the protest unfair.\n"
    "Traffic will be diverted to the ring road.\n"
)


def _run(answers: dict[str, str]) -> tuple[list[Claim], list[str], RunContext]:
    asked: list[str] = []

    def model(messages: Any, kwargs: Any) -> str:
        user = str(messages[-1].content)
        asked.append(user)
        sentence = user.split("<sentence>", 1)[1]
        key = next(k for k in answers if k in sentence)
        return json.dumps({"refers_to": answers[key]})

    doc = clean_text(TEXT)
    sentences = split_sentences(doc)
    ctx = RunContext(backend=make_backend(model), prompts=PromptLibrary(ROOT / "prompts"))
    claims = resolve_demonstratives(ctx, doc, sentences, build_claims(doc, sentences, "Gazette"))
    return claims, asked, ctx


def test_an_opening_this_is_what_the_sentence_before_did() -> None:
    claims, asked, _ = _run(
        {"angered": "the protest outside the town hall", "closure": "the weather"}
    )
    angered = next(c for c in claims if "angered" in c.text)
    assert angered.text.startswith("[The protest outside the town hall] angered the mayor")
    sub = angered.substitutions[0]
    assert sub.original == "This" and sub.antecedent.quote.startswith("Shop owners protested")
    assert len(asked) == 2  # each opening "This", nothing else
    assert not any("Traffic" in a.split("<sentence>")[1] for a in asked)


def test_a_demonstrative_with_its_noun_keeps_the_noun_as_allowed_words() -> None:
    claims, _, _ = _run({"angered": "the weather", "closure": "the closure of the old bridge"})
    closure = next(c for c in claims if "two years" in c.text)
    assert closure.text.startswith("[The closure of the old bridge] will last two years")
    assert closure.substitutions[0].original == "This closure"


def test_an_answer_not_in_the_sentence_before_leaves_the_claim_as_written() -> None:
    claims, _, ctx = _run({"angered": "the mayor's tax rise", "closure": "the new tram line"})
    assert next(c for c in claims if "angered" in c.text).text.startswith("This angered")
    assert next(c for c in claims if "two years" in c.text).text.startswith("This closure")
    assert sum("left as written" in w for w in ctx.warnings) == 2


def test_what_an_acceptable_referent_is() -> None:
    before = "North Korea has transferred a significant amount of artillery ammunition."
    assert acceptable("artillery ammunition", before, "")
    assert acceptable(
        "the cooperation between Russia and North Korea",
        "Russia and North Korea agreed.",
        "cooperation",
    )
    assert not acceptable("Russia's search for weapons", before, "")  # from the claim itself
    assert not acceptable("the transfer of the", before, "")  # cut
    assert not acceptable("40% of artillery ammunition", before, "")  # a number not given
    assert not acceptable("a b c d e f g h i", before, "")  # too long


def test_a_long_article_full_of_this_asks_the_model_a_bounded_number_of_times() -> None:
    from service.pipeline.claims.demonstrative import MAX_CALLS

    text = "".join(
        f"The council voted on item {n} of the plan.\nThis angered the mayor, who opposed item {n}.\n"
        for n in range(MAX_CALLS + 3)
    )
    doc = clean_text(text)
    sentences = split_sentences(doc)
    calls: list[str] = []

    def model(messages: Any, kwargs: Any) -> str:
        calls.append("refer")
        return json.dumps({"refers_to": "the council's vote"})

    ctx = RunContext(backend=make_backend(model), prompts=PromptLibrary(ROOT / "prompts"))
    claims = resolve_demonstratives(ctx, doc, sentences, build_claims(doc, sentences, "G"))
    assert len(calls) == MAX_CALLS
    assert sum(c.text.startswith("[The council's vote]") for c in claims) == MAX_CALLS
    assert any("3 opening 'This' left as written" in w for w in ctx.warnings)
