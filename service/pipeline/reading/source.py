"""Where a result came from: the one place that describes an article's source."""

from __future__ import annotations

import hashlib
from urllib.parse import urlparse

from service.pipeline.models import ArticleInput, Source
from service.pipeline.reading.clean import CleanDoc

OWN_VOICE = "the article"  # the speaker of an article's own narration when no outlet is known


def outlet_of(article: ArticleInput) -> str:
    """The name of the voice that narrates: the outlet given, else the URL's host."""
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlparse(article.url).hostname
        if host:
            return host.removeprefix("www.")
    return OWN_VOICE


def source_of(article: ArticleInput, doc: CleanDoc, chunks: int) -> Source:
    """Offsets point into the input for text, and into the extracted text for HTML (a slice
    of markup would not be the words)."""
    html = article.html is not None
    return Source(
        input_type="html" if html else "text",
        title=article.title or doc.title,
        url=article.url,
        outlet=article.outlet,
        published_at=article.published_at,
        sha256=hashlib.sha256(doc.source.encode()).hexdigest(),
        offsets_refer_to="extracted_text" if html else "input",
        extracted_text=doc.source if html else None,
        chunks=chunks,
    )
