"""The story's statements: one item per fact each article's claims state, and the name
forms of its entities, from per-article results (split from build.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from service.pipeline.claims.entities import name_parts
from service.pipeline.models import Claim, SummaryResult
from service.pipeline.reading.nlp import parse_each
from service.story.align import Item, evidenced_key
from service.story.entities import parser_names, speaker_key, tagged_form
from service.story.facts import Speaker, facts
from service.story.quantities import quantities
from service.story.similarity import canonical_terms
from service.story.wording import UNNAMED, compared_text, pronoun_speakers


def text_of(result: SummaryResult, original: str) -> str:
    return result.source.extracted_text or original


def published(result: SummaryResult) -> date | None:
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


def items_of(
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
                        predicate=fact.predicate,
                        holder=canonical_terms(fact.holder, resolve),
                        patient=canonical_terms(fact.patient, resolve),
                    )
                )
    return sorted(items, key=lambda i: (i.article, i.number, i.part))


def mentions(
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
