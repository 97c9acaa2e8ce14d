from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.compose import build_api, build_services
from service.config import Settings
from tests.conftest import ARTICLES, make_backend

SEEDS = sorted(ARTICLES.glob("*.txt"))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(build_api(build_services(settings, backend=make_backend()), warm=False)) as c:
        yield c


def test_story_of_the_seeds_has_the_documented_shape(client: TestClient) -> None:
    articles = [{"text": p.read_text(), "outlet": p.stem[:3]} for p in SEEDS]
    r = client.post("/v1/stories", json={"articles": articles})
    assert r.status_code == 200, r.text
    story = r.json()
    assert {
        "entities",
        "clusters",
        "single_source",
        "discrepancies",
        "summary",
        "origins",
        "results",
    } <= set(story)
    assert [a["id"] for a in story["articles"]] == ["000", "001", "002", "003", "004"]
    for entity in story["entities"]:
        assert {"id", "name", "aliases"} <= set(entity)
    for cluster in story["clusters"]:
        assert cluster["support"] >= 2 and cluster["independent_support"] <= cluster["support"]
        for support in cluster["articles"]:
            text = SEEDS[int(support["article"])].read_text()
            for span in support["evidence"]:
                assert text[span["start"] : span["end"]] == span["quote"]
    bloomberg = next(o for o in story["origins"] if o["id"] == "interview:bloomberg")
    assert bloomberg["articles"] == ["001", "004"]
    assert len(story["results"]) == 5


def test_story_needs_two_articles_and_valid_ones(client: TestClient) -> None:
    one = client.post("/v1/stories", json={"articles": [{"text": "A sentence here."}]})
    assert one.status_code == 422 and one.json()["error"]["code"] == "invalid_request"
    empty = client.post(
        "/v1/stories", json={"articles": [{"text": "Fine text here."}, {"text": "   "}]}
    )
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "empty_article"


def test_story_reuses_the_per_article_results(settings: Settings) -> None:
    backend = make_backend()
    with TestClient(build_api(build_services(settings, backend=backend), warm=False)) as c:
        texts = [SEEDS[2].read_text(), SEEDS[4].read_text()]
        for t in texts:
            assert c.post("/v1/summaries", json={"text": t}).status_code == 200
        calls = len(backend._chat.calls)  # type: ignore[attr-defined]
        assert (
            c.post("/v1/stories", json={"articles": [{"text": t} for t in texts]}).status_code
            == 200
        )
        assert len(backend._chat.calls) == calls  # type: ignore[attr-defined]


def test_cli_story_json(monkeypatch: pytest.MonkeyPatch) -> None:
    import service.engine as engine_module
    from service.cli import app

    real_init = engine_module.Engine.__init__

    def with_fake(self, settings, **kwargs):
        real_init(self, settings, **(kwargs | {"backend": make_backend()}))

    monkeypatch.setattr(engine_module.Engine, "__init__", with_fake)
    result = CliRunner().invoke(app, ["story", str(SEEDS[1]), str(SEEDS[4]), "--json"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    assert {"entities", "clusters", "single_source", "discrepancies", "summary"} <= set(story)
    assert "results" not in story
    one = CliRunner().invoke(app, ["story", str(SEEDS[1])])
    assert one.exit_code == 2


def test_story_bodies_are_capped_and_keys_checked_before_reading(settings: Settings) -> None:
    settings = settings.model_copy(
        update={"require_api_key": True, "max_input_bytes": 20_000, "sync_max_bytes": 8_000}
    )
    from service.store.store import Store

    store = Store(settings.db_url)
    store.migrate()
    key = store.keys.create("desk")
    auth = {"Authorization": f"Bearer {key}"}
    articles = [{"text": p.read_text()} for p in SEEDS]
    app = build_api(build_services(settings, backend=make_backend()), warm=False)
    with TestClient(app) as c:
        # without a key: refused on the headers, whatever the body
        anonymous = c.post("/v1/stories", content=b"x" * 40_000)
        huge = c.post("/v1/stories", json={"articles": articles * 2}, headers=auth)
        slow = c.post("/v1/stories", json={"articles": articles[:4]}, headers=auth)
        broken = c.post("/v1/stories", content=b"{", headers=auth)
        fine = c.post("/v1/stories", json={"articles": articles[2:4]}, headers=auth)
    assert anonymous.status_code == 401
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "input_too_large"
    assert slow.status_code == 413 and slow.json()["error"]["code"] == "use_jobs"
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
    assert fine.status_code == 200, fine.text
