"""POST /v1/summaries: one article in, a grounded summary and claim list out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from service.api.auth import Caller
from service.api.body import SummaryRequest, check_sync_size, parse_summary, read_capped
from service.api.deps import CacheDep, EngineDep
from service.api.fastpath import SLOT as FASTPATH_SLOT
from service.http_errors import error_responses
from service.limits import MAX_WORDS, MIN_WORDS
from service.pipeline.models import SummaryResult

router = APIRouter(prefix="/v1", tags=["summaries"])

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
    cache: CacheDep,
    _owner: Caller,
    max_words: int | None = Query(
        default=None, ge=MIN_WORDS, le=MAX_WORDS, description="for text/html bodies"
    ),
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
    req = parse_summary(raw, request.headers.get("content-type", ""), limit, query)
    article = req.to_input(req.max_words, limit)
    key = engine.request_key(article)
    # Repeats of a recent request are answered from memory, serialised once.
    cached = cache.recent_json(key)
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
