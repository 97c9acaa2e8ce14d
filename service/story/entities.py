"""One canonical entity per real-world entity across articles.

Rules, in order: a curated alias set (acronyms in other languages: GUR/HUR/DIU); the same
person when surnames share a transliteration skeleton and first names, if both given, do too
(Kyrylo/Kirill Budanov, Volodymyr/Vladimir); a form inside another (Budanov / Kyrylo
Budanov). The result does not depend on the order the articles come in.

Only names the parser tags as names become entities (`parser_names`): the pipeline's
capitalised runs also catch a headline's words ("<First> <Last> Makes"), a title with a
first name ("Attorney General Loretta") and fragments ("Trump Jr"), none of which a reader
would call an entity, and each would be one more alias tying unrelated claims together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from service.pipeline.claims.entities import alias_sets, fold, name_parts, same_entity
from service.pipeline.claims.ground import normalize
from service.pipeline.language import english
from service.pipeline.reading.nlp import parse_each
from service.story.models import StoryEntity
from service.story.unionfind import UnionFind

_LEX = english()
# spaCy's labels for names of people, organisations, places and groups
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})


def _bare(name: str) -> str:
    """A tagged name without a leading article or a trailing possessive or stop."""
    name = re.sub(r"^the\s+", "", fold(name))
    return re.sub(r"(?:'s|')$", "", name).strip(" .,;:")


def _headline(line: str) -> bool:
    """A title-case line without a full stop: the parser tags its capitalised words as
    names ("Clinton Probe", "With Clinton")."""
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    capitalised = sum(1 for w in words if w[:1].isupper())
    return not re.search(r"[.!?][\"”’']?\s*$", line.strip()) and capitalised > len(words) / 2


def parser_names(texts: Sequence[str]) -> list[frozenset[str]]:
    """Per article, every name the parser tags in it (folded, bare), paragraph by paragraph."""
    out = []
    for text in texts:
        paragraphs = [p for p in text.split("\n") if p.strip() and not _headline(p)]
        out.append(
            frozenset(
                _bare(e.text)
                for doc in parse_each(paragraphs)
                for e in doc.ents
                if e.label_ in _NAME_LABELS
            )
        )
    return out


def _first_name(word: str) -> bool:
    """A word before a tagged surname that is a first name, not a title ("President",
    "Sen.", "General"): the small parser often tags only "Budanov" of "Kyrylo Budanov"."""
    low = word.casefold()
    titles = _LEX.title_words | _LEX.role_nouns | frozenset().union(*_LEX.gender_titles.values())
    return word[:1].isupper() and not word.endswith(".") and low not in titles | STOP_WORDS


def tagged_form(form: str, tagged: frozenset[str]) -> str | None:
    """The form, less leading words (a title: "President Obama" -> "Obama"), that the parser
    tags as a name somewhere in the article, with the first name before a tagged surname;
    None when no tail of it is one."""
    words = form.split()
    for k in range(len(words)):
        tail = " ".join(words[k:])
        if _bare(tail) in tagged:
            if k == len(words) - 1 and k == 1 and _first_name(words[0]):
                return form
            return tail
    return None


def part_of(short: str, long: str) -> bool:
    """A short form inside a longer one ("Budanov" in "Kyrylo Budanov"). Weak evidence: a
    short form that fits two entities ("Korea") joins neither."""
    ws, wl = set(re.findall(r"\w+", fold(short))), set(re.findall(r"\w+", fold(long)))
    return bool(ws) and ws < wl and len(wl) <= 4


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "entity"


def canonicalize(mentions: Iterable[tuple[str, str, str]]) -> list[StoryEntity]:
    """mentions: (article id, surface form, type). Order-independent: forms are sorted first."""
    # Names only: a date or model number is no entity, "Kyiv Saturday" is Kyiv.
    mentions = [(a, part, t) for a, form, t in mentions for part in name_parts(form)]
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
        canonical = next((known[fold(n)] for n in names if fold(n) in known), None)
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
    return {fold(alias): e.id for e in entities for alias in e.aliases}


def speaker_key(speaker: str, resolve: dict[str, str]) -> str:
    """The canonical entity id of a speaker's name, else the name itself."""
    return resolve.get(fold(normalize(speaker)), speaker)
