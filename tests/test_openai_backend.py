"""The OpenAI-compatible backend over real HTTP to a fake server on loopback."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.responses import JSONResponse

from service.config import Settings
from service.llm.errors import ModelUnavailable
from service.llm.factory import build_backend
from service.pipeline.models import ArticleInput
from service.pipeline.run import summarize_article
from tests.fake_openai import FakeOpenAI, completion, openai_settings, reader, serve
from tests.fakes import A_SCHEMA, ask_for_a

SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _settings(tmp_path: Path, url: str, **extra) -> Settings:
    return openai_settings(tmp_path, url, SECRET, call_timeout_s=5, **extra)


def test_json_schema_refused_falls_back_to_json_object_once(tmp_path: Path) -> None:
    fake = FakeOpenAI(lambda body: completion('{"a": 7}', prompt_tokens=80, cached=64))
    with serve(fake) as url:
        backend = build_backend(_settings(tmp_path, url))
        first = ask_for_a(backend)
        second = ask_for_a(backend)
    assert first.data == second.data == {"a": 7}
    kinds = [r["response_format"]["type"] for r in fake.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # refused once, remembered
    assert fake.requests[1]["response_format"]["schema"] == A_SCHEMA
    assert first.usage.cached_prompt_tokens == 64 and not first.usage.tokens_estimated
    assert fake.headers[0]["authorization"] == f"Bearer {SECRET}"


def test_strict_json_schema_where_supported(tmp_path: Path) -> None:
    fake = FakeOpenAI(lambda body: completion('{"a": 1}'), refuse_json_schema=False)
    with serve(fake) as url:
        ask_for_a(build_backend(_settings(tmp_path, url)))
    fmt = fake.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True


def test_rate_limit_is_retried_after_its_retry_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = [
        JSONResponse(
            {"error": {"message": "slow down"}}, status_code=429, headers={"retry-after": "0"}
        ),
        completion('{"a": 2}'),
    ]
    fake = FakeOpenAI(lambda body: replies.pop(0))
    with serve(fake) as url:
        gen = ask_for_a(build_backend(_settings(tmp_path, url, structured_output="json_object")))
    assert gen.data == {"a": 2} and gen.usage.attempts == 2


def test_server_errors_end_in_model_unavailable_without_leaking_the_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeOpenAI(
        lambda body: JSONResponse({"error": {"message": f"boom {SECRET}"}}, status_code=503)
    )
    caplog.set_level(logging.DEBUG)
    with serve(fake) as url:
        backend = build_backend(
            _settings(tmp_path, url, structured_output="json_object", max_attempts=2)
        )
        backend._sleep = lambda _s: None  # type: ignore[attr-defined]
        with pytest.raises(ModelUnavailable) as err:
            ask_for_a(backend)
    assert len(fake.requests) == 2
    assert SECRET not in str(err.value) and SECRET not in caplog.text


def test_unreachable_server_is_unavailable(tmp_path: Path) -> None:
    backend = build_backend(
        _settings(
            tmp_path, "http://127.0.0.1:9/v1", structured_output="json_object", max_attempts=1
        )
    )
    with pytest.raises(ModelUnavailable):
        ask_for_a(backend)


def test_whole_pipeline_runs_on_an_openai_compatible_server(tmp_path: Path, seed_text) -> None:
    """Configuration alone switches the backend; the pipeline and its grounding are unchanged."""
    fake = FakeOpenAI(reader)
    text = seed_text("004")
    with serve(fake) as url:
        settings = _settings(tmp_path, url)
        from service.prompts import PromptLibrary

        result = summarize_article(
            ArticleInput(text=text), build_backend(settings), PromptLibrary(settings.prompts_dir)
        )
    assert result.provenance.model == "openai:fake-model"
    assert result.claims
    result.check_grounded(text)
    assert json.dumps(result.model_dump(mode="json")).count(SECRET) == 0
