"""The application's use cases, one place for every front door: summarize one article,
summarize several, compare several on one story.

API routes, the CLI, job workers and Slack (through jobs) all call this, so an article gives
the same claims whichever door it came in by, and a stored result is reused by all of them.
Results go through the `ResultCache` (memory by exact request, then the store by cleaned
article); the Engine is built complete by the composition root (service/compose.py).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from service.cache import ResultCache, StoredKey
from service.config import Settings
from service.llm.backend import Backend
from service.pipeline.checks.check import (
    CHECK_PROMPT,
    Checker,
    claims_passage,
    model_probability,
    sentence_texts,
)
from service.pipeline.context import RunContext
from service.pipeline.models import ArticleInput, Claim, SummaryResult
from service.pipeline.prompt_names import PIPELINE_PROMPTS, SUMMARIZE
from service.pipeline.reading.budget import article_sentences
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.rebase import rebase
from service.pipeline.reading.source import outlet_of
from service.pipeline.run import (
    PIPELINE_VERSION,
    ClaimsResult,
    article_claims,
    clean,
    summarize_article,
)
from service.prompts import PromptLibrary
from service.story.build import build_story
from service.story.models import Story

if TYPE_CHECKING:
    from service.metrics import Metrics


@dataclass(frozen=True)
class Summaries:
    """Several articles' results, with the text each result's evidence offsets point into
    (the input text, or the text extracted from HTML)."""

    results: list[SummaryResult]
    texts: list[str]


@dataclass(frozen=True)
class StatementCheck:
    """The checker's model question on one statement: P(stated), None when the call failed;
    `seconds` the question's own wall time."""

    probability: float | None
    seconds: float


@dataclass(frozen=True)
class StoryOutcome:
    story: Story
    results: list[SummaryResult]
    texts: list[str]


class ModelLoad:
    """How loading the engine's model went: the error `Engine.warm` met, else None. Made by
    the composition root with the engine; /readyz reports it."""

    def __init__(self) -> None:
        self.error: Exception | None = None


