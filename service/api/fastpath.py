"""Answers the two hot requests before FastAPI routes, parses and validates them.

Under load two requests dominate: repeats of a recently summarised article, and job
submissions from a key whose queue is full. Through the full stack each costs about a
millisecond of CPU (routing, dependencies, JSON and pydantic parsing), which caps one event
loop near 800 requests a second. Here both are answered from memory, with the same checks:

- the caller must be admitted without a store query (no key needed, or a key verified in
  the last seconds) and its token bucket must have a token;
- a summary is served only for a byte-identical request (body, content type, query) that
  the full path answered with 200, and only while the engine still holds its result;
- a job submission is refused only while the key is known full (`JobService.known_full`),
  and never when it carries an Idempotency-Key: a replay must reach its job.

Anything else goes on to the full path unchanged (a body read here is replayed to it), so
errors keep their usual responses. Request ids, metrics and the access log are added by the
middleware outside this one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.auth import Gate, bucket_owner, presented_key
from service.cache import ResultCache
from service.http_errors import error_response
from service.services import Services

SUMMARIES = "/v1/summaries"
JOBS = "/v1/jobs"
# The full path writes the engine's request key here when it answers a summary with 200.
SLOT = "summarizer.summary_key"


class FastPath:
    def __init__(self, app: ASGIApp, services: Services, gate: Gate) -> None:
        self.app = app
        self.services = services
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            if scope["path"] == SUMMARIES:
                await self._summary(scope, receive, send)
                return
            if scope["path"] == JOBS and await self._refuse_job(scope, receive, send):
                return
        await self.app(scope, receive, send)

    async def _summary(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        length = headers.get(b"content-length", b"")
        if not length.isdigit() or int(length) > self.services.settings.sync_max_bytes:
            await self.app(scope, receive, send)  # the full path streams and caps it
            return
        body, tail = await _read_body(receive)
        digest = hashlib.sha256(
            b"\0".join((headers.get(b"content-type", b""), scope["query_string"], body))
        ).digest()
        cache = self.services.cache
        key = cache.key_for_body(digest)
        cached = self._from_memory(scope, headers, cache, key) if tail is None else None
        if cached is not None:
            scope["route"] = Matched(SUMMARIES)
            await Response(cached, media_type="application/json")(scope, receive, send)
            return
        slot: dict[str, str] = {}
        scope[SLOT] = slot
        await self.app(scope, _replay(body, tail, receive), send)
        if "key" in slot:
            cache.learn_body(digest, slot["key"])

    def _from_memory(
        self, scope: Scope, headers: dict[bytes, bytes], cache: ResultCache, key: str | None
    ) -> bytes | None:
        """The engine's result for a known request body, when the caller may have it now."""
        owner = self.gate.known_owner(_key(headers)) if key is not None else None
        if key is None or owner is None:
            return None
        # A token is spent only on a request answered here: an evicted result goes to the
        # full path, which takes the token itself (and the cache counts only what is served).
        return cache.recent_json(key, admit=lambda: self._spend(scope, owner))

    async def _refuse_job(self, scope: Scope, receive: Receive, send: Send) -> bool:
        headers = _headers(scope)
        if b"idempotency-key" in headers:
            return False
        owner = self.gate.known_owner(_key(headers))
        if owner is None:
            return False
        refusal = self.services.jobs.known_full(owner)
        if refusal is None or not self._spend(scope, owner):
            return False
        await _read_body(receive)  # drained, so the connection can be reused
        scope["route"] = Matched(JOBS)
        response = error_response(
            refusal.status,
            refusal.code,
            refusal.message,
            headers={"Retry-After": str(refusal.retry_after)},
        )
        await response(scope, receive, send)
        return True

    def _spend(self, scope: Scope, owner: str) -> bool:
        """Take the caller's token. A refused token is not spent, so the full path can refuse
        the request again, with its error response."""
        return not self.gate.take(bucket_owner(owner, _client(scope)))


@dataclass(frozen=True)
class Matched:
    """Stands for the route the full path would match, so metrics label the request alike."""

    path: str


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope["headers"])


def _key(headers: dict[bytes, bytes]) -> str | None:
    def text(name: bytes) -> str | None:
        value = headers.get(name)
        return value.decode("latin-1") if value is not None else None

    return presented_key(text(b"authorization"), text(b"x-api-key"))


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


async def _read_body(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole body, and the message that interrupted it (a disconnect) if any."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, tail: Message | None, receive: Receive) -> Receive:
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    if tail is not None:
        pending.append(tail)

    async def again() -> Message:
        return pending.pop(0) if pending else await receive()

    return again
