"""Where two articles' claims disagree: one discrepancy per pair of claims, stating every
way they differ (a figure's scope and who is credited with it), with both sides' evidence.

Only statements about one fact can disagree (core.py): two figures conflict only when the
pair is one fact but for them, and no statement disagrees with one saying its predicate of
another holder. (One figure given to two scopes is reported as a scope issue.)

A claim split into clauses (clauses.py) is several story items, so one pair of claims can
clash twice, a clause on the figure's scope and the main clause on the source; a reader
sees one disagreement between two sentences, so the findings are merged, the most
specific kind first.
"""

from __future__ import annotations

from service.story.align import ATTRIBUTION, CONFLICT, Conflict, Item, conflict_of
from service.story.core import one_fact, other_holder
from service.story.models import Discrepancy, Side
from service.story.similarity import Similarity
from service.story.wording import UNNAMED

# A figure that differs says more than a scope, a scope more than who said it.
_ORDER = ("number", "scope", "date", "attribution")
_Pair = tuple[tuple[str, str], tuple[str, str]]


def _source(a: Item, b: Item) -> str | None:
    """Who each side credits, when both name someone and not the same one (a pronoun kept
    as written names no one: it may be the same person)."""
    if a.outlet_voice or b.outlet_voice or a.speaker == b.speaker:
        return None
    if UNNAMED in (a.speaker, b.speaker):
        return None
    return f"attributed to {a.claim.speaker} and to {b.claim.speaker}"


def _same_words(sim: Similarity, i: int, j: int) -> bool:
    """Both statements say the same words, not one a few words of the other ("It's not a
    strategy." inside a longer quotation): shared weight over all their weight."""
    a, b = sim.terms[i], sim.terms[j]
    union = sim.weight(a | b)
    return union > 0 and sim.weight(a & b) / union >= ATTRIBUTION


def _found(
    items: list[Item], i: int, j: int, sim: Similarity, resolve: dict[str, str]
) -> Conflict | None:
    """A number or scope conflict; or the same words credited to two different named
    entities. A description ("the spy chief", "The Republican nominee") may be the named
    person, so only two story entities can be two sources."""
    a, b = items[i], items[j]
    if other_holder(a, b):
        return None  # one predicate of two holders: two facts, nothing to disagree on
    c = conflict_of(a, b, sim.score(i, j), resolve)
    if c is not None and c.kind == "number" and not one_fact(items, sim, i, j):
        return None  # figures of two facts differ as two facts do (core.py)
    named = {a.speaker, b.speaker} <= set(resolve.values())
    if c is None and named and _source(a, b) and _same_words(sim, i, j):
        return Conflict("attribution", str(_source(a, b)), a, b)
    return c


def _merge(found: list[Conflict]) -> Conflict:
    """One finding for one pair of claims: the most specific kind, every difference said
    once, the other source noted when a figure's finding does not say it yet."""
    found = sorted(found, key=lambda c: _ORDER.index(c.kind))
    first = found[0]
    parts = list(dict.fromkeys(c.description for c in found))
    source = _source(first.a, first.b)
    if source is not None and source not in parts:
        parts.append(source)
    return Conflict(first.kind, "; ".join(parts), first.a, first.b)


def _names(articles: list[str]) -> str:
    return " and ".join([", ".join(articles[:-1]), articles[-1]] if len(articles) > 1 else articles)


def denials(items: list[Item], sim: Similarity) -> list[Conflict]:
    """One finding per disputing claim: against the other article's statement it most
    resembles (alike enough to have joined its cluster), naming every article stating it.
    A reader sees one disagreement, however many outlets state what is disputed."""
    found: dict[tuple[str, str], Conflict] = {}
    for i, a in enumerate(items):
        if not a.denial or (a.article, a.claim.id) in found:
            continue
        alike = sorted(
            ((sim.score(i, j), j) for j, b in enumerate(items) if b.article != a.article),
            key=lambda p: (-p[0], p[1]),
        )
        # what it disputes is that statement's fact: alike enough for a number conflict, and
        # a noun, verb or name of the fact in common (not one topic's words)
        stating = [
            items[j]
            for s, j in alike
            if s >= CONFLICT
            and not items[j].denial
            and a.anchors & items[j].anchors
            and not other_holder(a, items[j])
        ]
        if stating:
            names = _names(sorted({b.article for b in stating}))
            # the denial in its own words: a reader of the summary sees what is disputed
            description = (
                f"{a.article} reports {a.claim.speaker} disputing what {names} state: "
                f"{a.claim.text.rstrip('.')}"
            )
            found[a.article, a.claim.id] = Conflict("denial", description, a, stating[0])
    return list(found.values())


def conflicts(items: list[Item], sim: Similarity, resolve: dict[str, str]) -> list[Conflict]:
    """Number, scope and attribution conflicts between claims of different articles: one
    per pair of claims, and one per pair of articles and figures (an article restating a
    figure in two claims disagrees once)."""
    by_pair: dict[_Pair, list[Conflict]] = {}
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.article == b.article:
                continue
            c = None if a.denial or b.denial else _found(items, i, j, sim, resolve)
            if c is not None:
                pair = ((a.article, a.claim.id), (b.article, b.claim.id))
                by_pair.setdefault(pair, []).append(c)
    unique: dict[tuple[object, ...], Conflict] = {}
    for c in denials(items, sim) + list(map(_merge, by_pair.values())):
        figures = frozenset((q.value, q.unit) for q in c.a.numbers + c.b.numbers)
        unique.setdefault((c.kind, frozenset((c.a.article, c.b.article)), figures), c)
    return list(unique.values())


def discrepancy(c: Conflict, dated: dict[str, dict[str, str]]) -> Discrepancy:
    """The finding with each side's relative dates resolved, and both sides' evidence."""
    description = c.description
    for item in (c.a, c.b):
        for phrase, resolved in dated.get(item.article, {}).items():
            if phrase.lower() in item.claim.text.lower():
                description += f"; {item.article}: '{phrase}' = {resolved}"
    return Discrepancy(
        id="",
        kind=c.kind,
        description=description,
        a=Side(
            article=c.a.article,
            claim_id=c.a.claim.id,
            text=c.a.claim.text,
            evidence=c.a.claim.evidence,
        ),
        b=Side(
            article=c.b.article,
            claim_id=c.b.claim.id,
            text=c.b.claim.text,
            evidence=c.b.claim.evidence,
        ),
    )
