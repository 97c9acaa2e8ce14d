"""Job rows and their state machine. Every transition is one conditional UPDATE, so two
workers can never both finish a job, and a dead worker's job can be taken over once its
heartbeat is stale.

queued -> running -> done | failed | dead      (failed: bad input, not retried)
             |-> retrying (run_after later) -> running ...
queued | retrying -> cancelled
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.store.tables import Job

ACTIVE = ("queued", "running", "retrying")
TERMINAL = ("done", "failed", "dead", "cancelled")


def _now() -> datetime:
    return datetime.now(UTC)


def _one(result: Any) -> bool:
    """Whether a conditional UPDATE hit exactly one row (it won the transition)."""
    return int(result.rowcount) == 1


def aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used with a different request body."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id


@dataclass(frozen=True)
class NewJob:
    id: str
    kind: str
    spec: dict[str, Any]
    owner: str
    request_hash: str
    max_attempts: int
    idempotency_key: str | None = None


class JobRepo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def create(self, new: NewJob) -> tuple[Job, bool]:
        """Insert, or return the job an earlier request with the same key created."""
        if new.idempotency_key:
            existing = self._by_key(new.owner, new.idempotency_key)
            if existing is not None:
                return self._same_request(existing, new), False
        now = _now()
        row = Job(
            id=new.id,
            kind=new.kind,
            status="queued",
            spec=new.spec,
            owner=new.owner,
            idempotency_key=new.idempotency_key,
            request_hash=new.request_hash,
            progress={"done": 0, "total": len(new.spec.get("articles", [])), "stage": "queued"},
            result=None,
            error=None,
            attempts=0,
            max_attempts=new.max_attempts,
            completions=0,
            run_after=now,
            created_at=now,
        )
        try:
            with self.sessions.begin() as s:
                s.add(row)
        except IntegrityError:
            # a concurrent retry with the same key got there first
            assert new.idempotency_key is not None
            existing = self._by_key(new.owner, new.idempotency_key)
            if existing is None:
                raise
            return self._same_request(existing, new), False
        return row, True

    @staticmethod
    def _same_request(existing: Job, new: NewJob) -> Job:
        if existing.request_hash != new.request_hash:
            raise IdempotencyConflict(existing.id)
        return existing

    def _by_key(self, owner: str, key: str) -> Job | None:
        with self.sessions() as s:
            return s.scalar(select(Job).where(Job.owner == owner, Job.idempotency_key == key))

    def get(self, job_id: str) -> Job | None:
        with self.sessions() as s:
            return s.get(Job, job_id)

    def search(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
    ) -> list[Job]:
        q = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
        if owner is not None:
            q = q.where(Job.owner == owner)
        if status:
            q = q.where(Job.status == status)
        if kind:
            q = q.where(Job.kind == kind)
        if before is not None:
            q = q.where(Job.created_at < before)
        with self.sessions() as s:
            return list(s.scalars(q).all())

    def count_active(self, owner: str) -> int:
        with self.sessions() as s:
            n = s.scalar(
                select(func.count())
                .select_from(Job)
                .where(Job.owner == owner, Job.status.in_(ACTIVE))
            )
            return int(n or 0)

    def depth(self) -> dict[str, int]:
        with self.sessions() as s:
            rows = s.execute(select(Job.status, func.count()).group_by(Job.status)).all()
            return {status: int(n) for status, n in rows}

    def stuck(self, stale_after_s: float) -> list[Job]:
        cutoff = _now() - timedelta(seconds=stale_after_s)
        with self.sessions() as s:
            q = select(Job).where(Job.status == "running", Job.heartbeat_at < cutoff)
            return list(s.scalars(q).all())

    # -- transitions ------------------------------------------------------------------

    def _claimable(self, stale_after_s: float) -> Any:
        now = _now()
        return or_(
            and_(Job.status.in_(("queued", "retrying")), Job.run_after <= now),
            and_(
                Job.status == "running",
                Job.heartbeat_at < now - timedelta(seconds=stale_after_s),
            ),
        )

    def claim(self, job_id: str, worker: str, stale_after_s: float) -> Job | None:
        now = _now()
        with self.sessions.begin() as s:
            res = s.execute(
                update(Job)
                .where(Job.id == job_id, self._claimable(stale_after_s))
                .values(
                    status="running",
                    worker=worker,
                    attempts=Job.attempts + 1,
                    heartbeat_at=now,
                    started_at=func.coalesce(Job.started_at, now),
                )
            )
            if not _one(res):
                return None
            return s.get(Job, job_id)

    def claim_next(self, worker: str, stale_after_s: float) -> Job | None:
        with self.sessions() as s:
            ids = s.scalars(
                select(Job.id)
                .where(self._claimable(stale_after_s))
                .order_by(Job.run_after, Job.created_at)
                .limit(8)
            ).all()
        for job_id in ids:
            job = self.claim(job_id, worker, stale_after_s)
            if job is not None:
                return job
        return None

    def next_due(self) -> datetime | None:
        with self.sessions() as s:
            return aware(
                s.scalar(
                    select(func.min(Job.run_after)).where(Job.status.in_(("queued", "retrying")))
                )
            )

    def _mine(self, job_id: str, worker: str) -> Any:
        return and_(Job.id == job_id, Job.status == "running", Job.worker == worker)

    def heartbeat(self, job_id: str, worker: str, progress: dict[str, Any] | None = None) -> bool:
        values: dict[str, Any] = {"heartbeat_at": _now()}
        if progress is not None:
            values["progress"] = progress
        with self.sessions.begin() as s:
            res = s.execute(update(Job).where(self._mine(job_id, worker)).values(**values))
            return _one(res)

    def finish(
        self,
        job_id: str,
        worker: str,
        status: str,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
        progress: dict[str, Any] | None = None,
    ) -> bool:
        """False when this worker no longer owns the job (it was taken over)."""
        assert status in ("done", "failed", "dead")
        values: dict[str, Any] = {
            "status": status,
            "result": result,
            "error": error,
            "finished_at": _now(),
            "completions": Job.completions + 1,
        }
        if progress is not None:
            values["progress"] = progress
        with self.sessions.begin() as s:
            res = s.execute(update(Job).where(self._mine(job_id, worker)).values(**values))
            return _one(res)

    def retry_later(self, job_id: str, worker: str, delay_s: float, error: dict[str, Any]) -> bool:
        with self.sessions.begin() as s:
            res = s.execute(
                update(Job)
                .where(self._mine(job_id, worker))
                .values(
                    status="retrying",
                    worker=None,
                    error=error,
                    run_after=_now() + timedelta(seconds=delay_s),
                )
            )
            return _one(res)

    def release(self, job_id: str, worker: str) -> bool:
        """Give a running job back to the queue (graceful shutdown); the attempt is not counted."""
        with self.sessions.begin() as s:
            res = s.execute(
                update(Job)
                .where(self._mine(job_id, worker))
                .values(status="queued", worker=None, attempts=Job.attempts - 1, run_after=_now())
            )
            return _one(res)

    def cancel(self, job_id: str) -> bool:
        with self.sessions.begin() as s:
            res = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.status.in_(("queued", "retrying")))
                .values(status="cancelled", finished_at=_now())
            )
            return _one(res)

    def find(self, owner: str, idempotency_key: str) -> Job | None:
        return self._by_key(owner, idempotency_key)

    def claimable_ids(self, stale_after_s: float, limit: int = 100) -> list[str]:
        with self.sessions() as s:
            q = select(Job.id).where(self._claimable(stale_after_s)).limit(limit)
            return list(s.scalars(q).all())
