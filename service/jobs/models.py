"""What a client submits as a job and what it sees of one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from service.limits import (
    DEFAULT_MAX_WORDS,
    MAX_JOB_ARTICLES,
    MAX_STORY_ARTICLES,
    MIN_STORY_ARTICLES,
    MaxWords,
)

JobStatus = Literal["queued", "running", "retrying", "done", "failed", "dead", "cancelled"]


class JobArticle(BaseModel):
    """One article: its text or HTML, or only a URL for the worker to fetch (strict limits)."""

    # What _one_body checks, said in the published schema (clients and the fuzzer read it)
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [k], "properties": {k: {"type": "string", "minLength": 1}}}
                for k in ("text", "html", "url")
            ],
            "not": {
                "required": ["text", "html"],
                "properties": {"text": {"type": "string"}, "html": {"type": "string"}},
            },
        }
    )
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=500)
    outlet: str | None = Field(default=None, max_length=200)
    published_at: date | datetime | None = None

    @model_validator(mode="after")
    def _one_body(self) -> JobArticle:
        if self.text is not None and self.html is not None:
            raise ValueError("give at most one of `text` or `html`")
        if self.text is None and self.html is None and not self.url:
            raise ValueError("give `text`, `html` or a `url` to fetch")
        return self


class JobSpec(BaseModel):
    kind: Literal["summary", "story"] = "summary"
    articles: list[JobArticle] = Field(min_length=1, max_length=MAX_JOB_ARTICLES)
    max_words: MaxWords = DEFAULT_MAX_WORDS
    # Opaque to the queue: when the job ends, the notifier named notify["kind"] gets the job
    # (the Slack adapter uses it to post to a response_url or a thread).
    # Not in the published schema: only adapters set it; the API refuses it from clients.
    notify: SkipJsonSchema[dict[str, Any] | None] = None

    @model_validator(mode="after")
    def _story_size(self) -> JobSpec:
        if self.kind == "story" and not (
            MIN_STORY_ARTICLES <= len(self.articles) <= MAX_STORY_ARTICLES
        ):
            raise ValueError(f"a story needs {MIN_STORY_ARTICLES} to {MAX_STORY_ARTICLES} articles")
        return self


class JobProgress(BaseModel):
    done: int = 0
    total: int = 0
    stage: str = "queued"


class JobError(BaseModel):
    code: str
    message: str
    attempts: int | None = None


class JobView(BaseModel):
    id: str
    kind: Literal["summary", "story"]
    status: JobStatus
    progress: JobProgress
    attempts: int
    max_attempts: int
    stuck: bool = Field(default=False, description="running, but no heartbeat for too long")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: JobError | None = None
    result: dict[str, Any] | None = Field(
        default=None,
        description="summary: {'results': [SummaryResult, ...]}; story: a StoryResponse",
    )
    notify: dict[str, Any] | None = Field(default=None, exclude=True)
    owner: str = Field(default="", exclude=True)
    spec: JobSpec | None = Field(default=None, exclude=True)
