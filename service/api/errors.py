"""Every error leaves as `{"error": {"code": ..., "message": ...}}` with a fitting status: the
API's exception handlers (the body and its OpenAPI description are in service/http_errors.py)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import InputError
from service.http_errors import error_response
from service.llm.errors import InvalidOutput, LLMError, ModelTimeout, ModelUnavailable


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
