"""The result cache owns its three layers and counts each request once, by the layer that
answers it (or as a miss when the model does)."""

from __future__ import annotations

from service.cache import KNOWN_BODIES, ResultCache, StoredKey
from service.compose import build_engine
from service.config import Settings
from service.metrics import Metrics
from service.pipeline.models import ArticleInput
from service.store.store import Store
from tests.conftest import ARTICLES, make_backend

SEED = next(ARTICLES.glob("004*.txt")).read_text()


def counts(metrics: Metrics) -> dict[str, float]:
    found: dict[str, float] = {}
    for family in metrics.registry.collect():
        for s in family.samples:
            if s.name == "summarizer_cache_hits_total":
                found[s.labels["layer"]] = s.value
            if s.name == "summarizer_cache_misses_total":
                found["miss"] = s.value
    return found


def test_each_request_is_counted_once_by_the_layer_that_answers(settings: Settings) -> None:
    store = Store(settings.db_url)
    store.migrate()
    metrics = Metrics()
    engine = build_engine(settings, backend=make_backend(), store=store, metrics=metrics)
    article = ArticleInput(text=SEED)
    first = engine.summarize(article)  # the model
    assert counts(metrics) == {"miss": 1.0}
    assert engine.summarize(article) == first  # memory
    assert counts(metrics) == {"miss": 1.0, "memory": 1.0}
    engine.cache._memory.clear()
    assert engine.summarize(article).claims == first.claims  # the store, rebased
    assert counts(metrics) == {"miss": 1.0, "memory": 1.0, "store": 1.0}


def test_a_served_hit_is_counted_and_a_refused_one_is_not(settings: Settings) -> None:
    metrics = Metrics()
    cache = ResultCache(metrics=metrics)
    assert cache.recent_json("k") is None and counts(metrics) == {"miss": 0.0}
    engine = build_engine(settings, backend=make_backend())
    cache.remember("k", engine.summarize(ArticleInput(text=SEED)))
    assert cache.recent_json("k", admit=lambda: False) is None
    assert counts(metrics) == {"miss": 0.0}
    assert cache.recent_json("k", admit=lambda: True) is not None
    assert counts(metrics) == {"miss": 0.0, "memory": 1.0}


def test_known_bodies_are_bounded_and_the_newest_stay() -> None:
    cache = ResultCache()
    for i in range(KNOWN_BODIES + 10):
        cache.learn_body(str(i).encode(), f"key-{i}")
    assert cache.key_for_body(b"0") is None
    assert cache.key_for_body(str(KNOWN_BODIES + 9).encode()) == f"key-{KNOWN_BODIES + 9}"


def test_without_a_store_the_store_layer_is_absent() -> None:
    cache = ResultCache()
    assert not cache.has_store and cache.stored(StoredKey("a", "b")) is None


def test_a_stored_result_is_rebased_onto_other_boilerplate(settings: Settings) -> None:
    """The same article behind another site's chrome is the same article: evidence, cue and
    antecedent spans all point into the new input."""
    store = Store(settings.db_url)
    store.migrate()
    engine = build_engine(settings, backend=make_backend(), store=store)
    first = engine.summarize(ArticleInput(text=SEED))
    wrapped = "Share this article\nSubscribe to our newsletter\n" + SEED
    again = engine.summarize(ArticleInput(text=wrapped))
    assert [c.text for c in again.claims] == [c.text for c in first.claims]
    # the same words cited: a clause of a split sentence stays that clause, not its sentence
    assert [[s.quote for s in c.evidence] for c in again.claims] == [
        [s.quote for s in c.evidence] for c in first.claims
    ]
    assert again.usage == first.usage  # no model call: the store answered
    moved = [
        c for c in again.claims if c.substitutions and c.attribution and c.attribution.cue_span
    ]
    assert moved, "seed 004 has claims with a cue and a substitution"
    for claim in again.claims:
        for span in claim.spans():
            assert wrapped[span.start : span.end] == span.quote
