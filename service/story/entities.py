"""One canonical entity per real-world entity across articles.

Rules, in order: a curated alias set (acronyms in other languages: GUR/HUR/DIU); the same
person when surnames share a transliteration skeleton and first names, if both given, do too
(Kyrylo/Kirill Budanov, Volodymyr/Vladimir); a form inside another (Budanov / Kyrylo
Budanov). The result does not depend on the order the articles come in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from service.story.models import StoryEntity
from service.story.unionfind import UnionFind

ALIASES = Path(__file__).resolve().parent.parent / "data" / "aliases.yaml"
_TRANSLIT = [("kh", "h"), ("zh", "j"), ("ts", "c"), ("y", "i"), ("w", "v"), ("ie", "i"), ("j", "i")]
_TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "general", "chief", "spokesman"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[’'`]", "'", text).casefold().strip()


def skeleton(word: str) -> str:
    """Consonant skeleton after transliteration folding: Kyrylo and Kirill -> 'krl'."""
    w = _fold(word)
    for a, b in _TRANSLIT:
        w = w.replace(a, b)
    w = re.sub(r"[aeiou'\-]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


@lru_cache(maxsize=1)
def alias_sets() -> dict[str, str]:
    """folded alias -> canonical name."""
    table: dict[str, str] = {}
    for names in yaml.safe_load(ALIASES.read_text()):
        for name in names:
            table[_fold(name)] = names[0]
    return table


def _person_words(form: str) -> list[str]:
    return [w for w in re.findall(r"[\w'-]+", form) if _fold(w) not in _TITLES]


def same_entity(a: str, b: str, people: bool = True) -> bool:
    fa, fb = _fold(a), _fold(b)
    if fa == fb or re.sub(r"[\W_]+", " ", fa) == re.sub(r"[\W_]+", " ", fb):
        return True
    known = alias_sets()
    if fa in known and known.get(fa) == known.get(fb):
        return True
    wa, wb = _person_words(a), _person_words(b)
    if not (people and wa and wb and wa[0][:1].isupper() and wb[0][:1].isupper()):
        return False
    surname = skeleton(wa[-1])
    # Same surname skeleton, and first names agree too when both are given.
    return (
        len(surname) >= 3
        and surname == skeleton(wb[-1])
        and (len(wa) == 1 or len(wb) == 1 or skeleton(wa[0]) == skeleton(wb[0]))
    )


def part_of(short: str, long: str) -> bool:
    """A short form inside a longer one ("Budanov" in "Kyrylo Budanov"). Weak evidence: a
    short form that fits two entities ("Korea") joins neither."""
    ws, wl = set(re.findall(r"\w+", _fold(short))), set(re.findall(r"\w+", _fold(long)))
    return bool(ws) and ws < wl and len(wl) <= 4


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(name)).strip("-") or "entity"


def canonicalize(mentions: Iterable[tuple[str, str, str]]) -> list[StoryEntity]:
    """mentions: (article id, surface form, type). Order-independent: forms are sorted first."""
    mentions = list(mentions)
    forms = sorted({(form, etype) for _, form, etype in mentions})
    sets = UnionFind(len(forms))
    # Every pair is compared: the grouping cannot depend on the order of articles.
    for i in range(len(forms)):
        for j in range(i + 1, len(forms)):
            people = forms[i][1] == forms[j][1] == "person"
            if same_entity(forms[i][0], forms[j][0], people):
                sets.union(i, j)
    # Then short forms join the one group they are part of, if exactly one.
    for i, (short, _) in enumerate(forms):
        homes = {sets.root(j) for j, (other, _) in enumerate(forms) if part_of(short, other)}
        if len(homes) == 1 and sets.root(i) not in homes:
            sets.union(i, homes.pop())
    groups = [[forms[i] for i in members] for members in sets.groups()]
    articles_of: dict[str, set[str]] = {}
    for article, form, _ in mentions:
        articles_of.setdefault(form, set()).add(article)
    known = alias_sets()
    entities = []
    for group in groups:
        names = [f for f, _ in group]
        canonical = next((known[_fold(n)] for n in names if _fold(n) in known), None)
        name = canonical or max(names, key=lambda n: (len(n.split()), len(n), n))
        types = sorted({t for _, t in group})
        entities.append(
            StoryEntity(
                id=_slug(name),
                name=name,
                type=next((t for t in types if t != "other"), types[0]),
                aliases=sorted(set(names)),
                articles=sorted({a for n in names for a in articles_of.get(n, ())}),
            )
        )
    return sorted(entities, key=lambda e: e.id)


def resolver(entities: list[StoryEntity]) -> dict[str, str]:
    """folded surface form -> canonical entity id, for rewriting claims before comparing."""
    return {_fold(alias): e.id for e in entities for alias in e.aliases}
