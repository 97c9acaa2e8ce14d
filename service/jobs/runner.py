"""Run one job's work: fetch what needs fetching, summarise each article (reusing stored
results), build the story. Pure work, no queue logic: it reports progress through a callback
and stops between articles when the callback says the job is no longer ours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.config import Settings
from service.engine import Engine
from service.jobs.models import JobArticle, JobSpec
from service.pipeline.run import ArticleInput

Report = Callable[[dict[str, Any]], bool]  # False: stop, the job was cancelled or taken over


class JobLost(Exception):
    """This worker no longer owns the job; its outcome must not be written."""


@dataclass
class Resolved:
    article: ArticleInput
    fetched_from: str | None = None


def resolve(item: JobArticle, max_words: int, settings: Settings) -> Resolved:
    """A URL-only article is fetched here, in the worker, never in the request."""
    text, html, fetched_from = item.text, item.html, None
    if text is None and html is None:
        from service.fetch import fetch_article

        assert item.url is not None
        page = fetch_article(item.url, settings)
        text, html, fetched_from = page.text, page.html, page.final_url
    body = text if text is not None else html or ""
    from service.inputs import check_text

    check_text(body, settings.max_input_bytes)
    return Resolved(
        ArticleInput(
            text=text,
            html=html,
            title=item.title,
            url=item.url,
            outlet=item.outlet,
            published_at=item.published_at.isoformat() if item.published_at else None,
            max_words=max_words,
        ),
        fetched_from,
    )


def run_job(spec: JobSpec, engine: Engine, report: Report) -> dict[str, Any]:
    total = len(spec.articles)
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    for i, item in enumerate(spec.articles):
        if not report({"done": i, "total": total, "stage": f"article {i + 1} of {total}"}):
            raise JobLost()
        resolved = resolve(item, spec.max_words, engine.settings)
        result = engine.summarize(resolved.article)
        results.append(result.model_dump(mode="json"))
        # the text evidence offsets point into: the input, or the text extracted from HTML
        texts.append(result.source.extracted_text or resolved.article.text or "")
    if spec.kind == "summary":
        return {"results": results, "texts": texts}
    if not report({"done": total, "total": total, "stage": "comparing"}):
        raise JobLost()
    from service.pipeline.models import SummaryResult
    from service.story.build import build_story

    story = build_story([SummaryResult.model_validate(r) for r in results], texts)
    return {**story.model_dump(mode="json"), "results": results, "texts": texts}
