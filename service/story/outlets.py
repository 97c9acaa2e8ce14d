"""What to call each article: the outlet a reader knows, not a file name.

In order: the outlet given with the request, the URL's host, the masthead the cleaner found
in the page's own boilerplate ("ICARO Media Group", "Read the original article on The New
Voice of Ukraine"), else its position ("Article 2", a name that can open a sentence). Never a file name: "003_22b7d4c8"
names no outlet, and a reader would take it for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlparse

from service.pipeline.models import SummaryResult
from service.pipeline.reading.clean import clean_text
from service.story.models import StoryArticle

NamedFrom = Literal["request", "url", "masthead", "file", "position"]


def _named(result: SummaryResult, text: str, n: int) -> tuple[str, NamedFrom]:
    source = result.source
    if source.outlet and source.outlet.strip():
        return source.outlet.strip(), "request"
    host = (urlparse(source.url or "").hostname or "").removeprefix("www.")
    if host:
        return host, "url"
    masthead = clean_text(source.extracted_text or text).masthead
    if masthead:
        return masthead, "masthead"
    return f"Article {n}", "position"


def article_names(results: Sequence[SummaryResult], texts: Sequence[str]) -> list[StoryArticle]:
    """One StoryArticle per result, its id the outlet name made unique ("X", "X (2)")."""
    out: list[StoryArticle] = []
    for n, (result, text) in enumerate(zip(results, texts, strict=True), 1):
        base, named_from = _named(result, text, n)
        name, k = base, 2
        while name in {a.id for a in out}:
            name, k = f"{base} ({k})", k + 1
        out.append(
            StoryArticle(
                id=name,
                outlet=result.source.outlet,
                named_from=named_from,
                url=result.source.url,
                published_at=result.source.published_at,
                title=result.source.title,
                claims=len(result.claims),
            )
        )
    return out
