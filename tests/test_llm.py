from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage

from service.llm.errors import InvalidOutput, ModelTimeout, Truncated
from tests.conftest import make_backend
from tests.fakes import ask_for_a


def script(*replies):
    queue = list(replies)
    seen: list[dict] = []

    def responder(messages, kwargs):
        seen.append(kwargs)
        return queue.pop(0)

    return responder, seen


def test_invalid_json_is_retried_and_usage_accumulates() -> None:
    responder, seen = script("{not json", '{"a": 1}')
    gen = ask_for_a(make_backend(responder))
    assert gen.data == {"a": 1}
    assert gen.usage.attempts == 2
    assert gen.usage.tokens_estimated  # scripted model reports no usage: counted with tiktoken
    assert gen.usage.completion_tokens > 0
    assert seen[1]["temperature"] > seen[0]["temperature"]  # a retry does not replay greedy


def test_raw_newlines_inside_strings_are_tolerated() -> None:
    responder, _ = script('{"a": 1, "b": "line\nbreak"}'.replace(', "b": "line\nbreak"', ""))
    assert ask_for_a(make_backend(responder)).data == {"a": 1}


def test_schema_violation_is_invalid_output_after_bounded_attempts() -> None:
    responder, seen = script('{"a": "x"}', '{"a": "y"}', '{"a": "z"}')
    with pytest.raises(InvalidOutput) as err:
        ask_for_a(make_backend(responder, attempts=3))
    assert err.value.attempts == 3 and len(seen) == 3
    assert err.value.last_output == '{"a": "z"}'
    assert err.value.code == "model_invalid_output"


def test_truncation_retries_with_a_larger_budget() -> None:
    cut = AIMessage(content='{"a": ', response_metadata={"finish_reason": "length"})
    responder, seen = script(cut, '{"a": 2}')
    gen = ask_for_a(make_backend(responder))
    assert gen.data == {"a": 2}
    assert seen[1]["max_tokens"] > seen[0]["max_tokens"]


def test_truncation_every_time_is_reported_as_truncated() -> None:
    cut = AIMessage(content='{"a": ', response_metadata={"finish_reason": "length"})
    responder, _ = script(cut, cut, cut)
    with pytest.raises(Truncated):
        ask_for_a(make_backend(responder))


def test_deadline_is_a_timeout() -> None:
    late = AIMessage(content='{"a": 1', response_metadata={"finish_reason": "timeout"})
    responder, _ = script(late, late, late)
    with pytest.raises(ModelTimeout) as err:
        ask_for_a(make_backend(responder))
    assert err.value.attempts == 3


def test_empty_output_is_invalid() -> None:
    responder, _ = script("", "  ", "")
    with pytest.raises(InvalidOutput, match="empty"):
        ask_for_a(make_backend(responder))


def test_a_bug_is_not_retried_as_a_model_fault() -> None:
    calls = []

    def responder(messages, kwargs):
        calls.append(1)
        raise KeyError("bug in our code")

    with pytest.raises(KeyError):
        ask_for_a(make_backend(responder))
    assert len(calls) == 1


def test_connection_errors_are_retried_then_unavailable() -> None:
    from service.llm.errors import ModelUnavailable

    responder, _ = script(
        ConnectionResetError("reset"), ConnectionResetError("reset"), json.dumps({"a": 3})
    )
    assert ask_for_a(make_backend(responder)).data == {"a": 3}
    responder, _ = script(*(ConnectionResetError("reset") for _ in range(3)))
    with pytest.raises(ModelUnavailable):
        ask_for_a(make_backend(responder))


def test_reported_usage_is_used_when_present() -> None:
    msg = AIMessage(
        content='{"a": 1}',
        usage_metadata={
            "input_tokens": 50,
            "output_tokens": 4,
            "total_tokens": 54,
            "input_token_details": {"cache_read": 40},
        },
        response_metadata={"finish_reason": "stop"},
    )
    responder, _ = script(msg)
    usage = ask_for_a(make_backend(responder)).usage
    assert (usage.prompt_tokens, usage.cached_prompt_tokens, usage.completion_tokens) == (50, 40, 4)
    assert usage.computed_tokens == 14 and not usage.tokens_estimated
