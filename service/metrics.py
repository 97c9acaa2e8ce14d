"""Prometheus metrics, one registry per `Metrics` object.

Never the global default registry: tests build many apps in one process, and a worker
process serves its own registry on its own port.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from threading import Lock

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# From a cached 1 ms answer to a 300 s model-bound request (an article takes 70-110 s on CPU).
LATENCY_BUCKETS = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 180.0, 300.0,
)  # fmt: skip

DepthSource = Callable[[], dict[str, int]]


class _DepthCollector(Collector):
    """Queue depth read at scrape time, so it is never stale and costs nothing in between."""

    NAME = "summarizer_queue_depth"
    HELP = "Jobs in the queue by status, read at scrape time"

    def __init__(self) -> None:
        self._source: DepthSource | None = None
        self._lock = Lock()

    def set_source(self, source: DepthSource | None) -> None:
        with self._lock:
            self._source = source

    def describe(self) -> Iterable[Metric]:
        # Declared so registering does not call collect() (and the source) up front.
        return [GaugeMetricFamily(self.NAME, self.HELP, labels=["status"])]

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(self.NAME, self.HELP, labels=["status"])
        with self._lock:
            source = self._source
        if source is not None:
            try:
                depths = source()
                for status, count in sorted(depths.items()):
                    family.add_metric([str(status)], float(count))
            except Exception:
                # A database hiccup must not take every other metric down with it: the
                # gauge is simply absent from this scrape.
                log.warning("queue depth source failed; omitted from this scrape", exc_info=True)
                family = GaugeMetricFamily(self.NAME, self.HELP, labels=["status"])
        return [family]


class Metrics:
    """Every metric the service exports. Create one per app or worker process."""

    def __init__(self, namespace: str = "summarizer", depth: DepthSource | None = None) -> None:
        self.registry = CollectorRegistry()
        r, ns = self.registry, namespace
        self.requests = Counter(
            "http_requests", "HTTP requests", ["method", "route", "status"], namespace=ns,
            registry=r,
        )  # fmt: skip
        self.latency = Histogram(
            "http_request_duration_seconds", "HTTP request latency", ["method", "route"],
            namespace=ns, registry=r, buckets=LATENCY_BUCKETS,
        )  # fmt: skip
        self.model_tokens = Counter(
            "model_tokens", "Model tokens by kind (prompt, completion, cached)", ["kind"],
            namespace=ns, registry=r,
        )  # fmt: skip
        self.model_seconds = Counter(
            "model_seconds", "Wall time spent in model calls", namespace=ns, registry=r
        )
        self.model_calls = Counter(
            "model_calls", "Model calls by outcome", ["outcome"], namespace=ns, registry=r
        )
        self.cache_hits = Counter(
            "cache_hits", "Result cache hits by layer (memory, store)", ["layer"],
            namespace=ns, registry=r,
        )  # fmt: skip
        self.cache_misses = Counter("cache_misses", "Result cache misses", namespace=ns, registry=r)
        self.jobs_finished = Counter(
            "jobs_finished", "Jobs finished by final status", ["status"], namespace=ns,
            registry=r,
        )  # fmt: skip
        self.rate_limited = Counter(
            "rate_limited", "Requests refused by the rate limiter", namespace=ns, registry=r
        )
        self._depth = _DepthCollector()
        self._depth.set_source(depth)
        self.registry.register(self._depth)

    def set_depth_source(self, fn: DepthSource | None) -> None:
        """`fn()` returns {status: count}; it is called on every scrape, from the scraping
        thread (a threadpool thread for /metrics), so it may block briefly on a database."""
        self._depth.set_source(fn)

    def render(self) -> tuple[bytes, str]:
        """The exposition payload and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def serve(self, port: int, addr: str = "0.0.0.0") -> None:
        """Expose this registry on `port` from a daemon thread (for worker processes)."""
        start_http_server(port, addr=addr, registry=self.registry)
