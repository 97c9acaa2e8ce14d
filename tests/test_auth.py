"""API keys (hashed at rest, constant-time check), per-key isolation and rate limits."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.cli import app as cli
from service.compose import build_api, build_services
from service.config import Settings
from service.store.store import Store
from tests.conftest import ARTICLES, make_backend

SEED = next(ARTICLES.glob("004*.txt")).read_text()


def client(settings: Settings) -> TestClient:
    return TestClient(build_api(build_services(settings, backend=make_backend()), warm=False))


def test_keys_are_required_when_configured_and_isolate_jobs(
    settings: Settings, database_url: str
) -> None:
    settings = settings.model_copy(
        update={"database_url": database_url, "require_api_key": True, "workers": 0}
    )
    store = Store(settings.db_url)
    store.migrate()
    alice, bob = store.keys.create("alice"), store.keys.create("bob")
    with client(settings) as c:
        missing = c.post("/v1/jobs", json={"articles": [{"text": SEED}]})
        wrong = c.get("/v1/jobs", headers={"Authorization": "Bearer sk_sum_0000_nope"})
        job = c.post(
            "/v1/jobs",
            json={"articles": [{"text": SEED}]},
            headers={"Authorization": f"Bearer {alice}"},
        ).json()
        mine = c.get(f"/v1/jobs/{job['id']}", headers={"X-API-Key": alice})
        theirs = c.get(f"/v1/jobs/{job['id']}", headers={"X-API-Key": bob})
        bobs_list = c.get("/v1/jobs", headers={"X-API-Key": bob}).json()["jobs"]
        health = c.get("/healthz")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    assert wrong.status_code == 401
    assert mine.status_code == 200
    assert theirs.status_code == 404 and bobs_list == []
    assert health.status_code == 200  # probes need no key
    # only a hash is stored
    with store.db.session() as s:
        from sqlalchemy import text

        stored = " ".join(str(r) for r in s.execute(text("SELECT * FROM api_keys")).all())
    secret = alice.removeprefix("sk_sum_").split("_", 1)[1]  # the secret may contain "_"
    assert alice not in stored and secret not in stored


def test_revoked_keys_stop_working(settings: Settings) -> None:
    store = Store(settings.db_url)
    store.migrate()
    key = store.keys.create("temp")
    key_id = key.split("_")[2]
    assert store.keys.verify(key) == key_id
    assert store.keys.revoke(key_id)
    assert store.keys.verify(key) is None
    assert store.keys.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_rate_limit_gives_429_with_retry_after(settings: Settings) -> None:
    settings = settings.model_copy(update={"rate_limit_per_minute": 3})
    with client(settings) as c:
        codes = [c.get("/v1/jobs").status_code for _ in range(4)]
        limited = c.get("/v1/jobs")
    assert codes == [200, 200, 200, 429]
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1


def test_keys_cli_creates_lists_and_revokes(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(settings.cache_dir))
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--name", "newsroom"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("sk_sum_")
    listed = runner.invoke(cli, ["keys", "list"]).stdout
    assert "newsroom" in listed and key not in listed
    key_id = key.split("_")[2]
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 0
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 1


def test_clients_cannot_set_notification_targets(settings: Settings) -> None:
    with client(settings) as c:
        r = c.post(
            "/v1/jobs",
            json={
                "articles": [{"text": SEED}],
                "notify": {"kind": "slack", "response_url": "http://x"},
            },
        )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
