"""The pipeline end to end, as its stages read:

    clean -> sentences -> claims (attributed, standalone, atomic) -> an opening "This"
    resolved -> rank -> summary -> entities

Claims are composed from the article's own words by the parser-driven stages (claims.py);
the model is spent on judgement a rule cannot make: what an opening "This" stands for, and
a headline when the top claim is too long to be its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from service import __version__
from service.errors import EmptyArticle
from service.llm.backend import Backend
from service.llm.tokens import count_tokens
from service.pipeline.brief.rank import rank
from service.pipeline.brief.summarize import write_summary
from service.pipeline.checks.check import Checker, check_result, sentence_texts
from service.pipeline.claims.build import build_claims
from service.pipeline.claims.demonstrative import resolve_demonstratives
from service.pipeline.claims.entities import ground_entities, rule_entities
from service.pipeline.claims.ground import words_of
from service.pipeline.context import RunContext
from service.pipeline.models import (
    ArticleInput,
    CallRecord,
    Claim,
    Provenance,
    SummaryResult,
    Usage,
)
from service.pipeline.prompt_names import PIPELINE_PROMPTS
from service.pipeline.reading.budget import article_sentences
from service.pipeline.reading.clean import CleanDoc, clean_html, clean_text
from service.pipeline.reading.segment import Sentence
from service.pipeline.reading.source import outlet_of, source_of
from service.prompts import PromptLibrary

PIPELINE_VERSION = f"summarizer-{__version__}"


def clean(article: ArticleInput) -> CleanDoc:
    doc = clean_html(article.html) if article.html is not None else clean_text(article.text or "")
    if not doc.paragraphs:
        raise EmptyArticle("the article has no text left after removing boilerplate")
    return doc


@dataclass(frozen=True)
class Readable:
    """The article less text addressed to an AI, and the words found only in such text:
    neither may reach an output (no name, speaker or summary word comes from them)."""

    text: str
    injected: frozenset[str]


def sentences_of(ctx: RunContext, doc: CleanDoc) -> list[Sentence]:
    sentences, cut = article_sentences(doc)
    if cut:
        ctx.warnings.append(f"{cut} over-long sentence(s) were cut into parts")
    for s in sentences:
        if s.instruction:
            ctx.warnings.append(
                f"sentence [{s.id}] reads as an instruction to an AI; kept as article text, "
                "never used as evidence"
            )
    return sentences


def readable_of(doc: CleanDoc, sentences: list[Sentence]) -> Readable:
    text = "\n".join(doc.text[x.start : x.end] for x in sentences if not x.instruction)
    addressed = " ".join(doc.text[x.start : x.end] for x in sentences if x.instruction)
    return Readable(text, frozenset(words_of(addressed) - words_of(text)))


@dataclass(frozen=True)
class ClaimsResult:
    """The reading and claim stages' output, before the brief: the cleaned article (claim
    offsets point into `doc.source`), its sentences, the claims, and the run's record."""

    doc: CleanDoc
    sentences: list[Sentence]
    claims: list[Claim]
    ctx: RunContext


def article_claims(
    article: ArticleInput,
    backend: Backend,
    prompts: PromptLibrary,
    doc: CleanDoc | None = None,
) -> ClaimsResult:
    """Clean, split and compose the attributed claims: the one path summarize_article and
    the claims-only use case (the attribution eval) both run."""
    ctx = RunContext(backend=backend, prompts=prompts)
    doc = doc or clean(article)
    sentences = sentences_of(ctx, doc)
    claims = resolve_demonstratives(
        ctx, doc, sentences, build_claims(doc, sentences, outlet_of(article))
    )
    return ClaimsResult(doc, sentences, claims, ctx)


def summarize_article(
    article: ArticleInput,
    backend: Backend,
    prompts: PromptLibrary,
    doc: CleanDoc | None = None,
    check: Checker | None = None,
) -> SummaryResult:
    """`doc`: the article already cleaned by the caller (the engine cleans to find stored
    results), so HTML is not extracted twice."""
    started = time.perf_counter()
    read = article_claims(article, backend, prompts, doc)
    ctx, doc, sentences, claims = read.ctx, read.doc, read.sentences, read.claims
    readable = readable_of(doc, sentences)
    ranked = rank(claims, article.title or doc.title)
    summary = write_summary(ctx, ranked, article.max_words, ctx.warnings, readable.injected)
    entities = ground_entities(rule_entities(readable.text), readable.text)
    if check is not None:  # opt-in: flags doubtful claims and key points, drops nothing
        check_result(ctx, check, *sentence_texts(doc, sentences), claims, summary)
    result = SummaryResult(
        source=source_of(article, doc, 1),
        summary=summary,
        claims=claims,
        entities=entities,
        removed=doc.removed,
        dropped=[],
        usage=_usage(ctx, count_tokens(doc.text), time.perf_counter() - started),
        provenance=_provenance(ctx, backend),
        partial=False,
        warnings=ctx.warnings,
    )
    result.check_grounded(doc.source)
    return result


def _provenance(ctx: RunContext, backend: Backend) -> Provenance:
    for name in PIPELINE_PROMPTS:  # recorded even when an article needed no model call
        ctx.prompt(name)
    return Provenance(
        model=backend.model_id,
        prompt_versions={n: p.version for n, p in sorted(ctx.used.items())},
        prompt_sha256={n: p.sha256 for n, p in sorted(ctx.used.items())},
        pipeline_version=PIPELINE_VERSION,
        created_at=datetime.now(UTC),
    )


def _usage(ctx: RunContext, article_tokens: int, wall: float) -> Usage:
    calls = [CallRecord(**c.__dict__) for c in ctx.calls]
    prompt = sum(c.prompt_tokens for c in calls)
    cached = sum(c.cached_prompt_tokens for c in calls)
    completion = sum(c.completion_tokens for c in calls)
    return Usage(
        article_tokens=article_tokens,
        prompt_tokens=prompt,
        cached_prompt_tokens=cached,
        completion_tokens=completion,
        computed_tokens=prompt - cached + completion,
        model_calls=len(calls),
        model_seconds=sum(c.latency_s for c in calls),
        prefill_seconds=sum(c.prefill_s for c in calls),
        decode_seconds=sum(c.decode_s for c in calls),
        wall_seconds=wall,
        calls=calls,
    )
