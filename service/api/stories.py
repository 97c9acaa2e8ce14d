"""POST /v1/stories: several articles on one story -> corroborated, single-source and
conflicting claims, canonical entities, origins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from service.api.auth import Caller
from service.api.body import (
    ArticleIn,
    check_sync_size,
    json_body_doc,
    load_json,
    read_capped,
    validated,
)
from service.api.deps import EngineDep
from service.engine import Engine
from service.http_errors import error_responses
from service.limits import DEFAULT_MAX_WORDS, MAX_STORY_ARTICLES, MIN_STORY_ARTICLES, MaxWords
from service.pipeline.models import SummaryResult
from service.story.models import Story


class StoryRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=MIN_STORY_ARTICLES, max_length=MAX_STORY_ARTICLES)
    max_words: MaxWords = DEFAULT_MAX_WORDS


class StoryResponse(Story):
    results: list[SummaryResult] = Field(description="each article's own summary and claims")


router = APIRouter(prefix="/v1", tags=["stories"])


def _story(engine: Engine, request: StoryRequest) -> StoryResponse:
    limit = engine.settings.max_input_bytes
    # every body is checked before any article is summarised
    inputs = [item.to_input(request.max_words, limit) for item in request.articles]
    outcome = engine.story(inputs)
    return StoryResponse(**outcome.story.model_dump(), results=outcome.results)


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
    return await run_in_threadpool(_story, engine, story)
