"""Reader verdicts on claims (from Slack), and the eval runs recorded by the nightly task."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.store.db import now
from service.store.tables import EvalRun, Flag


class FlagRepo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def add(
        self,
        *,
        article_text: str,
        claim: dict[str, Any],
        verdict: str,
        job_id: str | None = None,
        user: str | None = None,
        note: str | None = None,
    ) -> int:
        with self.sessions.begin() as s:
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

    def list(self) -> list[dict[str, Any]]:
        with self.sessions.begin() as s:
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


class EvalRunRepo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def record(
        self, run_id: str, started_at: datetime, passed: bool | None, report: dict[str, Any]
    ) -> None:
        with self.sessions.begin() as s:
            s.merge(
                EvalRun(
                    id=run_id,
                    started_at=started_at,
                    finished_at=now(),
                    passed=passed,
                    report=report,
                )
            )
