"""Socket Mode: the same Bolt app over a WebSocket to a fake Slack, with the real job system."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from service.compose import build_services, run_socket_mode
from service.config import Settings
from service.slack.socket import run
from tests.conftest import ARTICLES, make_backend
from tests.fake_slack import TEAM, FakeSlack, async_wait_until, serve_slack

SEED = next(ARTICLES.glob("004*.txt")).read_text()
APP_TOKEN = "xapp-1-A1-SECRETAPPTOKEN"


def test_socket_mode_acknowledges_and_delivers_the_result(tmp_path: Path) -> None:
    with serve_slack(FakeSlack()) as slack:
        settings = Settings(
            cache_dir=tmp_path,
            slack_bot_token="xoxb-socket-test",
            slack_app_token=APP_TOKEN,
            slack_api_url=f"{slack.base}/api/",
            job_max_attempts=1,
        )
        services = build_services(settings, backend=make_backend(), min_workers=1)
        slack.socket_envelopes.append(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "command": "/summarize",
                    "text": SEED,
                    "response_url": slack.response_url("sock"),
                    "trigger_id": "trig-sock",
                    "team_id": TEAM,
                    "user_id": "UALICE",
                    "channel_id": "C1",
                },
            }
        )

        async def scenario() -> None:
            task = asyncio.create_task(run(services))
            try:
                acks = await async_wait_until(lambda: slack.socket_acks, 20)
                assert acks[0]["envelope_id"] == "env-1"
                assert "On it" in str(acks[0].get("payload"))
                await async_wait_until(lambda: slack.responses, 30)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        asyncio.run(scenario())
    opened = [auth for method, _args, auth in slack.calls if method == "apps.connections.open"]
    assert opened == [f"Bearer {APP_TOKEN}"]
    hook, body = slack.responses[0]
    assert hook == "sock" and "Claims" in str(body["blocks"])


def test_socket_mode_needs_an_app_token(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path, slack_bot_token="xoxb-x")
    with pytest.raises(ValueError, match="SLACK_APP_TOKEN"):
        run_socket_mode(settings)  # refused before anything is built


def test_the_slack_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SUMMARIZER_SLACK_APP_TOKEN", raising=False)
    http = CliRunner().invoke(app, ["slack"])
    assert http.exit_code == 2 and "/slack/events" in http.output
    socket = CliRunner().invoke(app, ["slack", "--socket"])
    assert socket.exit_code == 1 and "SUMMARIZER_SLACK_APP_TOKEN" in socket.output
