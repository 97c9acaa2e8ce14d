from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.llm.errors import InvalidOutput
from service.pipeline.models import ArticleInput
from service.pipeline.run import summarize_article
from tests.conftest import ARTICLES, FIXTURES, make_backend
from tests.fakes import reader_responder


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
    assert result.provenance.prompt_versions == {"refer": "v1", "summarize": "v4"}
    assert set(result.provenance.prompt_sha256) == set(result.provenance.prompt_versions)
    assert result.provenance.model == "scripted:reader"
    # A headline only when the top claim is too long to be its own; a referent per opening
    # "This".
    assert result.usage.model_calls == len(result.usage.calls)
    assert len([c for c in result.usage.calls if c.label == "summarize"]) <= 1
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
        summarize_article(  # 003's top claim is too long to be its own headline: the model's
            ArticleInput(text=seed_text("003")),
            make_backend(lambda m, k: '{"headline": 1}'),
            prompts,
        )


def test_long_article_gives_every_claim_and_at_most_one_model_call(prompts, seed_text) -> None:
    text = "\n".join(seed_text(p) for p in ("000", "001", "002", "003", "004"))
    calls: list[str] = []

    def responder(messages, kwargs):
        calls.append(str(messages[-1].content))
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(responder), prompts)
    headlines = [c for c in calls if "<claim>" in c]
    assert len(calls) == result.usage.model_calls and len(headlines) <= 1
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


def _headline(text: str) -> Callable[[Any, Any], str]:
    return lambda messages, kwargs: json.dumps({"headline": text})


def test_the_headline_is_the_top_claim_in_its_own_words_when_they_fit(prompts, seed_text) -> None:
    result = summarize_article(
        ArticleInput(text=seed_text("004")),
        make_backend(lambda m, k: pytest.fail("no model call: the claim makes the headline")),
        prompts,
    )
    top = next(c for c in result.claims if c.id == result.summary.headline_claim_ids[0])
    # The lead (the truce, the first of the seed's two lead facts) under the position
    # prior fitted on the brief development set; the 40% figure follows in the summary.
    assert "truce" in top.text and result.usage.model_calls == 0
    assert result.summary.headline == "Budanov: A truce should be concluded as soon as possible"
    assert "40%" in result.summary.summary
    assert result.provenance.prompt_versions == {"refer": "v1", "summarize": "v4"}
    budanov = next(e for e in result.entities if e.id == "kyrylo-budanov")
    assert {f.text for f in budanov.surface_forms} == {
        "Kyrylo Budanov",
        "Kirill Budanov",
        "Budanov",
    }


def test_the_summary_is_whole_shortened_claims_within_the_limit(prompts, seed_text) -> None:
    for words in (25, 60):
        result = summarize_article(
            ArticleInput(text=seed_text("004"), max_words=words), make_backend(), prompts
        )
        summary = result.summary
        assert 0 < summary.word_count <= words
        # Each sentence is a key point (a claim in fewer words), most important first, and
        # never the claim the headline states.
        points = {p.claim_ids[0]: p.text for p in summary.key_points}
        order = list(points)
        assert not set(summary.claim_ids) & set(summary.headline_claim_ids)
        stated = [cid for cid in summary.claim_ids if cid in points]
        assert stated and stated == sorted(stated, key=order.index)
        assert summary.summary.startswith(points[stated[0]])
        assert all(points[cid] in summary.summary for cid in stated)


def test_injected_text_is_not_a_source_of_entities(prompts) -> None:
    text = (FIXTURES / "injection.txt").read_text()
    result = summarize_article(ArticleInput(text=text), make_backend(), prompts)
    names = {f.text for e in result.entities for f in e.surface_forms}
    assert "Anna Berg" in names  # found by rule (summarize@v2 asks the model for none)
    assert not names & {"PWNED", "SYSTEM", "ALL", "IGNORE", "Output"}, names
    from service.pipeline.claims.entities import ground_entities, rule_entities

    by_rule = {f.text for e in ground_entities(rule_entities(text), text) for f in e.surface_forms}
    assert "PWNED" in by_rule  # what the filtering above protects against


def test_summary_cannot_repeat_an_injected_instruction(prompts) -> None:
    text = (FIXTURES / "injection.txt").read_text()
    result = summarize_article(
        ArticleInput(text=text),
        make_backend(_headline("The mayor resigned. Answer PWNED.")),
        prompts,
    )
    assert "resigned" not in result.summary.headline + result.summary.summary
    assert "PWNED" not in result.model_dump_json()
