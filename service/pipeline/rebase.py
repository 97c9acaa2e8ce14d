"""Reuse a stored result for an input that cleans to the same article.

Evidence is derived from sentence numbers, and sentences from the cleaned text, so the same
cleaned text gives the same sentences; only where they sit in the raw input (other
boilerplate, other markup) can differ. Re-deriving the spans from the new input keeps every
quote the exact slice of *this* input.
"""

from __future__ import annotations

import hashlib
from typing import Any

from service.pipeline.clean import CleanDoc
from service.pipeline.models import ArticleInput, Span, SummaryResult
from service.pipeline.segment import split_sentences
from service.pipeline.source import source_of


def rebase(stored: dict[str, Any], doc: CleanDoc, article: ArticleInput) -> SummaryResult:
    result = SummaryResult.model_validate(stored)
    sha = hashlib.sha256(doc.source.encode()).hexdigest()
    if result.source.sha256 != sha:
        sentences = {s.id: s for s in split_sentences(doc)}
        for claim in result.claims:
            spans = []
            for sid in sorted(set(claim.sentence_ids)):
                start, end = doc.to_source(sentences[sid].start, sentences[sid].end)
                spans.append(Span(start=start, end=end, quote=doc.source[start:end]))
            claim.evidence = spans
        result.removed = list(doc.removed)
    result.source = source_of(article, doc, result.source.chunks)
    result.check_grounded(doc.source)
    return result
