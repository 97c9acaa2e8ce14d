"""One storage interface over SQLAlchemy 2: SQLite by default, PostgreSQL by URL.

Results are keyed by (cleaned-article hash, config key), so the same article with the same
prompt versions and model is never paid for twice, whichever process or door asked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.store.jobrepo import JobRepo
from service.store.tables import ApiKey, Article, EvalRun, Flag, Result

KEY_PREFIX = "sk_sum_"


def now() -> datetime:
    return datetime.now(UTC)


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 here; SQLite needs no driver name."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers (API) and the writer (worker) overlap; busy_timeout waits out locks.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite and self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if not self.is_sqlite:
            kwargs.update(pool_size=10, max_overflow=20)
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.jobs = JobRepo(self.sessions)

    def migrate(self) -> None:
        from service.store.migrate import upgrade

        upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions.begin() as s:
            yield s

    # -- articles and results ---------------------------------------------------------

    def get_result(self, article_hash: str, config_key: str) -> dict[str, Any] | None:
        with self.session() as s:
            row = s.scalar(
                select(Result.result).where(
                    Result.article_hash == article_hash, Result.config_key == config_key
                )
            )
            return row

    def put_result(
        self,
        article: dict[str, Any],
        article_hash: str,
        config_key: str,
        model: str,
        prompt_versions: dict[str, str],
        result: dict[str, Any],
    ) -> None:
        """Store once; a concurrent writer of the same result wins and ours is dropped."""
        try:
            with self.session() as s:
                if s.get(Article, article_hash) is None:
                    s.add(
                        Article(
                            hash=article_hash,
                            text=article.get("text"),
                            html=article.get("html"),
                            title=article.get("title"),
                            url=article.get("url"),
                            created_at=now(),
                        )
                    )
                    s.flush()
                s.add(
                    Result(
                        article_hash=article_hash,
                        config_key=config_key,
                        model=model,
                        prompt_versions=prompt_versions,
                        result=result,
                        created_at=now(),
                    )
                )
        except IntegrityError:
            pass  # the same article and config were stored by another worker meanwhile

    # -- API keys ---------------------------------------------------------------------

    def create_key(self, name: str) -> str:
        """Return the new key once; only its hash is kept."""
        key_id = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(24)}"
        with self.session() as s:
            s.add(ApiKey(id=key_id, name=name, secret_hash=_hash(key), created_at=now()))
        return key

    def verify_key(self, presented: str) -> str | None:
        """The key's id when valid. The hash comparison is constant-time."""
        parts = presented.removeprefix(KEY_PREFIX).split("_", 1)
        if not presented.startswith(KEY_PREFIX) or len(parts) != 2:
            return None
        with self.session() as s:
            row = s.get(ApiKey, parts[0])
            expected = row.secret_hash if row and row.revoked_at is None else _hash("")
        ok = hmac.compare_digest(expected, _hash(presented))
        return parts[0] if ok and row is not None and row.revoked_at is None else None

    def list_keys(self) -> list[dict[str, Any]]:
        with self.session() as s:
            rows = s.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
            return [
                {
                    "id": r.id,
                    "name": r.name,
                    "created_at": r.created_at,
                    "revoked": bool(r.revoked_at),
                }
                for r in rows
            ]

    def revoke_key(self, key_id: str) -> bool:
        with self.session() as s:
            row = s.get(ApiKey, key_id)
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = now()
            return True

    def has_keys(self) -> bool:
        with self.session() as s:
            return (
                s.scalar(select(ApiKey.id).where(ApiKey.revoked_at.is_(None)).limit(1)) is not None
            )

    # -- flags (reader verdicts) and eval runs ----------------------------------------

    def add_flag(
        self,
        *,
        article_text: str,
        claim: dict[str, Any],
        verdict: str,
        job_id: str | None = None,
        user: str | None = None,
        note: str | None = None,
    ) -> int:
        with self.session() as s:
            flag = Flag(
                job_id=job_id,
                article_hash=hashlib.sha256(article_text.encode()).hexdigest(),
                article_text=article_text,
                claim_id=str(claim.get("id", "")),
                claim=claim,
                verdict=verdict,
                user=user,
                note=note,
                created_at=now(),
            )
            s.add(flag)
            s.flush()
            return flag.id

    def list_flags(self) -> list[dict[str, Any]]:
        with self.session() as s:
            rows = s.scalars(select(Flag).order_by(Flag.id)).all()
            return [
                {
                    "id": r.id,
                    "job_id": r.job_id,
                    "article_hash": r.article_hash,
                    "article_text": r.article_text,
                    "claim": r.claim,
                    "verdict": r.verdict,
                    "user": r.user,
                    "note": r.note,
                    "created_at": r.created_at,
                }
                for r in rows
            ]

    def record_eval_run(
        self, run_id: str, started_at: datetime, passed: bool | None, report: dict[str, Any]
    ) -> None:
        with self.session() as s:
            s.merge(
                EvalRun(
                    id=run_id,
                    started_at=started_at,
                    finished_at=now(),
                    passed=passed,
                    report=report,
                )
            )


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
