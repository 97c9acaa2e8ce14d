"""The error body every HTTP front door answers with, `{"error": {"code", "message"}}`, and
its OpenAPI description; below the API and Slack, which both answer in it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel


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
