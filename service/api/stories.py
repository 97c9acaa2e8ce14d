"""POST /v1/stories: several articles on one story -> corroborated, single-source and
conflicting claims, canonical entities, origins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from service.api.auth import Caller
from service.api.deps import EngineDep
from service.api.errors import error_responses
from service.api.jobs import json_body_doc
from service.api.summaries import ArticleIn, check_sync_size, load_json, read_capped, validated
from service.pipeline.models import SummaryResult
from service.story.build import build_story
from service.story.models import Story

MAX_ARTICLES = 10


StoryArticleIn = ArticleIn  # one article of a story: the same fields as a summary request


class StoryRequest(BaseModel):
    articles: list[StoryArticleIn] = Field(min_length=2, max_length=MAX_ARTICLES)
    max_words: int = Field(default=40, ge=10, le=300)


class StoryResponse(Story):
    results: list[SummaryResult] = Field(description="each article's own summary and claims")


router = APIRouter(prefix="/v1", tags=["stories"])


def story_for(
    engine: object, request: StoryRequest, names: list[str | None] | None = None
) -> StoryResponse:
    """names: what to call articles that name no outlet, URL or masthead (file names)."""
    from service.engine import Engine

    assert isinstance(engine, Engine)
    limit = engine.settings.max_input_bytes
    inputs = [item.to_input(request.max_words, limit) for item in request.articles]
    results = [engine.summarize(article) for article in inputs]
    texts = [a.text or "" for a in request.articles]
    story = build_story(results, texts, names)
    return StoryResponse(**story.model_dump(), results=results)


@router.post(
    "/stories",
    response_model=StoryResponse,
    responses=error_responses(400, 401, 413, 422, 429, 502, 503),
    openapi_extra=json_body_doc(StoryRequest),
    summary="Compare several articles on one story",
)
async def create_story(request: Request, engine: EngineDep, _owner: Caller) -> StoryResponse:
    # The key is checked first (a dependency), then the body is read against the size cap:
    # nobody makes the server buffer a huge body before it knows who they are.
    limit = engine.settings.max_input_bytes
    raw = await read_capped(request, limit)
    story = validated(StoryRequest, load_json(raw, limit))
    check_sync_size(
        len(raw), engine.settings.sync_max_bytes, "a story", 'POST /v1/jobs with "kind": "story"'
    )
    return await run_in_threadpool(story_for, engine, story)
