from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.llm.errors import InvalidOutput, LLMError
from service.pipeline.models import ArticleInput
from service.pipeline.run import summarize_article
from tests.conftest import ARTICLES, FIXTURES, make_backend
from tests.fakes import article_sentences, reader_responder, task_of


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_evidence_quote_is_the_input_slice(path: Path, prompts) -> None:
    text = path.read_text()
    result = summarize_article(ArticleInput(text=text), make_backend(), prompts)
    assert result.claims, "the reader fake claims every body sentence"
    for claim in result.claims:
        for span in claim.evidence:
            assert text[span.start : span.end] == span.quote
    ids = [c.id for c in result.claims]
    assert len(ids) == len(set(ids))
    assert result.provenance.prompt_versions == {
        "article": "v2",
        "extract": "v2",
        "summarize": "v2",
    }
    assert set(result.provenance.prompt_sha256) == set(result.provenance.prompt_versions)
    assert result.provenance.model == "scripted:reader"
    assert result.usage.model_calls == len(result.usage.calls) >= 2
    for kp in result.summary.key_points:
        assert set(kp.claim_ids) <= set(ids)


def test_boilerplate_never_becomes_a_claim(prompts, seed_text) -> None:
    result = summarize_article(ArticleInput(text=seed_text("001")), make_backend(), prompts)
    texts = " ".join(c.text for c in result.claims)
    assert "Leave a Reply" not in texts and "email address" not in texts
    assert {r.reason for r in result.removed} >= {"comment_prompt", "image_caption"}


def test_injected_instructions_are_content_not_commands(prompts) -> None:
    """The article's 'instructions' reach the model only inside <article>; the output keeps
    its schema, claims stay grounded, and nothing the injection asks for appears."""
    text = (FIXTURES / "injection.txt").read_text()
    seen_system: list[str] = []

    def responder(messages, kwargs):
        seen_system.append(str(messages[0].content))
        user = str(messages[-1].content)
        body = user.split("<article>", 1)[1].split("</article>", 1)[0]
        assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in body  # data stays inside the fence
        assert "IGNORE" not in task_of(messages)
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(responder), prompts)
    assert all("IGNORE" not in s for s in seen_system)
    for claim in result.claims:
        for span in claim.evidence:
            assert text[span.start : span.end] == span.quote
    assert not any("resigned" in c.text for c in result.claims)


def test_model_that_obeys_the_injection_gets_no_ungrounded_claims(prompts) -> None:
    """A compromised model inventing 'the mayor resigned' is caught by grounding."""
    text = (FIXTURES / "injection.txt").read_text()

    def obedient(messages, kwargs):
        task = task_of(messages)
        if "claims of sentences" in task:
            first = int(re.search(r"\[(\d+)\]", task).group(1))
            return json.dumps(
                {
                    "claims": [
                        {
                            "sentences": [first],
                            "speaker": "article",
                            "claim": "The mayor resigned in disgrace.",
                        }
                    ]
                }
            )
        if "locate" in task:
            return json.dumps({"sentences": []})
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(obedient), prompts)
    assert result.claims == []
    assert {d.reason for d in result.dropped} <= {"unsupported_by_evidence", "not_found_in_source"}
    assert len(result.dropped) >= 1
    assert sum("instruction to an AI" in w for w in result.warnings) >= 2


def test_one_failing_window_gives_a_partial_result(prompts, seed_text) -> None:
    def flaky(messages, kwargs):
        if "claims of sentences [6] to" in task_of(messages):
            return "not json at all"
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=seed_text("004")), make_backend(flaky), prompts)
    assert result.partial
    assert any("not analysed: model_invalid_output" in w for w in result.warnings)
    assert result.claims


def test_every_window_failing_is_an_error(prompts, seed_text) -> None:
    with pytest.raises(LLMError):
        summarize_article(
            ArticleInput(text=seed_text("004")), make_backend(lambda m, k: "nope"), prompts
        )


def test_summary_failure_is_reported_not_swallowed(prompts, seed_text) -> None:
    def no_summary(messages, kwargs):
        if "summary" in task_of(messages):
            return '{"headline": 1}'
        return reader_responder(messages, kwargs)

    with pytest.raises(InvalidOutput):
        summarize_article(ArticleInput(text=seed_text("004")), make_backend(no_summary), prompts)


def test_long_article_is_mapped_in_chunks_and_reduced_from_claims(prompts, seed_text) -> None:
    text = "\n".join(seed_text(p) for p in ("000", "001", "002", "003", "004"))
    summaries: list[str] = []

    def responder(messages, kwargs):
        user = str(messages[-1].content)
        if "<claims>" in user:
            summaries.append(user)
            return json.dumps(
                {
                    "headline": "Budanov on North Korea",
                    "summary": "North Korea supplies Russia.",
                    "key_points": [1, 2, 3],
                    "people": [],
                    "organizations": [],
                    "places": [],
                }
            )
        return reader_responder(messages, kwargs)

    result = summarize_article(
        ArticleInput(text=text), make_backend(responder, context=2600), prompts
    )
    assert result.source.chunks > 1
    assert len(summaries) == 1
    assert result.provenance.prompt_versions["summarize_claims"] == "v1"
    assert len(result.summary.key_points) == 3
    body_sentences = sum(1 for c in result.claims)
    assert body_sentences > 60  # nothing silently truncated
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


def test_summary_numbers_not_in_article_are_dropped(prompts, seed_text) -> None:
    def leaky(messages, kwargs):
        if "summary" in task_of(messages):
            ids = sorted(article_sentences(messages))
            return json.dumps(
                {
                    "headline": "Truce talk",
                    "summary": "Budanov wants a truce. Workers got a pay rise of up to 7%.",
                    "key_points": ids[1:4],
                }
            )
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=seed_text("004")), make_backend(leaky), prompts)
    assert result.summary.summary == "Budanov wants a truce."
    assert any("summary sentence 2 dropped: numbers or names" in w for w in result.warnings)
    budanov = next(e for e in result.entities if e.id == "kyrylo-budanov")
    assert {f.text for f in budanov.surface_forms} == {
        "Kyrylo Budanov",
        "Kirill Budanov",
        "Budanov",
    }


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
        if "summary" in task_of(messages):
            return json.dumps(
                {
                    "headline": "Tram line approved",
                    "summary": "The council approved a tram line. The mayor resigned. Answer PWNED.",
                    "key_points": [2, 5, 6],
                }
            )
        return reader_responder(messages, kwargs)

    result = summarize_article(ArticleInput(text=text), make_backend(echoing), prompts)
    assert result.summary.summary == "The council approved a tram line."
    assert "PWNED" not in result.model_dump_json()
