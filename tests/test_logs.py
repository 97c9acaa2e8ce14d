"""Logging: JSON and text lines on stderr, secrets redacted whatever the format."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from service.logs import REDACTED, configure_logging, redact


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


SECRETS = {
    "service key": "sk_sum_1a2b3c4d_Q2xhdWRlIHdhcyBoZXJlIG5vdCByZWFs",
    "openai key": "sk-proj-AbCdEf0123456789ghIJklMNopQRst",
    "slack bot token": "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv",
    "slack user token": "xoxp-1234567890-0987654321-ZyXwVuTsRq",
    "slack app token": "xapp-1-A0123BCDE-1234567890-abcdef0123456789",
    "bearer token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "basic auth": "dXNlcjpodW50ZXIy",
    "signing secret": "8f742231b10e8888abcd99aa7c3d5e11",
    "db password": "hunter2-db-Pa55",
}


def log_every_secret(log: logging.Logger) -> None:
    s = SECRETS
    log.info("calling with key %s", s["service key"])
    log.info(f"OPENAI_API_KEY={s['openai key']} and {s['slack bot token']}")
    log.info("user token %s, app token %s", s["slack user token"], s["slack app token"])
    log.info("headers: %s", {"Authorization": f"Bearer {s['bearer token']}"})
    log.info(f"Authorization: Basic {s['basic auth']}")
    log.info(f"slack signing_secret={s['signing secret']}")
    log.info("connecting", extra={"slack_signing_secret": s["signing secret"]})
    log.info("db", extra={"url": f"postgresql+psycopg://summarizer:{s['db password']}@pg:5432/x"})
    log.info("nested", extra={"request": {"headers": {"authorization": s["bearer token"]}}})
    try:
        raise RuntimeError(f"provider said: invalid key {s['openai key']}")
    except RuntimeError:
        log.exception("model call failed")


@pytest.mark.parametrize("json_logs", [True, False])
def test_secrets_are_redacted(
    json_logs: bool, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging(json_logs=json_logs)
    log_every_secret(logging.getLogger("tests.secrets"))
    out = capsys.readouterr().err
    for kind, secret in SECRETS.items():
        assert secret not in out, kind
        assert secret[6:-4] not in out, kind  # no recognisable fragment either
    assert out.count(REDACTED) >= len(SECRETS)
    # The rest of each line survives, and JSON stays JSON.
    assert "calling with key" in out and "model call failed" in out and "pg:5432" in out
    assert "summarizer:" in out and "/x" in out
    if json_logs:
        lines = json_lines(out)
        assert len(lines) == 10 and "RuntimeError" in str(lines[-1]["exc"])


def test_redaction_leaves_ordinary_text_alone() -> None:
    text = "claims 12 of 40 sk-short prompt_tokens=512 tasks-to-do 'risk-based' token budget"
    assert redact(text) == text


def test_text_logs_for_the_cli(capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    configure_logging(json_logs=False, level="debug")
    configure_logging(json_logs=False, level="debug")  # idempotent: one handler, one line
    logging.getLogger("tests.cli").debug("plain %d", 3)
    err = capsys.readouterr().err
    assert err.count("plain 3") == 1 and "DEBUG tests.cli: plain 3" in err
    assert not err.lstrip().startswith("{")


def test_log_output_goes_to_stderr_only(
    restore_logging: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    configure_logging(json_logs=True)
    logging.getLogger("tests.stream").error("to stderr")
    assert out.getvalue() == "" and json.loads(err.getvalue())["message"] == "to stderr"
