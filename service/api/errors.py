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
        codes = {404: "not_found", 405: "method_not_allowed", 413: "input_too_large"}
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
        )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "invalid_json, invalid_encoding or binary_content",
        413: "input_too_large",
        415: "unsupported_media_type",
        422: "invalid_request or empty_article",
        502: "model_invalid_output / model_truncated_output / model_error after retries",
        503: "model_unavailable or model_timeout after retries (see Retry-After)",
    }.items()
}
