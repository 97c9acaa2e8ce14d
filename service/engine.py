"""The application's one entry to the pipeline: settings -> backend + prompts -> results.

API handlers, the CLI and (later) workers all go through this, so a text article gives the
same claims whichever door it came in by.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from service.config import Settings
from service.llm.backend import Backend
from service.pipeline.models import SummaryResult
from service.pipeline.run import ArticleInput, summarize_article
from service.prompts import PromptLibrary


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
        return summarize_article(
            article, self.backend, self.prompts, window_sentences=self.settings.window_sentences
        )
