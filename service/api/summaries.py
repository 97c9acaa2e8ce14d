"""POST /v1/summaries: one article in, a grounded summary and claim list out."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from service.api.auth import Caller
from service.api.deps import EngineDep
from service.api.errors import error_responses
from service.api.fastpath import SLOT as FASTPATH_SLOT
from service.errors import InputError, UnsupportedMediaType
from service.inputs import check_text, decode_text
from service.pipeline.models import ArticleInput, SummaryResult

router = APIRouter(prefix="/v1", tags=["summaries"])
M = TypeVar("M", bound=BaseModel)


class ArticleIn(BaseModel):
    """One article as a client sends it (shared by summaries and stories)."""

    # What _one_body checks, said in the published schema (clients and the fuzzer read it)
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [k], "properties": {k: {"type": "string"}}} for k in ("text", "html")
            ]
        }
    )
    text: str | None = Field(default=None, description="plain-text article")
    html: str | None = Field(default=None, description="HTML page; the body is extracted")
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    published_at: date | datetime | None = None

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of `text` or `html`")
        return self

    def to_input(self, max_words: int, limit: int) -> ArticleInput:
        check_text(self.text if self.text is not None else self.html or "", limit)
        return ArticleInput(
            text=self.text,
            html=self.html,
            title=self.title,
            url=self.url,
            outlet=self.outlet,
            published_at=self.published_at.isoformat() if self.published_at else None,
            max_words=max_words,
        )


class SummaryRequest(ArticleIn):
    max_words: int = Field(default=40, ge=10, le=300)


class TooLongForSync(InputError):
    code = "use_jobs"
    status = 413


def check_sync_size(size: int, limit: int, what: str, instead: str) -> None:
    """Refuse a request too long to wait for, pointing at the job queue instead."""
    if size > limit:
        raise TooLongForSync(
            f"{what} of {size} bytes takes too long to wait for; "
            f"submit it to {instead} (the limit here is {limit})"
        )


class InvalidJSON(InputError):
    code = "invalid_json"
    status = 400


async def read_capped(request: Request, limit: int) -> bytes:
    """Read the body but stop at the limit, so a huge upload is refused without buffering it."""
    from service.errors import InputTooLarge

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputTooLarge(f"request body is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLarge(f"request body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def load_json(raw: bytes, limit: int) -> Any:
    """The body as JSON, or a 400 `invalid_json` that says where it broke."""
    try:
        return json.loads(decode_text(raw, limit))
    except json.JSONDecodeError as exc:
        raise InvalidJSON(f"request body is not valid JSON: {exc.msg} at {exc.pos}") from exc


def validated(model: type[M], payload: Any) -> M:
    """Validate as FastAPI would, so the error leaves as the usual 422 `invalid_request`."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(exc.errors()) from exc


def parse_request(
    raw: bytes, content_type: str, limit: int, query: dict[str, Any]
) -> SummaryRequest:
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/json", ""):
        payload = load_json(raw, limit)
        if not isinstance(payload, dict):
            raise InvalidJSON("request body must be a JSON object")
    elif media in ("text/plain", "text/markdown"):
        payload = {"text": decode_text(raw, limit), **query}
    elif media in ("text/html", "application/xhtml+xml"):
        payload = {"html": decode_text(raw, limit), **query}
    else:
        raise UnsupportedMediaType(
            f"content type {media!r} is not supported; send application/json, text/plain or text/html"
        )
    return validated(SummaryRequest, payload)


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SummaryRequest.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/summaries",
    response_model=SummaryResult,
    responses=error_responses(400, 401, 413, 415, 422, 429, 502, 503),
    openapi_extra=_BODY_DOC,
    summary="Summarise one article into grounded, attributed claims",
)
async def create_summary(
    request: Request,
    engine: EngineDep,
    _owner: Caller,
    max_words: int | None = Query(default=None, ge=10, le=300, description="for text/html bodies"),
    title: str | None = Query(default=None, max_length=500),
    url: str | None = Query(default=None, max_length=2000),
) -> SummaryResult | Response:
    limit = engine.settings.max_input_bytes
    raw = await read_capped(request, limit)
    query = {
        k: v
        for k, v in {"max_words": max_words, "title": title, "url": url}.items()
        if v is not None
    }
    req = parse_request(raw, request.headers.get("content-type", ""), limit, query)
    article = req.to_input(req.max_words, limit)
    key = engine.request_key(article)
    # Repeats of a recent request are answered from memory, serialised once.
    cached = engine.recent_json(key)
    if cached is not None:
        _served(request, key)
        return Response(cached, media_type="application/json")
    check_sync_size(len(raw), engine.settings.sync_max_bytes, "an article", "POST /v1/jobs")
    result = await run_in_threadpool(engine.summarize, article)
    _served(request, key)
    return result


def _served(request: Request, key: str) -> None:
    """Tell the fast path which engine result answers this exact request body."""
    slot = request.scope.get(FASTPATH_SLOT)
    if isinstance(slot, dict):
        slot["key"] = key
