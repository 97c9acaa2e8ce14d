"""API keys and per-key limits, as one dependency on the /v1 routers.

Keys are `sk_sum_<id>_<secret>`, stored as a SHA-256 hash (they are random, so a fast hash
is enough) and compared in constant time. A verified key is remembered briefly so the hot
path does not query the store on every request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from service.errors import InputError
from service.store.keys import KeyRepo

KEY_CACHE_S = 30.0


class Unauthorized(InputError):
    code = "unauthorized"
    status = 401


class RateLimited(InputError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Bucket:
    tokens: float
    stamp: float


@dataclass
class Gate:
    """Per-process state: verified keys and token buckets (documented as per process)."""

    keys: KeyRepo
    require_key: bool
    per_minute: int
    _verified: dict[str, tuple[str | None, float]] = field(default_factory=dict)
    _buckets: dict[str, Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def verify(self, presented: str) -> str | None:
        digest = hashlib.sha256(presented.encode()).hexdigest()
        cached = self._remembered(digest)
        if cached is not None:
            return cached[0]
        key_id = self.keys.verify(presented)
        if len(self._verified) > 10_000:
            self._verified.clear()
        self._verified[digest] = (key_id, time.monotonic())
        return key_id

    def known_owner(self, presented: str | None) -> str | None:
        """The caller's key id ("" when anonymous) when it is admitted without a store
        query, else None: no key while one is required, or a key not verified recently.
        The full path decides those, with its error responses."""
        if presented:
            cached = self._remembered(hashlib.sha256(presented.encode()).hexdigest())
            return cached[0] if cached is not None else None
        return None if self.require_key else ""

    def _remembered(self, digest: str) -> tuple[str | None, float] | None:
        """The verdict on a key checked in the last KEY_CACHE_S (key id, or None: invalid)."""
        cached = self._verified.get(digest)
        if cached is None or time.monotonic() - cached[1] >= KEY_CACHE_S:
            return None
        return cached

    def take(self, owner: str) -> float:
        """0 when allowed, else seconds until a request would be."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        now = time.monotonic()
        with self._lock:
            b = self._buckets.setdefault(owner, Bucket(float(self.per_minute), now))
            b.tokens = min(float(self.per_minute), b.tokens + (now - b.stamp) * rate)
            b.stamp = now
            if b.tokens >= 1:
                b.tokens -= 1
                return 0.0
            return (1 - b.tokens) / rate


def bucket_owner(key_id: str, client: str) -> str:
    """Whose token bucket a request draws on: its key, or its address when anonymous."""
    return key_id or f"ip:{client}"


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    auth = authorization or ""
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return x_api_key


def _presented(request: Request) -> str | None:
    return presented_key(request.headers.get("authorization"), request.headers.get("x-api-key"))


async def caller(request: Request) -> str:
    """The caller's key id ("" when anonymous and keys are not required)."""
    gate: Gate = request.app.state.gate
    presented = _presented(request)
    if presented:
        key_id = await run_in_threadpool(gate.verify, presented)
        if key_id is None:
            raise Unauthorized("the API key is not valid")
        owner = key_id
    elif gate.require_key:
        raise Unauthorized("an API key is required: send `Authorization: Bearer <key>`")
    else:
        owner = ""
    wait = gate.take(bucket_owner(owner, request.client.host if request.client else "?"))
    if wait:
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None:
            metrics.rate_limited.inc()
        raise RateLimited("too many requests for this key", retry_after=max(1, round(wait)))
    return owner


Caller = Annotated[str, Depends(caller)]
