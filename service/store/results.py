"""Stored results, keyed by (cleaned-article hash, config key): the same article with the
same prompt versions and model is never paid for twice, whichever process or door asked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.store.db import now
from service.store.tables import Article, Result


class ResultRepo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, article_hash: str, config_key: str) -> dict[str, Any] | None:
        with self.sessions.begin() as s:
            row: dict[str, Any] | None = s.scalar(
                select(Result.result).where(
                    Result.article_hash == article_hash, Result.config_key == config_key
                )
            )
            return row

    def put(
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
            with self.sessions.begin() as s:
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
