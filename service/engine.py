"""The application's one entry to the pipeline: settings -> backend + prompts -> results.

API handlers, the CLI and (later) workers all go through this, so a text article gives the
same claims whichever door it came in by.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict

from service.config import Settings
from service.llm.backend import Backend
from service.pipeline.models import SummaryResult
from service.pipeline.run import ArticleInput, summarize_article
from service.prompts import PromptLibrary

RECENT_RESULTS = 64


class Engine:
    def __init__(
        self,
        settings: Settings,
        backend: Backend | None = None,
        progress: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.settings = settings
        self.prompts = PromptLibrary(settings.prompts_dir, settings.prompt_versions)
        self._backend = backend
        self._progress = progress
        self._lock = threading.Lock()
        self.load_error: Exception | None = None
        # Recent results by input: the web page summarises articles one by one (to show
        # progress) and then asks for the story of the same articles.
        self._recent: OrderedDict[str, SummaryResult] = OrderedDict()
        self._recent_lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                from service.llm.factory import build_backend

                self._backend = build_backend(self.settings)
            return self._backend

    def warm(self) -> None:
        """Build the backend and load the model now rather than on the first request."""
        try:
            self._progress("loading model…")
            self.backend.load()
        except Exception as exc:  # reported by /readyz; never crash the server thread
            self.load_error = exc

    def ready(self) -> bool:
        return self._backend is not None and self.load_error is None and self._backend.ready()

    def summarize(self, article: ArticleInput) -> SummaryResult:
        key = hashlib.sha256(json.dumps(asdict(article), sort_keys=True).encode()).hexdigest()
        with self._recent_lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        result = summarize_article(
            article, self.backend, self.prompts, window_sentences=self.settings.window_sentences
        )
        with self._recent_lock:
            self._recent[key] = result
            while len(self._recent) > RECENT_RESULTS:
                self._recent.popitem(last=False)
        return result
