"""The story view from per-article results (the pipeline's JSON), without further model calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlparse

from service.pipeline.models import Span
from service.story.align import Conflict, Group, align, items_of
from service.story.entities import canonicalize, resolver
from service.story.models import Cluster, Discrepancy, Origin, Side, Story, StoryArticle, Support
from service.story.origin import SourceOrigin, primary_origin
from service.story.quantities import resolve_dates


def article_ids(results: list[dict[str, Any]]) -> list[str]:
    """Outlet, else URL host, else position; made unique."""
    ids: list[str] = []
    for i, result in enumerate(results, 1):
        source = result["source"]
        base = (
            source.get("outlet")
            or (urlparse(source.get("url") or "").hostname or "").removeprefix("www.")
            or f"article-{i}"
        )
        name, n = base, 2
        while name in ids:
            name, n = f"{base} ({n})", n + 1
        ids.append(name)
    return ids


def _text_of(result: dict[str, Any], original: str) -> str:
    return result["source"].get("extracted_text") or original


def _support(article: str, claim: dict[str, Any], origin: str | None, own_voice: bool) -> Support:
    return Support(
        article=article,
        claim_id=claim["id"],
        text=claim["text"],
        speaker=article if own_voice else claim["speaker"],
        evidence=[Span(**s) for s in claim["evidence"]],
        origin=origin,
    )


def _side(article: str, claim: dict[str, Any]) -> Side:
    return Side(
        article=article,
        claim_id=claim["id"],
        text=claim["text"],
        evidence=[Span(**s) for s in claim["evidence"]],
    )


def _published(result: dict[str, Any]) -> date | None:
    value = result["source"].get("published_at")
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def build_story(results: list[dict[str, Any]], texts: list[str]) -> Story:
    ids = article_ids(results)
    mentions = [
        (a, f["text"], e["type"])
        for a, r in zip(ids, results, strict=True)
        for e in r["entities"]
        for f in e["surface_forms"]
    ]
    entities = canonicalize(mentions)
    resolve = resolver(entities)
    origin_of = {
        a: primary_origin(_text_of(r, t)) for a, r, t in zip(ids, results, texts, strict=True)
    }

    def claim_origin(article: str, claim: dict[str, Any]) -> str:
        # An article relaying an interview or event takes its facts from there, even the
        # sentences it words in its own voice; otherwise the article is its own origin.
        origin = origin_of[article]
        return origin.key if origin is not None else f"article:{article}"

    items = items_of(list(zip(ids, results, strict=True)), resolve)
    groups, conflicts = align(items, resolve)
    multi: list[Cluster] = []
    single: list[Cluster] = []
    for n, group in enumerate(
        sorted(groups, key=lambda g: (-len(g.articles), g.items[0].article)), 1
    ):
        out = _cluster(f"k{n}", group, claim_origin)
        (multi if out.support > 1 else single).append(out)

    dated = {
        a: resolve_dates(_text_of(r, t), _published(r))
        for a, r, t in zip(ids, results, texts, strict=True)
    }
    origins = _origins(ids, origin_of)
    return Story(
        articles=[
            StoryArticle(
                id=a,
                outlet=r["source"].get("outlet"),
                url=r["source"].get("url"),
                published_at=r["source"].get("published_at"),
                title=r["source"].get("title"),
                claims=len(r["claims"]),
            )
            for a, r in zip(ids, results, strict=True)
        ],
        entities=entities,
        clusters=multi,
        single_source=single,
        discrepancies=[_discrepancy(f"d{i}", c, dated) for i, c in enumerate(conflicts, 1)],
        origins=origins,
        summary=_summary(ids, multi, conflicts, origins),
    )


def _cluster(cid: str, group: Group, claim_origin: Callable[[str, dict[str, Any]], str]) -> Cluster:
    supports = [
        _support(i.article, i.claim, claim_origin(i.article, i.claim), i.outlet_voice)
        for i in group.items
    ]
    origins = sorted({s.origin for s in supports if s.origin})
    first = group.items[0]
    return Cluster(
        id=cid,
        text=first.claim["text"],
        speaker=supports[0].speaker,
        articles=supports,
        support=len(group.articles),
        independent_support=len(origins),
        origins=origins,
    )


def _discrepancy(did: str, c: Conflict, dated: dict[str, dict[str, str]]) -> Discrepancy:
    description = c.description
    for item in (c.a, c.b):
        for phrase, resolved in dated.get(item.article, {}).items():
            if phrase.lower() in item.claim["text"].lower():
                description += f"; {item.article}: '{phrase}' = {resolved}"
    return Discrepancy(
        id=did,
        kind=c.kind,
        description=description,
        a=_side(c.a.article, c.a.claim),
        b=_side(c.b.article, c.b.claim),
    )


def _origins(ids: list[str], origin_of: dict[str, SourceOrigin | None]) -> list[Origin]:
    grouped: dict[str, tuple[str, list[str]]] = {}
    for article in ids:
        origin = origin_of[article]
        if origin is not None:
            grouped.setdefault(origin.key, (origin.description, []))[1].append(article)
    return [
        Origin(id=key, description=desc, articles=arts)
        for key, (desc, arts) in sorted(grouped.items())
    ]


def _summary(
    ids: list[str], clusters: list[Cluster], conflicts: list[Conflict], origins: list[Origin]
) -> str:
    """Sentences built only from the clusters and discrepancies, so nothing here is ungrounded."""
    parts = [f"{len(ids)} articles"]
    relays = [o for o in origins if len(o.articles) > 1]
    if relays:
        parts[0] += "; " + "; ".join(
            f"{', '.join(o.articles)} relay the same {o.description}" for o in relays
        )
    top = sorted(clusters, key=lambda c: (-c.independent_support, -c.support))[:3]
    for c in top:
        parts.append(f"{c.support} articles ({c.independent_support} independent) report: {c.text}")
    if conflicts:
        parts.append(f"{len(conflicts)} discrepancies, e.g. {conflicts[0].description}")
    return ". ".join(p.rstrip(".") for p in parts) + "."
