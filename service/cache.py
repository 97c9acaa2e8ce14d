"""The result cache: three layers in front of the model, one object that counts its hits.

1. request bodies: the raw bytes of a request the API answered -> its request key (the fast
   path reads this before any parsing);
2. memory: recent results by request key, serialised once (no cleaning, no database);
3. store: every result by (cleaned-article hash, variant key), shared by all processes.

A request is counted once, by the layer that answers it, or as a miss when the model does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.pipeline.models import SummaryResult

if TYPE_CHECKING:
    from service.metrics import Metrics
    from service.store.results import ResultRepo

RECENT_RESULTS = 256
KNOWN_BODIES = 4096


@dataclass(frozen=True)
class StoredKey:
    """Where a result lives in the store: the cleaned article's hash and the variant
    (config key, max_words, title, outlet) that decided the result."""

    article_hash: str
    variant: str


class ResultCache:
    def __init__(self, results: ResultRepo | None = None, metrics: Metrics | None = None) -> None:
        self.results = results
        self.metrics = metrics
        self._memory: OrderedDict[str, tuple[SummaryResult, bytes]] = OrderedDict()
        self._bodies: OrderedDict[bytes, str] = OrderedDict()  # raw request digest -> key
        self._lock = threading.Lock()

    # -- layer 1: request bodies ---------------------------------------------------------

    def key_for_body(self, digest: bytes) -> str | None:
        with self._lock:
            key = self._bodies.get(digest)
            if key is not None:
                self._bodies.move_to_end(digest)
            return key

    def learn_body(self, digest: bytes, key: str) -> None:
        with self._lock:
            self._bodies[digest] = key
            while len(self._bodies) > KNOWN_BODIES:
                self._bodies.popitem(last=False)

    # -- layer 2: memory -----------------------------------------------------------------

    def _recent(self, key: str) -> tuple[SummaryResult, bytes] | None:
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
            return hit

    def recent(self, key: str) -> SummaryResult | None:
        hit = self._recent(key)
        if hit is None:
            return None
        self._count("memory")
        return hit[0]

    def recent_json(self, key: str, admit: Callable[[], bool] = lambda: True) -> bytes | None:
        """The serialised result of an identical recent request, or None. Cheap: no cleaning.

        A hit is counted only when `admit()` lets it be served (the fast path spends the
        caller's token there). A miss is not counted: the store or the model still answers.
        """
        hit = self._recent(key)
        if hit is None or not admit():
            return None
        self._count("memory")
        return hit[1]

    def remember(self, key: str, result: SummaryResult) -> None:
        encoded = result.model_dump_json().encode()
        with self._lock:
            self._memory[key] = (result, encoded)
            while len(self._memory) > RECENT_RESULTS:
                self._memory.popitem(last=False)

    # -- layer 3: store ------------------------------------------------------------------

    @property
    def has_store(self) -> bool:
        return self.results is not None

    def stored(self, where: StoredKey) -> dict[str, Any] | None:
        if self.results is None:
            return None
        found = self.results.get(where.article_hash, where.variant)
        if found is not None:
            self._count("store")
        return found

    def save(self, where: StoredKey, article: dict[str, Any], result: SummaryResult) -> None:
        if self.results is None:
            return
        self.results.put(
            article,
            where.article_hash,
            where.variant,
            result.provenance.model,
            result.provenance.prompt_versions,
            result.model_dump(mode="json"),
        )

    # -- counting ------------------------------------------------------------------------

    def missed(self) -> None:
        """No layer had it: the model answers this request."""
        self._count(None)

    def _count(self, layer: str | None) -> None:
        if self.metrics is None:
            return
        if layer is None:
            self.metrics.cache_misses.inc()
        else:
            self.metrics.cache_hits.labels(layer=layer).inc()
