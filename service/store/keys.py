"""API keys: `sk_sum_<id>_<secret>`, stored as a SHA-256 hash and shown once when created."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.store.db import now
from service.store.tables import ApiKey

KEY_PREFIX = "sk_sum_"


class KeyRepo:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def create(self, name: str) -> str:
        """Return the new key once; only its hash is kept."""
        key_id = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(24)}"
        with self.sessions.begin() as s:
            s.add(ApiKey(id=key_id, name=name, secret_hash=_hash(key), created_at=now()))
        return key

    def verify(self, presented: str) -> str | None:
        """The key's id when valid. The hash comparison is constant-time."""
        parts = presented.removeprefix(KEY_PREFIX).split("_", 1)
        if not presented.startswith(KEY_PREFIX) or len(parts) != 2:
            return None
        with self.sessions.begin() as s:
            row = s.get(ApiKey, parts[0])
            expected = row.secret_hash if row and row.revoked_at is None else _hash("")
        ok = hmac.compare_digest(expected, _hash(presented))
        return parts[0] if ok and row is not None and row.revoked_at is None else None

    def list(self) -> list[dict[str, Any]]:
        with self.sessions.begin() as s:
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

    def revoke(self, key_id: str) -> bool:
        with self.sessions.begin() as s:
            row = s.get(ApiKey, key_id)
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = now()
            return True

    def any_active(self) -> bool:
        with self.sessions.begin() as s:
            return (
                s.scalar(select(ApiKey.id).where(ApiKey.revoked_at.is_(None)).limit(1)) is not None
            )


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
