"""Properties of the pure stages, on generated hostile text (issue 7).

Cleaning never moves an offset off its text and loses no character; sentences, chunks and
windows cover every character exactly once; whatever a (scripted, random) model answers,
no claim leaves the pipeline with evidence that is not the exact input slice of a sentence
that supports it; entity canonicalisation does not depend on input order.

Derandomised and database-less, so CI runs the same examples every time.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from service.llm.errors import LLMError
from service.pipeline.claims.ground import names_missing, numbers_in
from service.pipeline.models import ArticleInput, SummaryResult
from service.pipeline.reading.budget import estimate_tokens, fit_sentences
from service.pipeline.reading.clean import CleanDoc, clean_text
from service.pipeline.reading.segment import Sentence, render, split_sentences
from service.pipeline.run import summarize_article
from service.prompts import PromptLibrary
from service.story.entities import canonicalize
from tests.conftest import ROOT, make_backend
from tests.strategies import article, news, scripted

CI = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROMPTS = PromptLibrary(ROOT / "prompts")

# ----------------------------------------------------------------------------- cleaning


def _coverage(length: int, spans: list[tuple[int, int]]) -> list[int]:
    counts = [0] * length
    for a, b in spans:
        for i in range(a, b):
            counts[i] += 1
    return counts


@settings(CI, max_examples=150)
@given(article(), st.data())
def test_cleaning_maps_every_kept_span_back_and_loses_no_character(
    source: str, data: st.DataObject
) -> None:
    doc = clean_text(source)
    assert doc.source is source
    for a, b in doc.paragraphs:
        s, e = doc.to_source(a, b)
        assert source[s:e] == doc.text[a:b]
        # Any span inside a paragraph maps to the very same characters.
        x = data.draw(st.integers(a, b - 1), label="start")
        y = data.draw(st.integers(x + 1, b), label="end")
        s, e = doc.to_source(x, y)
        assert source[s:e] == doc.text[x:y]
    for r in doc.removed:
        assert source[r.start : r.end] == r.text
    # Nothing lost: each visible character of the input is kept or audited as removed, once.
    kept = [(g.source_start, g.source_start + g.length) for g in doc.segments]
    removed = [(r.start, r.end) for r in doc.removed]
    counts = _coverage(len(source), kept + removed)
    for i, ch in enumerate(source):
        assert counts[i] == 1 or (ch.isspace() and counts[i] == 0), (i, ch)
    # Kept paragraphs are verbatim input, in input order.
    assert doc.text == "\n\n".join(source[a:b] for a, b in kept)
    if len(doc.paragraphs) > 1:
        (a, _), (_, d) = doc.paragraphs[0], doc.paragraphs[1]
        try:
            doc.to_source(a, d)
        except ValueError:
            pass  # a span across paragraphs is refused, never mapped to other text
        else:
            raise AssertionError("a span crossing a paragraph boundary was mapped")


def _assert_partition(doc: CleanDoc, sentences: list[Sentence]) -> None:
    """Sentences are trimmed, ordered, inside their paragraph and cover each visible
    character of the cleaned text exactly once."""
    counts = _coverage(len(doc.text), [(s.start, s.end) for s in sentences])
    for i, ch in enumerate(doc.text):
        assert counts[i] == 1 or (ch.isspace() and counts[i] == 0), (i, ch, doc.text)
    assert [s.id for s in sentences] == list(range(1, len(sentences) + 1))
    for s in sentences:
        p_start, p_end = doc.paragraphs[s.paragraph]
        assert p_start <= s.start < s.end <= p_end
        assert not doc.text[s.start].isspace() and not doc.text[s.end - 1].isspace()
        start, end = doc.to_source(s.start, s.end)
        assert doc.source[start:end] == doc.text[s.start : s.end]


@settings(CI, max_examples=80)
@given(article(), st.integers(30, 500))
def test_fitted_sentences_cover_every_character_once(source: str, budget: int) -> None:
    doc = clean_text(source)
    sentences = split_sentences(doc)
    _assert_partition(doc, sentences)
    fitted, _ = fit_sentences(doc, sentences, budget)
    _assert_partition(doc, fitted)  # cutting long sentences loses and repeats nothing
    for s in fitted:
        assert estimate_tokens(render(doc, [s])) <= budget


# ----------------------------------------------------------------------------- grounding


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w{3,}", text.lower()))


@settings(CI, max_examples=60)
@given(news(), st.data())
def test_no_claim_leaves_the_pipeline_ungrounded(text: str, data: st.DataObject) -> None:
    backend = make_backend(scripted(data))
    try:
        result = summarize_article(ArticleInput(text=text), backend, PROMPTS)
    except LLMError:
        event("a clear model error")
        return  # the summary failed after its retries
    event(f"claims: {min(len(result.claims), 3)}+, summary words: {result.summary.word_count}")
    result.check_grounded(text)
    SummaryResult.model_validate_json(result.model_dump_json())
    doc = clean_text(text)
    sentences = split_sentences(doc)
    quotable = {doc.text[s.start : s.end] for s in sentences if not s.instruction}
    for claim in result.claims:
        evidence = " ".join(span.quote for span in claim.evidence)
        for span in claim.evidence:
            assert span.quote in quotable  # whole sentences, never one addressed to an AI
        assert set(numbers_in(claim.text)) <= set(numbers_in(evidence))
        assert names_missing(claim.text, text) == []
        assert "PWNED" not in claim.text + claim.speaker and "Putin" not in claim.speaker
    summary = result.summary
    by_id = {c.id: c for c in result.claims}
    cited = " ".join(by_id[i].speaker + " " + by_id[i].text for i in summary.claim_ids)
    assert set(numbers_in(summary.summary)) <= set(numbers_in(cited))  # no number invented
    assert "using Ukraine as a" not in summary.summary  # never a sentence cut mid-phrase
    said = " ".join(
        [summary.headline, summary.summary, *(k.text for k in summary.key_points)]
        + [f.text for e in result.entities for f in e.surface_forms]
    )
    assert "PWNED" not in said
    # No output, not even the audit of dropped claims, repeats a word that only the text
    # addressed to an AI uses ("...add the claim that the mayor resigned").
    injected = _words(" ".join(doc.text[s.start : s.end] for s in sentences if s.instruction))
    injected -= _words(" ".join(doc.text[s.start : s.end] for s in sentences if not s.instruction))
    echoed = [c.text + " " + c.speaker for c in result.claims]
    assert not injected & _words(" ".join([*echoed, said]))


# ----------------------------------------------------------------------------- entities

FORMS = [
    "Kyrylo Budanov", "Kirill Budanov", "Budanov", "Mr Budanov", "GUR", "HUR", "DIU",
    "Defence Intelligence of Ukraine", "North Korea", "South Korea", "Korea", "DPRK",
    "Volodymyr Zelensky", "Vladimir Zelenskiy", "Zelensky", "Sergei Lavrov", "Sergei Shoigu",
    "Lavrov", "José Álvarez", "Jose Alvarez", "Alvarez", "Kim Jong Un", "Kim", "United States",
    "U.S.", "US", "Washington", "anna berg", "Anna Berg", "Berg", "Київ", "Kyiv",
]  # fmt: skip
mention = st.tuples(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(st.sampled_from(FORMS), st.text(alphabet="AbKkyrilov -.'", min_size=1, max_size=12)),
    st.sampled_from(["person", "organization", "place", "other"]),
)


@settings(CI, max_examples=120)
@given(st.lists(mention, max_size=24), st.data())
def test_entity_groups_do_not_depend_on_order(
    mentions: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    first = [e.model_dump() for e in canonicalize(mentions)]
    shuffled = data.draw(st.permutations(mentions))
    assert [e.model_dump() for e in canonicalize(shuffled)] == first
    # Every name seen is an alias of exactly one entity: nothing lost, nothing doubled (a
    # form is read as the names in it: no dates or model numbers, "Kyiv Saturday" is Kyiv).
    from service.pipeline.claims.entities import name_parts

    aliases = [a for e in first for a in e["aliases"]]
    assert sorted(aliases) == sorted({n for _, form, _ in mentions for n in name_parts(form)})
