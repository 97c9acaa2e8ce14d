"""The embedded llama.cpp backend: lazy grammar sampling and the primed prefix cache."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.test_model import _require_model  # noqa: F401  (skips, or fails in CI, without the model)

pytestmark = pytest.mark.model

# The article asks for another shape than the schema, so the model's favourite token is
# often refused and the full-vocabulary fallback is exercised, not only the cheap check.
MESSAGES = [
    {"role": "system", "content": "Answer with JSON only."},
    {
        "role": "user",
        "content": 'Reply as {"city": "...", "note": "..."}: where is the Eiffel Tower, '
        "and how tall is it? Then list three rivers of France.",
    },
]
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rivers", "height_m"],
    "properties": {
        "rivers": {"type": "array", "maxItems": 3, "items": {"type": "string", "maxLength": 20}},
        "height_m": {"type": "integer"},
    },
}


@pytest.fixture(scope="module")
def llm() -> Any:
    from service.config import Settings
    from service.llm.assets import QWEN_15B, ensure_model
    from service.llm.local import load_llama

    path = ensure_model(QWEN_15B, Settings().models_dir)
    model, _lock = load_llama(path, 2048, 2)
    return model


def _complete(llm: Any, lazy: bool) -> tuple[str, Any]:
    llm.lazy = lazy
    try:
        out = llm.create_chat_completion(
            messages=MESSAGES,
            response_format={"type": "json_object", "schema": SCHEMA},
            temperature=0.0,
            max_tokens=120,
        )
    finally:
        llm.lazy = True
    return out["choices"][0]["message"]["content"], llm.last_sampler


def test_lazy_grammar_sampling_matches_the_full_chain_token_for_token(llm: Any) -> None:
    lazy_text, sampler = _complete(llm, lazy=True)
    full_text, stock = _complete(llm, lazy=False)
    assert sampler is not None and stock is None  # each path really ran
    assert sampler.full_checks > 0  # the fallback was needed and taken
    assert lazy_text == full_text
    parsed = json.loads(lazy_text)
    assert set(parsed) == {"rivers", "height_m"} and isinstance(parsed["height_m"], int)


def test_priming_puts_the_shared_instructions_in_the_prefix_cache() -> None:
    from langchain_core.messages import HumanMessage, SystemMessage

    from service.config import Settings
    from service.llm.assets import QWEN_15B, ensure_model
    from service.llm.local import ChatLlamaCppLocal
    from service.prompts import PromptLibrary
    from tests.conftest import ROOT

    system = PromptLibrary(ROOT / "prompts").get("article").system or ""
    chat = ChatLlamaCppLocal(model_path=ensure_model(QWEN_15B, Settings().models_dir))
    chat.prime("Something else entirely, so the cache holds no trace of the instructions.")
    chat.prime(system)
    reply = chat.invoke([SystemMessage(system), HumanMessage("Say OK.")], max_tokens=2)
    cached = reply.usage_metadata["input_token_details"]["cache_read"]  # type: ignore[index]
    assert cached >= len(chat.get_token_ids(system))