class Engine:
    """Built complete by the composition root (service/compose.py): the model backend, the
    faithfulness checker when the settings turn it on, the prompt library and the result
    cache are passed in, and nothing is set on it afterwards."""

    def __init__(
        self,
        settings: Settings,
        *,
        backend: Backend,
        prompts: PromptLibrary | None = None,
        checker: Checker | None = None,
        cache: ResultCache | None = None,
        metrics: Metrics | None = None,
        model: ModelLoad | None = None,
        progress: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.prompts = prompts or PromptLibrary(settings.prompts_dir, settings.prompt_versions)
        self.checker = checker
        self.cache = cache or ResultCache(metrics=metrics)
        self.metrics = metrics
        self.model = model or ModelLoad()
        self._progress = progress
        self._config_key = _config_key(self.prompts, backend, checker)

    # -- the model ------------------------------------------------------------------------

    @property
    def load_error(self) -> Exception | None:
        return self.model.error

    def warm(self) -> None:
        """Load the model now rather than on the first request."""
        try:
            self._progress("loading model…")
            self.backend.load()
            self.backend.prime(self.prompts.get(SUMMARIZE).system or "")
        except Exception as exc:  # reported by /readyz; never crash the server thread
            self.model.error = exc

    def ready(self) -> bool:
        return self.model.error is None and self.backend.ready()

    # -- keys -----------------------------------------------------------------------------

    def config_key(self) -> str:
        """Everything besides the article that decides a result: prompts, model, pipeline."""
        return self._config_key

    def request_key(self, article: ArticleInput) -> str:
        """Identifies a request within this engine (whose prompts and model are fixed)."""
        blob = json.dumps(asdict(article), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _stored_key(self, article: ArticleInput, doc: CleanDoc) -> StoredKey:
        # The summary depends on max_words and title, outlet-own claims on the outlet.
        variant = json.dumps(
            [self.config_key(), article.max_words, article.title, outlet_of(article)]
        )
        return StoredKey(_sha(doc.text), _sha(variant))

    # -- use cases ------------------------------------------------------------------------

    def summarize(self, article: ArticleInput) -> SummaryResult:
        """One article: from memory, else the store, else the model (then stored)."""
        key = self.request_key(article)
        recent = self.cache.recent(key)
        if recent is not None:
            return recent
        # Cleaned once: its hash finds a stored result, and a miss reuses it for the run.
        doc = clean(article) if self.cache.has_store else None
        where = self._stored_key(article, doc) if doc is not None else None
        stored = self.cache.stored(where) if where is not None else None
        if stored is not None and doc is not None:
            result = rebase(stored, doc, article)
        else:
            self.cache.missed()
            result = self._run(article, doc)
            if where is not None:
                self.cache.save(where, _article_row(article), result)
        self.cache.remember(key, result)
        return result

    def claims(self, article: ArticleInput) -> ClaimsResult:
        """One article's attributed claims without the brief, by the same stages summarize
        runs (the attribution evals measure this; never cached, nothing stored)."""
        return article_claims(article, self.backend, self.prompts)

    def summarize_all(self, articles: Iterable[ArticleInput]) -> Summaries:
        """Several articles in order. `articles` may be lazy: a job fetches each one and
        reports progress as it is drawn, and stops the run by raising."""
        results: list[SummaryResult] = []
        texts: list[str] = []
        for article in articles:
            result = self.summarize(article)
            results.append(result)
            texts.append(result.source.extracted_text or article.text or "")
        return Summaries(results, texts)

    def story(
        self,
        articles: Iterable[ArticleInput],
        comparing: Callable[[], None] = lambda: None,
        names: Sequence[str | None] | None = None,
    ) -> StoryOutcome:
        """Several articles on one story: each summarised, then compared (no model calls).
        `comparing` is called between the two (a job reports its stage there); `names` are
        what to call articles that name no outlet, URL or masthead (file names)."""
        done = self.summarize_all(articles)
        comparing()
        story = build_story(done.results, done.texts, names)
        return StoryOutcome(story, done.results, done.texts)

    def check_statement(
        self, article: ArticleInput, claims: Sequence[Claim], statement: str
    ) -> StatementCheck:
        """Ask the checker's model whether the article states `statement`, on the sentences
        of `claims` as the headline check asks it (the bench measures what checking a
        model-phrased headline would cost)."""
        doc = clean(article)
        sentences, starts = sentence_texts(doc, article_sentences(doc)[0])
        passage = claims_passage(claims, sentences, starts)
        ctx = RunContext(self.backend, self.prompts)
        t0 = time.perf_counter()
        probability = model_probability(ctx, passage, statement)
        return StatementCheck(probability, time.perf_counter() - t0)

    # -- internals ------------------------------------------------------------------------

    def _run(self, article: ArticleInput, doc: CleanDoc | None) -> SummaryResult:
        result = summarize_article(article, self.backend, self.prompts, doc=doc, check=self.checker)
        self._record_usage(result)
        return result

    def _record_usage(self, result: SummaryResult) -> None:
        if self.metrics is None:
            return
        u = result.usage
        self.metrics.model_tokens.labels(kind="prompt").inc(u.prompt_tokens)
        self.metrics.model_tokens.labels(kind="completion").inc(u.completion_tokens)
        self.metrics.model_tokens.labels(kind="cached").inc(u.cached_prompt_tokens)
        self.metrics.model_seconds.inc(u.model_seconds)


def _article_row(article: ArticleInput) -> dict[str, str | None]:
    return {"text": article.text, "html": article.html, "title": article.title, "url": article.url}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _config_key(prompts: PromptLibrary, backend: Backend, checker: Checker | None) -> str:
    blob = json.dumps(
        {
            "prompts": {n: prompts.get(n).sha256 for n in PIPELINE_PROMPTS},
            "model": backend.model_id,
            "pipeline": PIPELINE_VERSION,
        }
        | ({"check": [prompts.get(CHECK_PROMPT).sha256, checker.threshold]} if checker else {}),
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()
