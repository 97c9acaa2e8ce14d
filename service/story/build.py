"""The story view from per-article results, without further model calls (unless a judge
is given): statements (statements.py) aligned into clusters (align.py), assembled
(assemble.py), with discrepancies, origins and a summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from service.pipeline.models import SummaryResult
from service.story.align import Decide, Item, cluster, split_by_numbers
from service.story.assemble import assemble, claim_number, number, origins_of
from service.story.discrepancies import conflicts, discrepancy
from service.story.embed import Embedder, default_embedder
from service.story.entities import canonicalize, resolver
from service.story.models import Cluster, Discrepancy, Story, StoryArticle
from service.story.origin import primary_origin
from service.story.outlets import article_names
from service.story.quantities import resolve_dates
from service.story.roles import role_conflicts
from service.story.same import THRESHOLD as SAME_THRESHOLD
from service.story.same import Judge
from service.story.similarity import Similarity, canonical_text
from service.story.statements import items_of, mentions, published, text_of
from service.story.summary import write_summary

Auto = Literal["auto"]


def build_story(
    results: Sequence[SummaryResult],
    texts: Sequence[str],
    names: Sequence[str | None] | None = None,
    embed: Embedder | Auto | None = "auto",
    judge: Judge | None = None,
) -> Story:
    """results: each article's pipeline result; texts: the text its evidence offsets point
    into (the input; for HTML the extracted text is taken from the result); names: ignored,
    kept for callers that still pass file names (an article is never named by its file,
    outlets.py); embed: how claims are compared by meaning ("auto": the
    pinned e5 model when installed; None: words only); judge: the model's P(same fact) for
    two statements (same.py), which decides every link similarity proposes between two
    articles (None: similarity decides, as without a model)."""
    articles = article_names(results, texts)
    ids = [a.id for a in articles]
    full_texts = [text_of(r, t) for r, t in zip(results, texts, strict=True)]
    entities = canonicalize(mentions(ids, results, full_texts))
    resolve = resolver(entities)
    names_of = {alias: e.name for e in entities for alias in e.aliases}
    origin_of = dict(zip(ids, (primary_origin(t) for t in full_texts), strict=True))

    people = {alias: e.id for e in entities if e.type == "person" for alias in e.aliases}
    items = items_of(ids, results, resolve, people)
    embedder = default_embedder() if embed == "auto" else embed
    sim = Similarity(
        [i.terms for i in items],
        # e5 reads the whole statement: stripped of its attribution, a clause loses the
        # sentence shape its vectors were measured on (recall 0.842 -> 0.737)
        [canonical_text(i.text, names_of) for i in items],
        embedder,
        [i.anchors for i in items],
    )
    decide = None if judge is None else _decider(items, sim, judge)
    groups = cluster(items, sim, resolve, decide=decide)
    nodes = [node for g in groups for node in split_by_numbers([items[i] for i in g])]
    index = {id(it): k for k, it in enumerate(items)}

    def centrality(item: Item, members: list[Item]) -> float:
        """Its average score with the cluster's other members: the wording most like all of
        them, not the one most like the story at large (a side fact near many claims)."""
        others = [index[id(m)] for m in members if m is not item]
        k = index[id(item)]
        return sum(sim.score(k, j) for j in others) / len(others) if others else 0.0

    built = [assemble(node, origin_of, centrality) for node in nodes]
    built.sort(
        key=lambda c: (-c.support, c.articles[0].article, claim_number(c.articles[0].claim_id))
    )
    multi: list[Cluster] = []
    single: list[Cluster] = []
    for n, c in enumerate(built, 1):
        number(c, f"k{n}")
        (multi if c.support > 1 else single).append(c)

    dated = {
        a: resolve_dates(t, published(r)) for a, r, t in zip(ids, results, full_texts, strict=True)
    }
    discrepancies = [discrepancy(c, dated) for c in conflicts(items, sim, resolve)] + [
        Discrepancy(id="", kind="role", description=d, a=a, b=b)
        for d, a, b in role_conflicts(ids, full_texts, entities)
    ]
    for n, d in enumerate(discrepancies, 1):
        d.id = f"d{n}"
    origins = origins_of(ids, origin_of)
    sentences = write_summary(articles, multi, discrepancies, origins)
    return Story(
        articles=[
            a.model_copy(update={"claims": len(r.claims)})
            for a, r in zip(articles, results, strict=True)
        ],
        entities=entities,
        clusters=multi,
        single_source=single,
        discrepancies=discrepancies,
        origins=origins,
        summary=" ".join(s.text for s in sentences),
        summary_sentences=sentences,
    )


def _decider(items: list[Item], sim: Similarity, judge: Judge) -> Decide:
    """Two statements of different articles are one fact when the model says so (P(same)
    at or above THRESHOLD); two of one article were decided by similarity (SAME_ARTICLE)."""

    def decide(i: int, j: int) -> bool:
        a, b = items[i], items[j]
        if a.article == b.article:
            return True
        p = judge(a.text, b.text)
        return p is not None and p >= SAME_THRESHOLD

    return decide


__all__ = ["StoryArticle", "build_story"]
