from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from service.pipeline.clean import clean_text
from service.pipeline.context import RunContext
from service.pipeline.extract import RawClaim
from service.pipeline.ground import Grounder, failure, locate_quote, support
from service.pipeline.segment import render, split_sentences
from tests.conftest import make_backend

SOURCE = (
    "Headline about the deal\n"
    "He also said that up to 40% of Russia’s ammunition is supplied by North Korea.\n"
    "“It is realistic. It is not difficult,” he said.\n"
    "Western intelligence estimates that North Korea has sent millions of artillery shells."
)


def _grounder(responder=None) -> tuple[Grounder, RunContext]:
    from service.prompts import PromptLibrary
    from tests.conftest import ROOT

    backend = make_backend(responder or (lambda m, k: json.dumps({"sentences": []})))
    ctx = RunContext(backend, PromptLibrary(ROOT / "prompts"))
    doc = clean_text(SOURCE)
    sentences = split_sentences(doc)
    g = Grounder(
        ctx, doc, {s.id: s for s in sentences}, render(doc, sentences), [s.id for s in sentences]
    )
    return g, ctx


def test_locate_quote_exact_normalised_and_fuzzy() -> None:
    src = "He said: “It’s   realistic — truly,” and left."
    assert locate_quote("It’s   realistic", src) == (10, 26)
    start, end = locate_quote("It's realistic - truly", src)  # straight quotes, one space, hyphen
    assert src[start:end] == "It’s   realistic — truly"
    start, end = locate_quote("Its realistic — truely", src)  # typos: fuzzy
    assert "realistic" in src[start:end]
    assert locate_quote("completely different words here", src) is None


def test_number_must_appear_in_evidence() -> None:
    claim = RawClaim(
        [2], "Kyrylo Budanov", "North Korea supplies up to 45% of Russia's ammunition."
    )
    assert failure(claim, SOURCE.splitlines()[1]) == "number_not_in_evidence"
    claim.text = "North Korea supplies up to 40% of Russia's ammunition."
    assert failure(claim, SOURCE.splitlines()[1]) is None


def test_support_ignores_speaker_and_stopwords() -> None:
    assert (
        support(
            "Budanov said North Korea supplies ammunition",
            "North Korea supplied the ammunition",
            "Budanov",
        )
        == 1.0
    )
    assert support("Weather was sunny in Paris", "North Korea supplied the ammunition") == 0.0


def test_claim_with_wrong_citation_is_moved_to_the_right_sentence() -> None:
    g, _ = _grounder()
    result = g.ground(
        RawClaim(
            [4], "Kyrylo Budanov", "Up to 40% of Russia's ammunition is supplied by North Korea."
        )
    )
    assert not isinstance(result, str)
    assert result.sentence_ids == [2]
    assert result.evidence[0].quote == SOURCE[result.evidence[0].start : result.evidence[0].end]
    assert "evidence moved" in result.repairs[0]


def test_dropped_hedge_is_restored_from_the_source() -> None:
    g, _ = _grounder()
    result = g.ground(
        RawClaim([2], "Kyrylo Budanov", "40% of Russia's ammunition is supplied by North Korea.")
    )
    assert not isinstance(result, str)
    assert result.raw.text.startswith("up to 40%")
    assert any("hedge restored" in r for r in result.repairs)


def test_quotation_is_replaced_by_exact_source_words() -> None:
    g, _ = _grounder()
    result = g.ground(
        RawClaim([3], "Kyrylo Budanov", 'A truce "is realistic, it is not difficult", he said.')
    )
    assert not isinstance(result, str)
    assert result.raw.text == 'A truce "is realistic. It is not difficult", he said.'


def test_invented_quotation_is_dropped() -> None:
    g, _ = _grounder()
    result = g.ground(
        RawClaim(
            [3],
            "Kyrylo Budanov",
            'Budanov said peace is "absolutely guaranteed by next spring" realistic.',
        )
    )
    assert result in ("quote_not_in_source", "unsupported_by_evidence", "not_found_in_source")


def test_unsupported_claim_is_reasked_once_then_dropped() -> None:
    asked: list[str] = []

    def responder(messages, kwargs):
        asked.append(str(messages[-1].content).rsplit("</article>", 1)[-1])
        return json.dumps({"sentences": [4]})  # points at an unrelated sentence

    g, ctx = _grounder(responder)
    result = g.ground(RawClaim([2], "Budanov", "The mayor resigned over a corruption scandal."))
    assert result == "unsupported_by_evidence"
    assert len(asked) == 1 and "locate" in asked[0]
    assert [c.label for c in ctx.calls] == ["locate"]


def test_reask_that_finds_the_sentence_grounds_the_claim() -> None:
    g, _ = _grounder(lambda m, k: json.dumps({"sentences": [4]}))
    # Too little word overlap for the automatic move, but the model's answer passes the check.
    result = g.ground(
        RawClaim([2], "Western intelligence", "Millions of shells were sent by North Korea.")
    )
    assert not isinstance(result, str)
    assert result.sentence_ids == [4]


def test_misspelt_name_is_not_grounded() -> None:
    g, _ = _grounder()
    result = g.ground(
        RawClaim(
            [2],
            "Kyirill Budanov",
            "Kyirill Budanov said up to 40% of Russia's ammunition comes from North Korea.",
        )
    )
    assert isinstance(result, str)


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=300
    ),
    st.data(),
)
def test_locate_quote_returns_only_real_slices(source: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start + 1, len(source)))
    found = locate_quote(source[start:end], source)
    assert found is not None
    a, b = found
    assert 0 <= a < b <= len(source)
