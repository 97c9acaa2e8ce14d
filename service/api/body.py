"""Reading and validating request bodies, for every route that reads its own: the size cap
before buffering, JSON with a clear 400, validation with FastAPI's usual 422, the article
schema shared by summaries and stories, and the OpenAPI description of such a body."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from service.errors import InputError, InputTooLarge, UnsupportedMediaType
from service.inputs import check_text, decode_text, to_article
from service.jobs.models import JobSpec
from service.limits import DEFAULT_MAX_WORDS, MaxWords
from service.pipeline.models import ArticleInput

M = TypeVar("M", bound=BaseModel)


class ArticleIn(BaseModel):
    """One article as a client sends it (shared by summaries and stories); an API schema
    that only converts to the engine's `ArticleInput`."""

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
        return to_article(self, max_words, limit)


class SummaryRequest(ArticleIn):
    max_words: MaxWords = DEFAULT_MAX_WORDS


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


def parse_summary(
    raw: bytes, content_type: str, limit: int, query: dict[str, Any]
) -> SummaryRequest:
    """A summary request in any of its media types: JSON, plain text or HTML."""
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


def inline_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its `$defs` inlined. Inside openapi_extra a `#/$defs/...`
    reference resolves against the whole OpenAPI document, where there is no `$defs`."""
    defs = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    result: dict[str, Any] = inline(schema)
    return result


def json_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its JSON body itself (after auth)."""
    schema = inline_defs(model.model_json_schema())
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def parse_job(raw: bytes, limit: int) -> JobSpec:
    """A job submission: the spec, its articles' bodies checked, and no notify target."""
    spec = validated(JobSpec, load_json(raw, limit))
    if spec.notify is not None:
        # notification targets are set by the adapters (Slack), never by API clients
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(
            [
                {
                    "loc": ("body", "notify"),
                    "msg": "not accepted from API clients",
                    "type": "value_error",
                }
            ]
        )
    for article in spec.articles:
        if article.text is not None or article.html is not None:
            check_text(article.text if article.text is not None else article.html or "", limit)
    return spec
