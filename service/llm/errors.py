"""One base error for model faults; subclasses carry what a caller needs to report them, and
the mapping from SDK and transport exceptions onto them."""

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


_TRANSPORT_MODULES = (
    "openai", "langchain_openai", "httpx", "httpcore", "httpx2", "httpcore2", "requests", "urllib3",
)  # fmt: skip


def is_transport_error(exc: Exception) -> bool:
    module = type(exc).__module__.split(".")[0]
    return module in _TRANSPORT_MODULES or isinstance(exc, OSError | TimeoutError)


def classify_exception(exc: Exception) -> LLMError:
    """Map SDK/transport exceptions to our errors without importing optional SDKs eagerly."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if "Timeout" in name:
        return ModelTimeout(f"model call timed out ({name})")
    if "LengthFinishReason" in name:  # openai's way of saying finish_reason=length
        return Truncated("output truncated at its token limit")
    if status == 429 or "RateLimit" in name:
        retry_after = _retry_after(exc)
        return ModelUnavailable("model server is rate limiting", retry_after=retry_after)
    if status is not None and status >= 500:  # a 503 may say when to come back, too
        return ModelUnavailable(
            f"model server error (HTTP {status})", retry_after=_retry_after(exc)
        )
    if "Connection" in name or isinstance(exc, ConnectionError | OSError):
        return ModelUnavailable(f"model server unreachable ({name})")
    if status is not None:
        refused = LLMError(f"model server refused the request (HTTP {status})")
        refused.retryable = False
        return refused
    return LLMError(f"model call failed ({name})")


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
