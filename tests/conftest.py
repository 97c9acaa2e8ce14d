from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from service.config import Settings
from service.llm.backend import ChatModelBackend
from service.llm.factory import local_binder
from service.prompts import PromptLibrary
from tests.fakes import Responder, ScriptedChatModel, reader_responder

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "evals" / "data" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests never reach the network: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and not host.startswith("/")
        ):
            raise RuntimeError(f"network access attempted in a test: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def prompts() -> PromptLibrary:
    return PromptLibrary(ROOT / "prompts")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", max_attempts=3)


def make_backend(
    responder: Responder = reader_responder, *, context: int = 4096, attempts: int = 3
) -> ChatModelBackend:
    return ChatModelBackend(
        ScriptedChatModel(responder=responder),
        model_id="scripted:reader",
        context_tokens=context,
        binder=local_binder,
        max_attempts=attempts,
        sleep=lambda _s: None,
    )


@pytest.fixture
def backend() -> ChatModelBackend:
    return make_backend()


@pytest.fixture
def backend_factory() -> Callable[..., ChatModelBackend]:
    return make_backend


@pytest.fixture
def seed_text() -> Callable[[str], str]:
    def read(prefix: str) -> str:
        return next(ARTICLES.glob(f"{prefix}*.txt")).read_text()

    return read


@pytest.fixture(scope="session")
def seed_paths() -> Iterator[list[Path]]:
    yield sorted(ARTICLES.glob("*.txt"))


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def fresh_pg_database(prefix: str = "sumtest") -> Iterator[str]:
    """A new database on the real PostgreSQL, dropped afterwards; skips (or fails in CI)
    when the server is not reachable."""
    import os
    import uuid

    if not _pg_available():
        if os.environ.get("SUMMARIZER_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required (SUMMARIZER_REQUIRE_POSTGRES) but not reachable")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same tests on SQLite and on the real PostgreSQL (a fresh database per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with fresh_pg_database() as url:
        yield url
