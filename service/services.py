"""The record of a serving process's long-lived objects, as the composition root
(service/compose.py) builds them: what the front doors are handed. Below the front doors,
so they can name it without importing the root that wires them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from service.cache import ResultCache
from service.config import Settings
from service.engine import Engine
from service.jobs.service import JobService, Notifier
from service.metrics import Metrics
from service.store.store import Store

Nightly = Callable[[int], bool]  # the nightly eval: run at a timestamp, True when it passed


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    metrics: Metrics
    cache: ResultCache
    engine: Engine
    jobs: JobService
    notifiers: Mapping[str, Notifier]
    nightly: Nightly
