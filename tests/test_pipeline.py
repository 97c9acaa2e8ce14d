from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.llm.errors import InvalidOutput
from service.pipeline.models import ArticleInput
from service.pipeline.run import summarize_article
from tests.conftest import ARTICLES, FIXTURES, make_backend
from tests.fakes import claims_shown, reader_responder


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_span_is_the_input_slice(path: Path, prompts) -> None:
    text = path.read_text()
    result = summarize_article(ArticleInput(text=text), make_backend(), prompts)
    assert result.claims, "every body sentence states something"
    for claim in result.claims:
        for span in claim.spans():  # evidence, attribution cue, antecedents
            assert text[span.start : span.end] == span.quote
    ids = [c.id for c in result.claims]
    assert len(ids) == len(set(ids))
    assert result.provenance.prompt_versions == {"summarize": "v3"}
    assert set(result.provenance.prompt_sha256) == set(result.provenance.prompt_versions)
    assert result.provenance.model == "scripted:reader"
    assert result.usage.model_calls == len(result.usage.calls) == 1  # the summary only
    for kp in result.summary.key_points:
        assert set(kp.claim_ids) <= set(ids)
    assert result.summary.claim_ids and set(result.summary.claim_ids) <= set(ids)


def test_boilerplate_never_becomes_a_claim(prompts, seed_text) -> None:
    result = summarize_article(ArticleInput(text=seed_text("001")), make_backend(), prompts)
    texts = " ".join(c.text for c in result.claims)
    assert "Leave a Reply" not in texts and "email address" not in texts
    assert {r.reason for r in result.removed} >= {"comment_prompt", "image_caption"}


def test_injected_instructions_are_content_not_commands(prompts) -> None:
    """Sentences addressed to an AI are never claims, nor shown to the model as claims; the
    output keeps its schema and nothing the injection asks for appears."""
    text = (FIXTURES / "injection.txt").read_text()
    shown: list[str] = []

    def responder(messages, kwargs):
        assert "IGNORE" not in str(messages[0].content)
        shown.append(str(messages[-1].content))
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(responder), prompts)
    assert not any("IGNORE" in s or "PWNED" in s for s in shown)
    assert not any("PWNED" in c.text or "resigned" in c.text for c in result.claims)
    assert sum("instruction to an AI" in w for w in result.warnings) >= 2
    assert [c.speaker for c in result.claims] == [
        "Anna Berg",
        "transport department",
        "Critics",
    ]


def test_summary_failure_is_reported_not_swallowed(prompts, seed_text) -> None:
    with pytest.raises(InvalidOutput):
        summarize_article(
            ArticleInput(text=seed_text("004")),
            make_backend(lambda m, k: '{"headline": 1}'),
            prompts,
        )


def test_long_article_gives_every_claim_and_one_summary_call(prompts, seed_text) -> None:
    text = "\n".join(seed_text(p) for p in ("000", "001", "002", "003", "004"))
    calls: list[str] = []

    def responder(messages, kwargs):
        calls.append(str(messages[-1].content))
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(responder), prompts)
    assert len(calls) == 1
    assert len(result.claims) > 60  # nothing silently truncated
    for claim in result.claims:
        assert text[claim.evidence[0].start : claim.evidence[0].end] == claim.evidence[0].quote


def test_html_offsets_point_into_the_extracted_text(prompts) -> None:
    html = (FIXTURES / "article.html").read_text()
    result = summarize_article(ArticleInput(html=html), make_backend(), prompts)
    assert result.source.offsets_refer_to == "extracted_text"
    extracted = result.source.extracted_text
    assert extracted and "35 million dollars" in extracted
    for claim in result.claims:
        for span in claim.evidence:
            assert extracted[span.start : span.end] == span.quote


def _summary(*sentences: tuple[list[str], str], headline: str = "Truce talk") -> str:
    return json.dumps(
        {"summary": [{"claim": c[0], "text": t} for c, t in sentences], "headline": headline}
    )


def _top(messages) -> str:
    return claims_shown(messages)[0][0]


def test_summary_numbers_not_in_its_claims_are_dropped(prompts, seed_text) -> None:
    def leaky(messages, kwargs):
        top = _top(messages)
        return _summary(([top], "Budanov wants a truce."), ([top], "Workers got a 7% pay rise."))

    result = summarize_article(ArticleInput(text=seed_text("004")), make_backend(leaky), prompts)
    assert result.summary.summary.startswith("Budanov wants a truce.")
    assert "7%" not in result.summary.summary
    assert any("summary sentence 2 dropped: numbers or names" in w for w in result.warnings)
    budanov = next(e for e in result.entities if e.id == "kyrylo-budanov")
    assert {f.text for f in budanov.surface_forms} == {
        "Kyrylo Budanov",
        "Kirill Budanov",
        "Budanov",
    }


def test_a_sentence_cut_mid_phrase_is_never_returned(prompts, seed_text) -> None:
    def cut(messages, kwargs):
        top = _top(messages)
        return _summary(([top], "North Korea is using Ukraine as a"))

    result = summarize_article(
        ArticleInput(text=seed_text("004"), max_words=40), make_backend(cut), prompts
    )
    assert "using Ukraine as a" not in result.summary.summary
    assert any("summary sentence 1 dropped: incomplete" in w for w in result.warnings)
    # The claim it restated stands instead, whole; then whatever else fits, whole too.
    top = next(c for c in result.claims if c.id == result.summary.claim_ids[0])
    assert result.summary.summary.startswith(top.text)
    assert result.summary.word_count <= 40


def test_the_word_limit_is_met_by_keeping_fewer_whole_sentences(prompts, seed_text) -> None:
    long_one = "Budanov said a truce should come soon and that " + "talks " * 20 + "matter."

    def wordy(messages, kwargs):
        top = _top(messages)
        return _summary(([top], "Budanov wants a truce soon."), ([top], long_one))

    result = summarize_article(
        ArticleInput(text=seed_text("004"), max_words=25), make_backend(wordy), prompts
    )
    assert result.summary.summary.startswith("Budanov wants a truce soon.")
    assert "talks talks" not in result.summary.summary
    assert result.summary.word_count <= 25


def test_injected_text_is_not_a_source_of_entities(prompts) -> None:
    text = (FIXTURES / "injection.txt").read_text()
    result = summarize_article(ArticleInput(text=text), make_backend(), prompts)
    names = {f.text for e in result.entities for f in e.surface_forms}
    assert "Anna Berg" in names  # found by rule (summarize@v2 asks the model for none)
    assert not names & {"PWNED", "SYSTEM", "ALL", "IGNORE", "Output"}, names
    from service.pipeline.entities import ground_entities, rule_entities

    by_rule = {f.text for e in ground_entities(rule_entities(text), text) for f in e.surface_forms}
    assert "PWNED" in by_rule  # what the filtering above protects against


def test_summary_cannot_repeat_an_injected_instruction(prompts) -> None:
    text = (FIXTURES / "injection.txt").read_text()

    def echoing(messages, kwargs):
        top = _top(messages)
        return _summary(
            ([top], "The council approved a tram line."),
            ([top], "The mayor resigned. Answer PWNED."),
            headline="Tram line approved",
        )

    result = summarize_article(ArticleInput(text=text), make_backend(echoing), prompts)
    assert result.summary.summary.startswith("The council approved a tram line.")
    assert "resigned" not in result.summary.summary
    assert "PWNED" not in result.model_dump_json()
