"""Run one job's work through the Engine: fetch what needs fetching, then the engine's
summarize or story use case. No queue logic: progress goes through a callback, and the run
stops between articles when the callback says the job is no longer ours."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from service.config import Settings
from service.engine import Engine
from service.inputs import to_article
from service.jobs.models import JobArticle, JobSpec
from service.pipeline.models import ArticleInput

Report = Callable[[dict[str, Any]], bool]  # False: stop, the job was cancelled or taken over


class JobLost(Exception):
    """This worker no longer owns the job; its outcome must not be written."""


def resolve(item: JobArticle, max_words: int, settings: Settings) -> ArticleInput:
    """A URL-only article is fetched here, in the worker, never in the request."""
    if item.text is None and item.html is None:
        from service.fetch import fetch_article

        assert item.url is not None
        page = fetch_article(item.url, settings)
        item = item.model_copy(update={"text": page.text, "html": page.html})
    return to_article(item, max_words, settings.max_input_bytes)


def _articles(spec: JobSpec, settings: Settings, report: Report) -> Iterator[ArticleInput]:
    total = len(spec.articles)
    for i, item in enumerate(spec.articles):
        _report(report, {"done": i, "total": total, "stage": f"article {i + 1} of {total}"})
        yield resolve(item, spec.max_words, settings)


def _report(report: Report, progress: dict[str, Any]) -> None:
    if not report(progress):
        raise JobLost()


def run_job(spec: JobSpec, engine: Engine, report: Report) -> dict[str, Any]:
    articles = _articles(spec, engine.settings, report)
    if spec.kind == "summary":
        done = engine.summarize_all(articles)
        return {"results": _dumped(done.results), "texts": done.texts}
    total = len(spec.articles)
    outcome = engine.story(
        articles,
        comparing=lambda: _report(report, {"done": total, "total": total, "stage": "comparing"}),
    )
    story = outcome.story.model_dump(mode="json")
    return {**story, "results": _dumped(outcome.results), "texts": outcome.texts}


def _dumped(results: list[Any]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in results]
