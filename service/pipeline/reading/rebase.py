"""Reuse a stored result for an input that cleans to the same article.

Evidence lies in the claim's numbered sentences, and sentences come from the cleaned text, so
the same cleaned text gives the same sentences; only where they sit in the raw input (other
boilerplate, other markup) can differ. Re-deriving the spans from the new input keeps every
quote the exact slice of *this* input.
"""

from __future__ import annotations

import hashlib
from typing import Any

from service.pipeline.models import ArticleInput, Claim, Span, SummaryResult
from service.pipeline.reading.budget import article_sentences
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.source import source_of


def rebase(stored: dict[str, Any], doc: CleanDoc, article: ArticleInput) -> SummaryResult:
    result = SummaryResult.model_validate(stored)
    sha = hashlib.sha256(doc.source.encode()).hexdigest()
    if result.source.sha256 != sha:
        sentences = {s.id: s for s in article_sentences(doc)[0]}
        for claim in result.claims:
            old_start = claim.evidence[0].start
            ranges = [
                doc.to_source(sentences[sid].start, sentences[sid].end)
                for sid in sorted(set(claim.sentence_ids))
            ]
            spans = _evidence(claim.evidence, ranges, doc.source)
            claim.evidence = spans
            _move_pointers(claim, spans[0].start - old_start, doc.source)
        result.removed = list(doc.removed)
    result.source = source_of(article, doc, result.source.chunks)
    result.check_grounded(doc.source)
    return result


def _evidence(old: list[Span], ranges: list[tuple[int, int]], source: str) -> list[Span]:
    """The same evidence in the new input: each span's words found inside the claim's
    sentences (a clause of a split sentence stays that clause), else, when markup inside a
    sentence changed its words, the whole sentences re-derived."""
    spans = []
    for span in old:
        at = next((a for s, e in ranges if (a := source.find(span.quote, s, e)) >= 0), -1)
        if at < 0:
            return [Span(start=s, end=e, quote=source[s:e]) for s, e in ranges]
        spans.append(Span(start=at, end=at + len(span.quote), quote=span.quote))
    return spans


def _moved(span: Span, shift: int, source: str, near: int) -> Span:
    """The same words in the new input: where the claim's shift puts them, else the
    occurrence nearest the claim (other boilerplate before them moved them otherwise)."""
    start = span.start + shift
    if source[start : start + len(span.quote)] != span.quote:
        before = source.rfind(span.quote, 0, near + len(span.quote))
        start = before if before >= 0 else source.find(span.quote)
    return Span(start=start, end=start + len(span.quote), quote=span.quote)


def _move_pointers(claim: Claim, shift: int, source: str) -> None:
    near = claim.evidence[0].start
    if claim.attribution is not None and claim.attribution.cue_span is not None:
        claim.attribution.cue_span = _moved(claim.attribution.cue_span, shift, source, near)
    for sub in claim.substitutions:
        sub.antecedent = _moved(sub.antecedent, shift, source, near)
        if sub.span is not None:
            sub.span = _moved(sub.span, shift, source, near)
    for left in claim.unresolved:
        left.span = _moved(left.span, shift, source, near)
