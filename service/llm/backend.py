"""The backend protocol and its one implementation over any LangChain chat model.

Every call is a structured call: messages in, JSON matching a schema out. Retries for
model faults (timeouts, invalid or truncated JSON, 5xx, 429) live here and nowhere else.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Protocol

import jsonschema
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage

from service.llm.calls import CallUsage, Generation, Probability
from service.llm.errors import (
    InvalidOutput,
    LLMError,
    ModelTimeout,
    ModelUnavailable,
    StructuredOutputUnsupported,
    Truncated,
    classify_exception,
    is_transport_error,
)
from service.llm.probability import chat_yes_probability
from service.llm.tokens import count_tokens


class Backend(Protocol):
    """The one interface the pipeline sees."""

    @property
    def model_id(self) -> str: ...

    @property
    def context_tokens(self) -> int: ...

    def ready(self) -> bool: ...

    def load(self) -> None: ...

    def prime(self, system: str) -> None: ...

    def generate(
        self,
        messages: list[BaseMessage],
        *,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        label: str,
        prompt_version: str,
    ) -> Generation: ...

    def yes_probability(
        self, messages: list[BaseMessage], *, label: str, prompt_version: str
    ) -> Probability: ...


# A function that binds a structured-output request onto a chat model; backends differ in
# how they ask for JSON (json_schema vs json_object+schema), so they supply it.
Binder = Callable[[BaseChatModel, dict[str, Any], str, int, int], Any]


def parse_json(text: str) -> dict[str, Any]:
    """Parse model JSON, tolerating raw newlines inside strings (strict=False)."""
    cleaned = text.strip()
    if cleaned.startswith("```"):
        cleaned = cleaned.strip("`")
        cleaned = cleaned[cleaned.find("{") :]
    try:
        value = json.loads(cleaned, strict=False)
    except json.JSONDecodeError as exc:
        raise InvalidOutput(f"model output is not JSON: {exc.msg}", last_output=text) from exc
    if not isinstance(value, dict):
        raise InvalidOutput("model output is not a JSON object", last_output=text)
    return value


def _usage_from(message: AIMessage, messages: list[BaseMessage], text: str) -> dict[str, Any]:
    meta = message.usage_metadata
    if meta and meta.get("input_tokens"):
        details = meta.get("input_token_details") or {}
        return {
            "prompt_tokens": int(meta["input_tokens"]),
            "completion_tokens": int(meta.get("output_tokens", 0)),
            "cached_prompt_tokens": int(details.get("cache_read", 0) or 0),
            "tokens_estimated": False,
        }
    # The server did not report usage: count with tiktoken so costs are never blank.
    prompt = sum(count_tokens(str(m.content)) for m in messages)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": count_tokens(text),
        "cached_prompt_tokens": 0,
        "tokens_estimated": True,
    }


class ChatModelBackend:
    """Runs structured calls on a LangChain chat model with bounded retries."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        model_id: str,
        context_tokens: int,
        binder: Binder,
        max_attempts: int = 3,
        max_backoff_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        is_ready: Callable[[], bool] | None = None,
    ) -> None:
        self._chat = chat_model
        self._model_id = model_id
        self._context_tokens = context_tokens
        self._binder = binder
        self._max_attempts = max_attempts
        self._max_backoff_s = max_backoff_s
        self._sleep = sleep
        self._is_ready = is_ready

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def context_tokens(self) -> int:
        return self._context_tokens

    def ready(self) -> bool:
        return self._is_ready() if self._is_ready else True

    def load(self) -> None:
        """Load weights now (local models); remote backends have nothing to load."""
        load = getattr(self._chat, "load", None)
        if callable(load):
            load()

    def prime(self, system: str) -> None:
        """Compute the system text every article shares once, at start-up (local models keep
        it in their prefix cache); remote backends have nothing to prime."""
        prime = getattr(self._chat, "prime", None)
        if callable(prime):
            prime(system)

    def generate(
        self,
        messages: list[BaseMessage],
        *,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        label: str,
        prompt_version: str,
    ) -> Generation:
        usage = CallUsage(label=label, prompt_version=prompt_version, model=self._model_id)
        started = time.perf_counter()
        last: LLMError | None = None
        budget = max_tokens
        for attempt in range(1, self._max_attempts + 1):
            usage.attempts = attempt
            try:
                gen = self._attempt(messages, schema, schema_name, budget, attempt, usage)
            except Truncated as exc:
                last = exc
                # Greedy decoding would truncate at the same place: give it more room.
                budget = min(int(budget * 1.5) + 64, self._context_tokens // 2)
                continue
            except ModelUnavailable as exc:
                last = exc
                if attempt < self._max_attempts:
                    self._sleep(min(exc.retry_after or 2.0**attempt, self._max_backoff_s))
                continue
            except LLMError as exc:
                last = exc
                if not exc.retryable:
                    break
                continue
            usage.latency_s = time.perf_counter() - started
            return gen
        assert last is not None
        last.attempts = usage.attempts
        last.usage = usage.__dict__.copy()
        raise last

    def yes_probability(
        self, messages: list[BaseMessage], *, label: str, prompt_version: str
    ) -> Probability:
        """One forward pass, no decoding: see service/llm/probability.py."""
        usage = CallUsage(label=label, prompt_version=prompt_version, model=self._model_id)
        return chat_yes_probability(self._chat, messages, usage)

    def _attempt(
        self,
        messages: list[BaseMessage],
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        attempt: int,
        usage: CallUsage,
    ) -> Generation:
        runnable = self._binder(self._chat, schema, schema_name, max_tokens, attempt)
        t0 = time.perf_counter()
        try:
            message = runnable.invoke(messages)
        except (LLMError, StructuredOutputUnsupported):
            raise
        except Exception as exc:
            if not is_transport_error(exc):
                raise  # a bug, not a model fault: retrying would hide it
            raise classify_exception(exc) from exc
        elapsed = time.perf_counter() - t0
        text = message.content if isinstance(message.content, str) else json.dumps(message.content)
        counted = _usage_from(message, messages, text)
        usage.prompt_tokens += counted["prompt_tokens"]
        usage.cached_prompt_tokens += counted["cached_prompt_tokens"]
        usage.completion_tokens += counted["completion_tokens"]
        usage.tokens_estimated = usage.tokens_estimated or counted["tokens_estimated"]
        timings = message.response_metadata.get("timings") or {}
        prefill = float(timings.get("prefill_s", 0.0))
        usage.prefill_s += prefill
        usage.decode_s += float(timings.get("decode_s", max(elapsed - prefill, 0.0)))
        finish = message.response_metadata.get("finish_reason")
        if finish == "timeout":
            raise ModelTimeout("model call exceeded its deadline", last_output=text)
        if finish == "length":
            raise Truncated(f"output truncated at {max_tokens} tokens", last_output=text)
        if not text.strip():
            raise InvalidOutput("model returned empty output", last_output=text)
        data = parse_json(text)
        try:
            # Not jsonschema.validate, which re-checks our own schema each call (costly).
            jsonschema.validators.validator_for(schema)(schema).validate(data)
        except jsonschema.ValidationError as exc:
            # Where and which rule, never the offending value: that is model text, which may
            # repeat the prompt or an article's injection, and this message reaches clients.
            where = "/".join(str(p) for p in exc.absolute_path) or "the top level"
            raise InvalidOutput(
                f"output does not match schema at {where} ({exc.validator})", last_output=text
            ) from exc
        return Generation(data=data, text=text, usage=usage, meta={"finish_reason": finish})
