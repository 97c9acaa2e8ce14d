"""The application's one entry to the pipeline: settings -> backend + prompts -> results.

API handlers, the CLI and workers all go through this, so a text article gives the same
claims whichever door it came in by, and a stored result is reused by all of them.

Results are cached in two layers: recent responses in memory by the exact request (no
cleaning, no database: the hot path for repeated requests), and every result in the store
by (cleaned-article hash, config key), shared by all processes and machines.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from service.config import Settings
from service.llm.backend import Backend
from service.pipeline.check import CHECK_PROMPT, Checker, load_checker
from service.pipeline.clean import CleanDoc
from service.pipeline.context import PREFIX
from service.pipeline.models import SummaryResult
from service.pipeline.rebase import rebase
from service.pipeline.run import PIPELINE_VERSION, ArticleInput, clean, outlet_of, summarize_article
from service.prompts import PromptLibrary

if TYPE_CHECKING:
    from service.metrics import Metrics
    from service.store.store import Store

RECENT_RESULTS = 256
PIPELINE_PROMPTS = ("article", "extract", "locate", "summarize", "summarize_claims")


class Engine:
    def __init__(
        self,
        settings: Settings,
        backend: Backend | None = None,
        progress: Callable[[str], None] = lambda _m: None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings
        self.prompts = PromptLibrary(settings.prompts_dir, settings.prompt_versions)
        self.store = store
        self.metrics: Metrics | None = None
        self._backend = backend
        self._progress = progress
        self._lock = threading.Lock()
        self.load_error: Exception | None = None
        self._recent: OrderedDict[str, tuple[SummaryResult, bytes]] = OrderedDict()
        self._recent_lock = threading.Lock()
        self._config_key: str | None = None
        self._checker: Checker | None = None

    @property
    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                from service.llm.factory import build_backend

                self._backend = build_backend(self.settings)
            return self._backend

    @property
    def checker(self) -> Checker | None:
        """The faithfulness checker when the settings turn it on."""
        if not self.settings.check_faithfulness:
            return None
        if self._checker is None:
            self._checker = load_checker(
                self.backend.model_id, self.prompts, self.settings.check_threshold
            )
        return self._checker

    def warm(self) -> None:
        """Build the backend and load the model now rather than on the first request."""
        try:
            self._progress("loading model…")
            self.backend.load()
            self.backend.prime(self.prompts.get(PREFIX).system or "")
        except Exception as exc:  # reported by /readyz; never crash the server thread
            self.load_error = exc

    def ready(self) -> bool:
        return self._backend is not None and self.load_error is None and self._backend.ready()

    def config_key(self) -> str:
        """Everything besides the article that decides a result: prompts, model, pipeline."""
        if self._config_key is None:
            prompts = {n: self.prompts.get(n).sha256 for n in PIPELINE_PROMPTS}
            checker = self.checker
            blob = json.dumps(
                {"prompts": prompts, "model": self.backend.model_id, "pipeline": PIPELINE_VERSION}
                | (
                    {"check": [self.prompts.get(CHECK_PROMPT).sha256, checker.threshold]}
                    if checker
                    else {}
                ),
                sort_keys=True,
            )
            self._config_key = hashlib.sha256(blob.encode()).hexdigest()
        return self._config_key

    def request_key(self, article: ArticleInput) -> str:
        """Identifies a request within this engine (whose prompts and model are fixed)."""
        blob = json.dumps(asdict(article), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def recent_json(self, key: str, *, count: bool = True) -> bytes | None:
        """The serialised result of an identical recent request, or None. Cheap: no cleaning.

        A hit is counted unless `count` is False (the caller counts it once it serves it).
        A miss is not: the store or the model still answers it, and `summarize` counts that.
        """
        with self._recent_lock:
            hit = self._recent.get(key)
            if hit is not None:
                self._recent.move_to_end(key)
        if hit is None:
            return None
        if count:
            self.count_cache("memory")
        return hit[1]

    def summarize(self, article: ArticleInput) -> SummaryResult:
        key = self.request_key(article)
        with self._recent_lock:
            hit = self._recent.get(key)
        if hit is not None:
            self.count_cache("memory")
            return hit[0]
        # Cleaned once: its hash finds a stored result, and a miss reuses it for the run.
        doc = clean(article) if self.store is not None else None
        result = self._from_store(article, doc) if doc is not None else None
        if result is None:
            self.count_cache(None)
            result = summarize_article(
                article,
                self.backend,
                self.prompts,
                window_sentences=self.settings.window_sentences,
                doc=doc,
                check=self.checker,
            )
            self._record_usage(result)
            if doc is not None:
                self._save(article, doc, result)
        self._remember(key, result)
        return result

    def _variant_key(self, article: ArticleInput, cleaned_hash: str) -> tuple[str, str]:
        # The summary depends on max_words and title, outlet-own claims on the outlet.
        variant = json.dumps(
            [self.config_key(), article.max_words, article.title, outlet_of(article)]
        )
        return cleaned_hash, hashlib.sha256(variant.encode()).hexdigest()

    def _from_store(self, article: ArticleInput, doc: CleanDoc) -> SummaryResult | None:
        assert self.store is not None
        article_hash, config = self._variant_key(article, _sha(doc.text))
        stored = self.store.get_result(article_hash, config)
        if stored is None:
            return None
        self.count_cache("store")
        meta: dict[str, Any] = {
            "input_type": "html" if article.html is not None else "text",
            "url": article.url,
            "outlet": article.outlet,
            "published_at": article.published_at,
            "offsets_refer_to": "extracted_text" if article.html is not None else "input",
            "extracted_text": doc.source if article.html is not None else None,
        }
        return rebase(stored, doc, meta)

    def _save(self, article: ArticleInput, doc: CleanDoc, result: SummaryResult) -> None:
        assert self.store is not None
        article_hash, config = self._variant_key(article, _sha(doc.text))
        self.store.put_result(
            {
                "text": article.text,
                "html": article.html,
                "title": article.title,
                "url": article.url,
            },
            article_hash,
            config,
            result.provenance.model,
            result.provenance.prompt_versions,
            result.model_dump(mode="json"),
        )

    def _remember(self, key: str, result: SummaryResult) -> None:
        encoded = result.model_dump_json().encode()
        with self._recent_lock:
            self._recent[key] = (result, encoded)
            while len(self._recent) > RECENT_RESULTS:
                self._recent.popitem(last=False)

    def count_cache(self, layer: str | None) -> None:
        """One request answered from a cache layer (memory, store), or by the model (None)."""
        if self.metrics is None:
            return
        if layer is None:
            self.metrics.cache_misses.inc()
        else:
            self.metrics.cache_hits.labels(layer=layer).inc()

    def _record_usage(self, result: SummaryResult) -> None:
        if self.metrics is None:
            return
        u = result.usage
        self.metrics.model_tokens.labels(kind="prompt").inc(u.prompt_tokens)
        self.metrics.model_tokens.labels(kind="completion").inc(u.completion_tokens)
        self.metrics.model_tokens.labels(kind="cached").inc(u.cached_prompt_tokens)
        self.metrics.model_seconds.inc(u.model_seconds)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
