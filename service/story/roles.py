"""Roles that disagree: one article calls a person "military chief" where every other
calls him the intelligence chief.

The role of a mention is read from the words right before the name in its clause
("chief of Ukraine's Defense Intelligence Kyrylo Budanov", "the head of ... GUR, Kyrylo
Budanov"). Only qualifiers of a role noun are compared (military, intelligence, foreign,
...), synonyms folded (spy / intel / GUR -> intelligence), so "spy chief" and "head of
military intelligence" agree while "Military chief" lacks what all the others state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.pipeline.language import english
from service.pipeline.models import Span
from service.story.models import Side, StoryEntity

_ROLE_NOUN = english().story.post_nouns
_QUALIFIER = english().story.role_qualifiers  # word -> what it says of the office
_WINDOW = 60  # characters before the name that may hold its role


@dataclass(frozen=True)
class RoleMention:
    article: str
    person: str
    start: int  # of the role phrase, in the article text
    end: int  # of the name
    qualifiers: frozenset[str]


def _role_before(text: str, start: int) -> tuple[int, frozenset[str]] | None:
    """(start of the role phrase, its qualifiers) for a name at `start`, if a role noun
    stands right before it in the same clause."""
    window_start = max(0, start - _WINDOW)
    before = text[window_start:start].rstrip(" \t")
    if before.endswith("\n"):
        return None  # a name on a line of its own: the line above is a headline, not a role
    before = before[:-1] if before.endswith(",") else before  # "head of GUR, Kyrylo Budanov"
    clause = re.split(r"[,.;:!?•\n\"“”()–—]", before)[-1]
    words = re.findall(r"[\w’']+", clause.casefold())
    qualifiers = frozenset(_QUALIFIER[w] for w in words if w in _QUALIFIER)
    if not qualifiers or not any(w in _ROLE_NOUN for w in words):
        return None
    phrase_start = window_start + len(before) - len(clause)
    return phrase_start + len(clause) - len(clause.lstrip()), qualifiers


def role_mentions(article: str, text: str, person: StoryEntity) -> list[RoleMention]:
    found = []
    for alias in sorted(set(person.aliases), key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
            role = _role_before(text, m.start())
            if role is not None:
                found.append(RoleMention(article, person.id, role[0], m.end(), role[1]))
    return found


def _side(mention: RoleMention, text: str) -> Side:
    quote = text[mention.start : mention.end]
    return Side(
        article=mention.article,
        claim_id=None,
        text=quote,
        evidence=[Span(start=mention.start, end=mention.end, quote=quote)],
    )


def role_conflicts(
    ids: list[str], texts: list[str], entities: list[StoryEntity]
) -> list[tuple[str, Side, Side]]:
    """(description, side a, side b): a mention lacking a qualifier that at least two other
    articles give the same person, against the first mention that gives it."""
    out = []
    text_of = dict(zip(ids, texts, strict=True))
    for person in (e for e in entities if e.type == "person"):
        mentions = [m for a, t in zip(ids, texts, strict=True) for m in role_mentions(a, t, person)]
        by_qualifier: dict[str, set[str]] = {}
        for m in mentions:
            for q in m.qualifiers:
                by_qualifier.setdefault(q, set()).add(m.article)
        for m in sorted(mentions, key=lambda m: (m.article, m.start)):
            missing = sorted(
                q
                for q, arts in by_qualifier.items()
                if q not in m.qualifiers and len(arts - {m.article}) >= 2
            )
            if not missing:
                continue
            other = next(
                o for o in mentions if missing[0] in o.qualifiers and o.article != m.article
            )
            a, b = _side(m, text_of[m.article]), _side(other, text_of[other.article])
            out.append(
                (
                    f"{person.name}'s role: {a.text!r} in {m.article}, but {missing[0]} in "
                    f"{len(by_qualifier[missing[0]] - {m.article})} other articles ({b.text!r})",
                    a,
                    b,
                )
            )
    seen: set[tuple[str, str]] = set()
    unique = []
    for description, a, b in out:
        if (a.article, description.split(":")[0]) not in seen:
            seen.add((a.article, description.split(":")[0]))
            unique.append((description, a, b))
    return unique
