"""POST /v1/stories: several articles on one story -> corroborated, single-source and
conflicting claims, canonical entities, origins."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, model_validator

from service.api.deps import EngineDep
from service.api.errors import ERROR_RESPONSES
from service.inputs import check_text
from service.pipeline.models import SummaryResult
from service.pipeline.run import ArticleInput
from service.story.build import build_story
from service.story.models import Story

MAX_ARTICLES = 10


class StoryArticleIn(BaseModel):
    text: str | None = None
    html: str | None = None
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    published_at: date | datetime | None = None

    @model_validator(mode="after")
    def _one_body(self) -> StoryArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of `text` or `html`")
        return self


class StoryRequest(BaseModel):
    articles: list[StoryArticleIn] = Field(min_length=2, max_length=MAX_ARTICLES)
    max_words: int = Field(default=40, ge=10, le=300)


class StoryResponse(Story):
    results: list[SummaryResult] = Field(description="each article's own summary and claims")


router = APIRouter(prefix="/v1", tags=["stories"])


def story_for(engine: object, request: StoryRequest) -> StoryResponse:
    from service.engine import Engine

    assert isinstance(engine, Engine)
    limit = engine.settings.max_input_bytes
    results = []
    for item in request.articles:
        check_text(item.text if item.text is not None else item.html or "", limit)
        article = ArticleInput(
            text=item.text,
            html=item.html,
            title=item.title,
            url=item.url,
            outlet=item.outlet,
            published_at=item.published_at.isoformat() if item.published_at else None,
            max_words=request.max_words,
        )
        results.append(engine.summarize(article))
    dumped = [r.model_dump(mode="json") for r in results]
    texts = [a.text or "" for a in request.articles]
    story = build_story(dumped, texts)
    return StoryResponse(**story.model_dump(), results=results)


@router.post(
    "/stories",
    response_model=StoryResponse,
    responses=ERROR_RESPONSES,
    summary="Compare several articles on one story",
)
async def create_story(request: StoryRequest, engine: EngineDep) -> StoryResponse:
    return await run_in_threadpool(story_for, engine, request)
