"""Every error leaves as `{"error": {"code": ..., "message": ...}}` with a fitting status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import InputError
from service.llm.errors import InvalidOutput, LLMError, ModelTimeout, ModelUnavailable


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = extra.pop("headers", None)
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def model_error_status(exc: LLMError) -> int:
    if isinstance(exc, ModelUnavailable | ModelTimeout):
        return 503
    if isinstance(exc, InvalidOutput):
        return 502
    return 502


def install(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(int(retry))} if retry is not None else None
        return error_response(exc.status, exc.code, exc.message, headers=headers)

    @app.exception_handler(LLMError)
    async def _model(_: Request, exc: LLMError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)
        headers = (
            {"Retry-After": str(int(retry or 5))}
            if isinstance(exc, ModelUnavailable | ModelTimeout)
            else None
        )
        # The message is ours, never the provider's raw text (which may echo credentials).
        return error_response(
            model_error_status(exc),
            exc.code,
            f"{exc} (after {exc.attempts} attempts)",
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return error_response(
            422, "invalid_request", "the request does not match its schema", details=details
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own 400 is a body it could not parse (e.g. JSON that is not UTF-8)
        codes = {
            400: "invalid_json",
            404: "not_found",
            405: "method_not_allowed",
            413: "input_too_large",
        }
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
        )


ERROR_CODES: dict[int, str] = {
    400: "invalid_json, invalid_encoding or binary_content",
    401: "unauthorized: no valid API key (on /slack/events: no valid Slack signature)",
    404: "not_found",
    409: "idempotency_key_reused or not_cancellable",
    411: "length_required",
    413: "input_too_large (or use_jobs: too long to wait for, submit it to /v1/jobs)",
    415: "unsupported_media_type",
    422: "invalid_request or empty_article",
    429: "rate_limited or queue_full (see Retry-After)",
    502: "model_invalid_output / model_truncated_output / model_error after retries",
    503: "model_unavailable or model_timeout after retries (see Retry-After)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for exactly the error statuses a route can return."""
    return {s: {"model": ErrorResponse, "description": ERROR_CODES[s]} for s in statuses}
