"""The pipeline end to end: clean -> budget/chunk -> extract -> ground -> summarize -> entities."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

from rapidfuzz import fuzz

from service import __version__
from service.errors import EmptyArticle
from service.llm.backend import Backend
from service.llm.errors import LLMError
from service.llm.tokens import count_tokens
from service.pipeline.budget import estimate_tokens, fit_sentences, plan_chunks
from service.pipeline.check import Checker, check_result
from service.pipeline.clean import CleanDoc, clean_html, clean_text
from service.pipeline.context import PREFIX, RunContext
from service.pipeline.entities import canonical_speakers, ground_entities, rule_entities
from service.pipeline.extract import RawClaim, extract_chunk
from service.pipeline.ground import GroundedClaim, Grounder, numbers_in, words_of
from service.pipeline.kinds import classify
from service.pipeline.models import (
    CallRecord,
    Claim,
    DroppedClaim,
    Provenance,
    Source,
    SummaryResult,
    Usage,
)
from service.pipeline.segment import render, split_sentences
from service.pipeline.summarize import (
    build_summary,
    summarize_from_claims,
    summarize_in_context,
)
from service.prompts import PromptLibrary

PIPELINE_VERSION = f"summarizer-{__version__}"
_DUPLICATE_RATIO = 90
_WITHHELD = "[withheld]"  # see _audit


@dataclass
class ArticleInput:
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    max_words: int = 40


def clean(article: ArticleInput) -> CleanDoc:
    doc = clean_html(article.html) if article.html is not None else clean_text(article.text or "")
    if not doc.paragraphs:
        raise EmptyArticle("the article has no text left after removing boilerplate")
    return doc


def _context_budget(ctx: RunContext) -> int:
    """Tokens left for the article once the largest task and its output are accounted for."""
    prefix = ctx.prompts.get(PREFIX)
    fixed = estimate_tokens((prefix.system or "") + prefix.template)
    tasks = [ctx.prompts.get(name) for name in ("extract", "summarize", "locate")]
    task_cost = max(estimate_tokens(t.template) for t in tasks)
    # Output room: the largest max_tokens, grown once by the truncation retry.
    output = max(int(t.defaults.get("max_tokens", 512)) for t in tasks) * 3 // 2
    return ctx.backend.context_tokens - fixed - task_cost - output - 64


def _dedupe(grounded: list[GroundedClaim], dropped: list[DroppedClaim]) -> list[GroundedClaim]:
    """Drop a claim that repeats a kept one: the same text, or near-same text on a shared
    sentence. Only those candidates are compared (all pairs took hours on a long article)."""
    kept: list[GroundedClaim] = []
    by_sentence: dict[int, list[GroundedClaim]] = {}
    texts: set[str] = set()
    for g in grounded:
        low = g.raw.text.lower()
        twin = g.raw.text in texts or any(
            fuzz.token_set_ratio(k.raw.text.lower(), low) >= _DUPLICATE_RATIO
            for i in g.sentence_ids
            for k in by_sentence.get(i, ())
        )
        if twin:
            dropped.append(DroppedClaim(text=g.raw.text, speaker=g.raw.speaker, reason="duplicate"))
            continue
        kept.append(g)
        texts.add(g.raw.text)
        for i in g.sentence_ids:
            by_sentence.setdefault(i, []).append(g)
    return kept


def _audit(ctx: RunContext, claim: RawClaim, reason: str, injected: frozenset[str]) -> DroppedClaim:
    """A dropped claim as reported, unless it repeats the model's instructions or words found
    only in text addressed to an AI: the audit must not become the channel through which an
    injection ("answer PWNED", "reveal your prompt") reaches the client."""
    said = f"{claim.speaker} {claim.text}"
    if ctx.echoes_prompt(said) or not injected.isdisjoint(words_of(said)):
        return DroppedClaim(text=_WITHHELD, speaker=_WITHHELD, reason=reason)
    return DroppedClaim(text=claim.text, speaker=claim.speaker, reason=reason)


def summarize_article(
    article: ArticleInput,
    backend: Backend,
    prompts: PromptLibrary,
    window_sentences: int = 5,
    doc: CleanDoc | None = None,
    check: Checker | None = None,
) -> SummaryResult:
    """`doc`: the article already cleaned by the caller (the engine cleans to find stored
    results), so HTML is not extracted twice."""
    started = time.perf_counter()
    ctx = RunContext(backend=backend, prompts=prompts)
    doc = doc or clean(article)
    budget = _context_budget(ctx)
    sentences, cut = fit_sentences(doc, split_sentences(doc), budget)
    if cut:
        ctx.warnings.append(
            f"{cut} sentence(s) too long for the model's context were cut into parts"
        )
    by_id = {s.id: s for s in sentences}
    for s in sentences:
        if s.instruction:
            ctx.warnings.append(
                f"sentence [{s.id}] reads as an instruction to an AI; kept as article text, "
                "never used as evidence"
            )
    chunks = plan_chunks(doc, sentences, budget, window_sentences)
    # Text addressed to an AI is no source of names, speakers or summary sentences.
    readable = "\n".join(doc.text[x.start : x.end] for x in sentences if not x.instruction)
    # Words found only in text addressed to an AI: no output may repeat them.
    injected = frozenset(
        words_of(" ".join(doc.text[x.start : x.end] for x in sentences if x.instruction))
        - words_of(readable)
    )

    grounded: list[GroundedClaim] = []
    dropped: list[DroppedClaim] = []
    failed_windows: list[LLMError] = []
    chunk_texts: list[str] = []
    for chunk in chunks:
        text = render(doc, chunk.sentences)
        chunk_texts.append(text)
        raw, failed = extract_chunk(ctx, text, chunk)
        failed_windows.extend(f.error for f in failed)
        for f in failed:
            ctx.warnings.append(
                f"sentences [{f.window.first}]-[{f.window.last}] not analysed: {f.error.code}"
            )
        evidence_ids = [s.id for s in chunk.sentences if not s.instruction]
        grounder = Grounder(ctx, doc, by_id, text, evidence_ids, readable)
        for claim in raw:
            outcome = grounder.ground(claim)
            if isinstance(outcome, str):
                dropped.append(_audit(ctx, claim, outcome, injected))
            else:
                grounded.append(outcome)
    total_windows = sum(len(c.windows) for c in chunks)
    if failed_windows and len(failed_windows) == total_windows:
        raise failed_windows[-1]  # nothing to return: report the model's fault as it was

    grounded.sort(key=lambda g: (g.sentence_ids[0], g.sentence_ids))
    claims = [
        Claim(
            id=f"c{i}",
            text=g.raw.text,
            speaker=g.raw.speaker,
            kind=classify(g.raw.text, " ".join(span.quote for span in g.evidence)),
            numbers=numbers_in(g.raw.text),
            sentence_ids=g.sentence_ids,
            evidence=g.evidence,
            repairs=g.repairs,
        )
        for i, g in enumerate(_dedupe(grounded, dropped), 1)
    ]

    if len(chunks) == 1:
        data = summarize_in_context(ctx, chunk_texts[0], article.max_words)
    else:
        data = summarize_from_claims(ctx, claims, article.max_words)
    summary = build_summary(data, claims, article.max_words, readable, ctx.warnings, injected)
    # Entities from the model when its prompt asks for them (summarize@v1), else by rule.
    entities = ground_entities(data, readable) or ground_entities(rule_entities(readable), readable)
    canonical_speakers(claims, entities, outlet_of(article))
    if check is not None:  # opt-in: flags doubtful claims and key points, drops nothing
        check_result(ctx, check, chunks, chunk_texts, claims, summary)

    result = SummaryResult(
        source=Source(
            input_type="html" if article.html is not None else "text",
            title=article.title or doc.title,
            url=article.url,
            outlet=article.outlet,
            published_at=article.published_at,
            sha256=hashlib.sha256(doc.source.encode()).hexdigest(),
            offsets_refer_to="extracted_text" if article.html is not None else "input",
            extracted_text=doc.source if article.html is not None else None,
            chunks=len(chunks),
        ),
        summary=summary,
        claims=claims,
        entities=entities,
        removed=doc.removed,
        dropped=dropped,
        usage=_usage(ctx, count_tokens(doc.text), time.perf_counter() - started),
        provenance=Provenance(
            model=backend.model_id,
            prompt_versions={n: p.version for n, p in sorted(ctx.used.items())},
            prompt_sha256={n: p.sha256 for n, p in sorted(ctx.used.items())},
            pipeline_version=PIPELINE_VERSION,
            created_at=datetime.now(UTC),
        ),
        partial=bool(failed_windows),
        warnings=ctx.warnings,
    )
    result.check_grounded(doc.source)
    return result


def outlet_of(article: ArticleInput) -> str:
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlparse(article.url).hostname
        if host:
            return host.removeprefix("www.")
    return "the article"


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
