"""One base error for model faults; subclasses carry what a caller needs to report them."""

from __future__ import annotations

from typing import Any


class LLMError(Exception):
    """A model call failed after its bounded retries."""

    code = "model_error"
    http_status = 502
    retryable = True

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 1,
        last_output: str | None = None,
        usage: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_output = last_output
        self.usage = usage or {}


class ModelTimeout(LLMError):
    code = "model_timeout"
    http_status = 504


class ModelUnavailable(LLMError):
    """The model cannot be reached or loaded (server down, weights missing, rate limited)."""

    code = "model_unavailable"
    http_status = 503

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class InvalidOutput(LLMError):
    """The model answered, but not with JSON matching the requested schema."""

    code = "model_invalid_output"


class Truncated(InvalidOutput):
    """The model hit its token limit before closing the JSON."""

    code = "model_truncated_output"


class StructuredOutputUnsupported(Exception):
    """The server rejected the structured-output mode; the caller may fall back to another."""
