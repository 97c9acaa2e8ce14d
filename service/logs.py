"""Logging: JSON lines for services, plain text for people, secrets redacted either way.

The request id lives in a contextvar so that any log line written while serving a request
(in the event loop or in a threadpool, which copies the context) carries it without the
code that logs having to pass it around.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

REDACTED = "[redacted]"

# One alternation, one pass over each message: most lines hold no secret at all.
_SECRET = re.compile(
    r"""
    (?P<keep>
        (?i:authorization|signing[_-]?secret|client[_-]?secret|api[_-]?key|password|passwd|secret)
        ["']?\s*[:=]\s*["']?
        (?:(?i:bearer|basic|token)\s+)?
      | (?i:bearer)\s+
      | (?i:postgres(?:ql)?(?:\+\w+)?|mysql(?:\+\w+)?|redis|amqp)://[^:/@\s"']+:
    )
    [^\s"',;}@]+
    | sk_sum_[A-Za-z0-9_-]+
    | sk-[A-Za-z0-9_-]{8,}
    | xox[abpr]-[A-Za-z0-9-]+
    | xapp-[A-Za-z0-9-]+
    """,
    re.VERBOSE,
)
# Extra fields whose value is a secret whatever it looks like (a Slack signing secret is
# plain hex, indistinguishable from an id).
_SECRET_KEY = re.compile(r"(?i)(secret|passw(or)?d|api[_-]?key|authorization|(^|_)token)$")

# Attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

_HANDLER_MARK = "_summarizer_handler"


def _replace(match: re.Match[str]) -> str:
    return (match.group("keep") or "") + REDACTED


def redact(text: str) -> str:
    """`text` with every credential-shaped substring replaced by `[redacted]`."""
    return _SECRET.sub(_replace, text)


def _redact_value(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return REDACTED if _SECRET_KEY.search(key) else redact(value)
    if isinstance(value, dict):
        return {str(k): _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    # Arbitrary objects would be rendered with str() later; redact that rendering now.
    return REDACTED if _SECRET_KEY.search(key) else redact(str(value))


class RedactFilter(logging.Filter):
    """Redacts the message, its arguments and every `extra` field of each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD:
                record.__dict__[key] = _redact_value(key, value)
        if record.exc_info and not record.exc_text:
            # Tracebacks quote local values and URLs: format once here so it can be redacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def _trace_ids() -> dict[str, str]:
    """Trace and span ids when OpenTelemetry is tracing this context, for log/trace joins."""
    if _otel_trace is None:
        return {}
    context = _otel_trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": f"{context.trace_id:032x}", "span_id": f"{context.span_id:016x}"}


try:
    from opentelemetry import trace as _otel_trace
except ImportError:  # optional: logs simply carry no trace ids
    _otel_trace = None  # type: ignore[assignment]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        line.update(_trace_ids())
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in line:
                line[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        # The main line only: a traceback, if any, follows the fields rather than splitting them.
        text = super().formatMessage(record)
        extra = " ".join(
            f"{key}={value}"
            for key, value in record.__dict__.items()
            if key not in _STANDARD and key != "request_id"
        )
        rid = getattr(record, "request_id", None)
        tail = " ".join(part for part in (extra, f"request_id={rid}" if rid else "") if part)
        return f"{text} [{tail}]" if tail else text


def configure_logging(json_logs: bool, level: str = "INFO") -> None:
    """Send every log record to stderr, redacted; JSON lines or plain text.

    Idempotent: calling it again replaces the handler it installed before, and leaves any
    other handler (pytest's, for instance) alone.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    # Handler filters see records propagated from every logger, unlike logger filters.
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter() if json_logs else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's loggers would otherwise print through their own handlers, unredacted.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True


@contextmanager
def bound_request_id(value: str | None) -> Iterator[None]:
    """Run a block (a job, a Slack event) under a request id, restoring the old one after."""
    token = request_id.set(value)
    try:
        yield
    finally:
        request_id.reset(token)
