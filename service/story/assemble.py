"""A cluster of the story from a node of aligned statements: its supports (one per
article), its wording and speaker, its numbers, its nested specific clusters; and the
story's origins (split from build.py)."""

from __future__ import annotations

from collections.abc import Callable

from service.pipeline.models import Span
from service.story.align import Item, Node, number_key
from service.story.models import Cluster, Origin, Support
from service.story.origin import SourceOrigin
from service.story.quantities import quantities
from service.story.summary import display_text
from service.story.wording import UNNAMED, compared_text

Centrality = Callable[[Item, list[Item]], float]  # an item's likeness to a cluster's members


def claim_number(claim_id: str) -> int:
    digits = "".join(ch for ch in claim_id if ch.isdigit())
    return int(digits) if digits else 0


def number(c: Cluster, cid: str) -> None:
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


def assemble(
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
        specific=[assemble(child, origin_of, centrality) for child in node.children],
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


def origins_of(ids: list[str], origin_of: dict[str, SourceOrigin | None]) -> list[Origin]:
    grouped: dict[str, tuple[str, list[str]]] = {}
    for article in ids:
        origin = origin_of[article]
        if origin is not None:
            grouped.setdefault(origin.key, (origin.description, []))[1].append(article)
    return [
        Origin(id=key, description=desc, articles=arts)
        for key, (desc, arts) in sorted(grouped.items())
    ]
