"""Build the configured backend. The only place that knows which backends exist."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableLambda

from service.config import Settings
from service.llm.assets import QWEN_15B
from service.llm.backend import ChatModelBackend
from service.llm.errors import LLMError

RETRY_TEMPERATURE = 0.3  # a retry after invalid output must not replay the same greedy path


def local_binder(
    chat: BaseChatModel, schema: dict[str, Any], name: str, max_tokens: int, attempt: int
) -> Any:
    return chat.bind(
        response_format={"type": "json_object", "schema": schema},
        max_tokens=max_tokens,
        temperature=0.0 if attempt == 1 else RETRY_TEMPERATURE,
        seed=attempt - 1,
    )


class OpenAIBinder:
    """json_schema (strict) where the server supports it, json_object+schema where it does not.

    In `auto` mode the first refusal of json_schema switches this backend to json_object for
    the rest of the process, so a llama.cpp server costs one failed request, not one per call.
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(
        self, chat: BaseChatModel, schema: dict[str, Any], name: str, max_tokens: int, attempt: int
    ) -> Any:
        temperature = 0.0 if attempt == 1 else RETRY_TEMPERATURE
        strict = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
        loose = {"type": "json_object", "schema": schema}

        def invoke(messages: list[BaseMessage]) -> Any:
            try:
                return send(messages)
            except (AttributeError, TypeError, IndexError, KeyError, ValueError) as exc:
                # The client could not read the server's reply (a proxy's HTML page with 200,
                # an empty body, no choices): the server's fault, retried like one, never a 500.
                raise LLMError(
                    f"model server sent an unreadable response ({type(exc).__name__})"
                ) from exc

        def send(messages: list[BaseMessage]) -> Any:
            if self.mode in ("auto", "json_schema"):
                try:
                    return chat.bind(
                        response_format=strict, max_tokens=max_tokens, temperature=temperature
                    ).invoke(messages)
                except Exception as exc:
                    if self.mode != "auto" or not _refuses_json_schema(exc):
                        raise
                    self.mode = "json_object"
            return chat.bind(
                response_format=loose, max_tokens=max_tokens, temperature=temperature
            ).invoke(messages)

        return RunnableLambda(invoke)


def _refuses_json_schema(exc: Exception) -> bool:
    """A refusal of the format, not a transient fault: a 5xx counts only when it names it
    (llama.cpp's server answers json_schema with a 500 that does)."""
    status = getattr(exc, "status_code", None)
    if status in (400, 422):
        return True
    text = str(exc).lower()
    return status in (500, 501) and any(
        w in text for w in ("json_schema", "response_format", "schema")
    )


def build_backend(settings: Settings, chat_model: BaseChatModel | None = None) -> ChatModelBackend:
    if settings.backend == "openai":
        return _openai_backend(settings, chat_model)
    return _local_backend(settings, chat_model)


def _local_backend(settings: Settings, chat_model: BaseChatModel | None) -> ChatModelBackend:
    from service.llm.local import ChatLlamaCppLocal, is_loaded

    spec = None if settings.model_path else QWEN_15B  # the assembled model, joined on load
    path = settings.model_path or settings.models_dir / QWEN_15B.filename
    chat = chat_model or ChatLlamaCppLocal(
        model_path=path,
        spec=spec,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        timeout_s=settings.call_timeout_s,
    )
    return ChatModelBackend(
        chat,
        model_id=f"local:{path.stem}",
        context_tokens=settings.n_ctx,
        binder=local_binder,
        max_attempts=settings.max_attempts,
        is_ready=lambda: is_loaded(path, settings.n_ctx, settings.n_threads),
    )


def _openai_backend(settings: Settings, chat_model: BaseChatModel | None) -> ChatModelBackend:
    if chat_model is None:
        from langchain_openai import ChatOpenAI

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        chat_model = ChatOpenAI(
            model=settings.openai_model,
            api_key=key,  # type: ignore[arg-type]
            base_url=settings.openai_base_url,
            timeout=settings.call_timeout_s,
            max_retries=0,  # retries are ours, bounded and classified
            temperature=0.0,
        )
    return ChatModelBackend(
        chat_model,
        model_id=f"openai:{settings.openai_model}",
        context_tokens=settings.openai_context_tokens,
        binder=OpenAIBinder(settings.structured_output),
        max_attempts=settings.max_attempts,
    )
