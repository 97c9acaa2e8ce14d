"""A response cache in front of any backend: the same (model, prompt version, schema,
messages) is answered from disk. The eval runner uses it so re-scoring a run is free."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from service.llm.backend import Backend
from service.llm.calls import CallUsage, Generation, Probability


def cache_key(
    model: str, prompt_version: str, schema: dict[str, Any], messages: list[BaseMessage], salt: str
) -> str:
    payload = json.dumps(
        {
            "model": model,
            "prompt_version": prompt_version,
            "schema": schema,
            "messages": [[m.type, str(m.content)] for m in messages],
            "salt": salt,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


class CachingBackend:
    """Wraps a backend; `salt` separates deliberate re-runs (eval repeats) from replays."""

    def __init__(
        self, inner: Backend, directory: Path, salt: str = "", stats: CacheStats | None = None
    ) -> None:
        self.inner = inner
        self.directory = directory
        self.salt = salt
        self.stats = stats or CacheStats()  # shared by every salted view of this cache
        self.local = CacheStats()  # this view's own, e.g. one eval case

    @property
    def hits(self) -> int:
        return self.stats.hits

    @property
    def misses(self) -> int:
        return self.stats.misses

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def context_tokens(self) -> int:
        return self.inner.context_tokens

    def ready(self) -> bool:
        return self.inner.ready()

    def load(self) -> None:
        self.inner.load()

    def prime(self, system: str) -> None:
        self.inner.prime(system)

    def with_salt(self, salt: str) -> CachingBackend:
        return CachingBackend(self.inner, self.directory, salt, self.stats)

    def generate(
        self,
        messages: list[BaseMessage],
        *,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
        label: str,
        prompt_version: str,
    ) -> Generation:
        path = self._path(prompt_version, schema, messages)
        stored = self._read(path)
        if stored is not None:
            usage = CallUsage(**stored["usage"])
            usage.label = label
            return Generation(
                data=stored["data"], text=stored["text"], usage=usage, meta={"cached": True}
            )
        gen = self.inner.generate(
            messages,
            schema=schema,
            schema_name=schema_name,
            max_tokens=max_tokens,
            label=label,
            prompt_version=prompt_version,
        )
        _write(path, {"data": gen.data, "text": gen.text, "usage": gen.usage.__dict__})
        return gen

    def yes_probability(
        self, messages: list[BaseMessage], *, label: str, prompt_version: str
    ) -> Probability:
        schema = {"answer": "yes-probability"}  # keeps these keys apart from JSON calls
        path = self._path(prompt_version, schema, messages)
        stored = self._read(path)
        if stored is not None:
            usage = CallUsage(**stored["usage"])
            usage.label = label
            return Probability(float(stored["probability"]), usage)
        result = self.inner.yes_probability(messages, label=label, prompt_version=prompt_version)
        _write(path, {"probability": result.probability, "usage": result.usage.__dict__})
        return result

    def _path(
        self, prompt_version: str, schema: dict[str, Any], messages: list[BaseMessage]
    ) -> Path:
        key = cache_key(self.model_id, prompt_version, schema, messages, self.salt)
        return self.directory / key[:2] / f"{key}.json"

    def _read(self, path: Path) -> dict[str, Any] | None:
        """The stored answer, counting the hit or the miss in this view and the shared stats."""
        if path.exists():
            self.stats.hits += 1
            self.local.hits += 1
            stored: dict[str, Any] = json.loads(path.read_text())
            return stored
        self.stats.misses += 1
        self.local.misses += 1
        return None


def _write(path: Path, payload: dict[str, Any]) -> None:
    """Written aside and renamed, so a concurrent reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload))
    tmp.replace(path)
