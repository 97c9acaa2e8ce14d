"""The story view from per-article results, without further model calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

from service.pipeline.claims.entities import name_parts
from service.pipeline.models import Claim, Span, SummaryResult
from service.pipeline.reading.nlp import parse_each
from service.story.align import (
    Decide,
    Item,
    Node,
    cluster,
    evidenced_key,
    number_key,
    split_by_numbers,
)
from service.story.discrepancies import conflicts, discrepancy
from service.story.embed import Embedder, default_embedder
from service.story.entities import (
    canonicalize,
    parser_names,
    resolver,
    speaker_key,
    tagged_form,
)
from service.story.facts import Speaker, facts
from service.story.models import Cluster, Discrepancy, Origin, Story, StoryArticle, Support
from service.story.origin import SourceOrigin, primary_origin
from service.story.outlets import article_names
from service.story.quantities import quantities, resolve_dates
from service.story.roles import role_conflicts
from service.story.same import THRESHOLD as SAME_THRESHOLD
from service.story.same import Judge
from service.story.similarity import Similarity, canonical_terms, canonical_text
from service.story.summary import display_text, write_summary
from service.story.wording import UNNAMED, compared_text, pronoun_speakers

Auto = Literal["auto"]
Centrality = Callable[[Item, list[Item]], float]  # an item's likeness to a cluster's members


def _text_of(result: SummaryResult, original: str) -> str:
    return result.source.extracted_text or original


def _published(result: SummaryResult) -> date | None:
    value = result.source.published_at
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _speaker(claim: Claim, resolve: dict[str, str], pronouns: frozenset[str]) -> Speaker:
    """A pronoun speaker ("I", "he") is no one across articles: its key is UNNAMED."""
    cue = claim.attribution.cue_span if claim.attribution is not None else None
    key = UNNAMED if claim.speaker in pronouns else speaker_key(claim.speaker, resolve)
    return Speaker(claim.speaker, key, cue.quote if cue is not None else None)


def _items(
    ids: list[str],
    results: Sequence[SummaryResult],
    resolve: dict[str, str],
    people: dict[str, str],
) -> list[Item]:
    """One item per statement: a claim stating two facts in two clauses gives two items,
    so it can support one cluster for each (an article still counts once per cluster)."""
    items = []
    pronouns = pronoun_speakers(c.speaker for r in results for c in r.claims)
    for article, result in zip(ids, results, strict=True):
        source = result.source
        voices = {"the article", article, source.outlet}
        # a claim whose referents are in doubt is compared in the article's words (wording.py)
        docs = parse_each([compared_text(c) for c in result.claims])
        for claim, doc in zip(result.claims, docs, strict=True):
            speaker = _speaker(claim, resolve, pronouns)
            for part, fact in enumerate(facts(doc, speaker, people)):
                items.append(
                    Item(
                        article=article,
                        claim=claim,
                        terms=canonical_terms(fact.compared, resolve),
                        numbers=quantities(fact.text),
                        speaker=speaker.key,
                        outlet_voice=claim.speaker in voices or speaker.key in voices,
                        key=evidenced_key(claim, fact.text),
                        text=fact.text,
                        part=part,
                        compared=fact.compared,
                        anchors=canonical_terms(fact.anchors, resolve),
                        denial=fact.denial,
                        request=fact.request,
                    )
                )
    return sorted(items, key=lambda i: (i.article, i.number, i.part))


def _mentions(
    ids: list[str], results: Sequence[SummaryResult], texts: list[str]
) -> list[tuple[str, str, str]]:
    """(article, name, type) for each entity form, cut to the part the parser tags as a
    name in that article (entities.py); forms with no such part are left out."""
    out: list[tuple[str, str, str]] = []
    # the claims too: their sentences are the article's, read alone (a name put for "he")
    read = [
        t + "\n" + "\n".join(c.text for c in r.claims) for r, t in zip(results, texts, strict=True)
    ]
    for a, r, tagged in zip(ids, results, parser_names(read), strict=True):
        for e in r.entities:
            for f in e.surface_forms:
                for part in name_parts(f.text):
                    name = tagged_form(part, tagged)
                    if name is not None:
                        out.append((a, name, e.type))
    return out


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
    full_texts = [_text_of(r, t) for r, t in zip(results, texts, strict=True)]
    entities = canonicalize(_mentions(ids, results, full_texts))
    resolve = resolver(entities)
    names_of = {alias: e.name for e in entities for alias in e.aliases}
    origin_of = dict(zip(ids, (primary_origin(t) for t in full_texts), strict=True))

    people = {alias: e.id for e in entities if e.type == "person" for alias in e.aliases}
    items = _items(ids, results, resolve, people)
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

    built = [_cluster(node, origin_of, centrality) for node in nodes]
    built.sort(
        key=lambda c: (-c.support, c.articles[0].article, _claim_number(c.articles[0].claim_id))
    )
    multi: list[Cluster] = []
    single: list[Cluster] = []
    for n, c in enumerate(built, 1):
        _number(c, f"k{n}")
        (multi if c.support > 1 else single).append(c)

    dated = {
        a: resolve_dates(t, _published(r)) for a, r, t in zip(ids, results, full_texts, strict=True)
    }
    discrepancies = [discrepancy(c, dated) for c in conflicts(items, sim, resolve)] + [
        Discrepancy(id="", kind="role", description=d, a=a, b=b)
        for d, a, b in role_conflicts(ids, full_texts, entities)
    ]
    for n, d in enumerate(discrepancies, 1):
        d.id = f"d{n}"
    origins = _origins(ids, origin_of)
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


def _claim_number(claim_id: str) -> int:
    digits = "".join(ch for ch in claim_id if ch.isdigit())
    return int(digits) if digits else 0


def _number(c: Cluster, cid: str) -> None:
    c.id = cid
    for n, child in enumerate(c.specific, 1):
        child.id, child.parent = f"{cid}.{n}", cid


def _supports(
    items: list[Item], origin_of: dict[str, SourceOrigin | None]
) -> tuple[list[Support], list[str]]:
    """One support per article, with all its claims and their evidence."""
    by_article: dict[str, list[Item]] = {}
    for item in items:
        by_article.setdefault(item.article, []).append(item)
    supports = []
    for article, own in sorted(by_article.items()):
        origin = origin_of[article]
        spans: list[Span] = []
        for item in own:
            spans += [s for s in item.claim.evidence if s not in spans]
        first = own[0]
        supports.append(
            Support(
                article=article,
                claim_id=first.claim.id,
                claim_ids=list(dict.fromkeys(i.claim.id for i in own)),
                text=compared_text(first.claim),
                speaker=_speaker_name(first),
                evidence=spans,
                # A relay of an interview or event takes its facts from there, even the
                # sentences it words in its own voice; otherwise it is its own origin.
                origin=origin.key if origin is not None else f"article:{article}",
            )
        )
    origins = sorted({s.origin for s in supports if s.origin})
    return supports, origins


def _cluster(
    node: Node, origin_of: dict[str, SourceOrigin | None], centrality: Centrality
) -> Cluster:
    supports, origins = _supports(node.items, origin_of)
    best, text = _wording(node, centrality)
    # the wording's speaker, else any member's that names someone: never a pronoun
    named = [best] + [i for i in node.items if i.speaker != UNNAMED or i.outlet_voice]
    speaker = next((_speaker_name(i) for i in named if _speaker_name(i) != UNNAMED), UNNAMED)
    return Cluster(
        id="",
        text=display_text(text, speaker if speaker != UNNAMED else ""),
        speaker=speaker,
        # Each supporter's own wording of the figures: "nearly 40 percent", "up to 40%".
        numbers=list(
            dict.fromkeys(
                q.text
                for i in node.items
                for q in quantities(i.claim.text)
                if (q.value, q.unit) in node.key
            )
        )
        or [f"{v:g}" for v, _ in sorted(node.key)],
        articles=supports,
        support=len(supports),
        independent_support=len(origins),
        origins=origins,
        specific=[_cluster(child, origin_of, centrality) for child in node.children],
    )


def _wording(node: Node, centrality: Centrality) -> tuple[Item, str]:
    """The words of the most central claim stating exactly the cluster's numbers, a main
    clause's claim before one that states the fact in a side clause; else the clause itself
    (a claim whose other clause has a figure must not word a cluster of supporters who lack
    it); else the source words of one."""
    ranked = sorted(node.items, key=lambda i: (i.part > 0, -centrality(i, node.items), i.number))
    for item in ranked:
        if number_key(compared_text(item.claim)) == node.key:
            return item, compared_text(item.claim)
    for item in ranked:
        if number_key(item.text) == node.key:
            return item, item.text
    for item in ranked:
        for span in item.claim.evidence:
            if number_key(span.quote) == node.key:
                return item, span.quote
    return ranked[0], compared_text(ranked[0].claim)


def _speaker_name(item: Item) -> str:
    """The article for its own voice, the claim's speaker, UNNAMED for a pronoun."""
    if item.outlet_voice:
        return item.article
    return UNNAMED if item.speaker == UNNAMED else item.claim.speaker


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


__all__ = ["StoryArticle", "build_story"]
