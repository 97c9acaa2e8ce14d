"""Stage: entities with the surface forms the article actually uses, and the one rule for
when two spellings name the same entity (`same_name`).

`rule_entities` finds names by rule (`Candidate`: a type and the spellings that name it);
`ground_entities` keeps the spellings the text uses and merges candidates that name one
entity."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from service.pipeline.language import english
from service.pipeline.models import Entity, SurfaceForm

CandidateType = Literal["person", "organization", "place"]
_ORDER: tuple[CandidateType, ...] = ("person", "organization", "place")  # grounding order


@dataclass
class Candidate:
    """A name found by rule and the spellings that name it (a surname alone joins its
    person while candidates are gathered)."""

    type: CandidateType
    forms: list[str] = field(default_factory=list)


OUTLET_VOICES = frozenset({"article", "the article", "outlet", "the outlet", "author", "report"})


def _count(form: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(form)}(?!\w)", text))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "entity"


def ground_entities(candidates: Sequence[Candidate], text: str) -> list[Entity]:
    """Keep only forms found verbatim in the cleaned text; split forms of one candidate
    that share nothing; merge candidates sharing a form ("Budanov" found apart from "Kyrylo
    Budanov"). People first, then organisations, then places, each in the order found."""
    groups: list[tuple[CandidateType, dict[str, int]]] = []
    for etype in _ORDER:
        for candidate in (c for c in candidates if c.type == etype):
            forms: dict[str, int] = {}
            for form in candidate.forms:
                form = " ".join(str(form).split())
                n = _count(form, text)
                if n and form not in forms:
                    forms[form] = n
            for cluster in _clusters(forms):
                twin = next((g for g in groups if _related(g[1], cluster)), None)
                if twin is None:
                    groups.append((etype, cluster))
                else:
                    for form, n in cluster.items():
                        twin[1].setdefault(form, n)
    entities: list[Entity] = []
    for etype, forms in groups:
        name = max(forms, key=lambda f: (len(f.split()), len(f)))
        entities.append(
            Entity(
                id=_slug(name),
                name=name,
                type=etype,
                surface_forms=[SurfaceForm(text=f, count=n) for f, n in forms.items()],
            )
        )
    return entities


def _named_after(a: str, b: str) -> bool:
    """ "Trump" and "Trump Foundation": the longer ends in an organisation word the shorter
    lacks, so it is a body named after the other, not another spelling of it."""
    short, long = sorted((a.casefold().split(), b.casefold().split()), key=len)
    return bool(long) and long[-1] in english().organisation_words and long[-1] not in short


def _words(form: str) -> set[str]:
    return {w for w in re.findall(r"\w+", form.casefold()) if len(w) >= 3}


def _initials(form: str) -> str:
    return "".join(w[0] for w in re.findall(r"\w+", form) if w[0].isupper()).casefold()


def same_name(a: str, b: str) -> bool:
    """Spellings of one entity: the same surname ("Kyrylo Budanov"/"Kirill Budanov"/
    "Budanov"), one's words inside the other's ("Defense Intelligence of Ukraine"/"Defense
    Intelligence"), or one the acronym of the other ("DPRK")."""
    wa, wb = _words(a), _words(b)
    if a.casefold() == b.casefold():
        return True
    if wa and wb and (wa <= wb or wb <= wa):
        return not _named_after(a, b)
    if same_entity(a, b):
        return True
    return any(
        x.isupper() and len(x) >= 2 and x.casefold() == _initials(y) for x, y in ((a, b), (b, a))
    )


def _clusters(forms: dict[str, int]) -> list[dict[str, int]]:
    clusters: list[dict[str, int]] = []
    for form, n in forms.items():
        home = next((c for c in clusters if any(same_name(form, f) for f in c)), None)
        if home is None:
            clusters.append({form: n})
        else:
            home[form] = n
    return clusters


def _related(a: dict[str, int], b: dict[str, int]) -> bool:
    return any(same_name(x, y) for x in a for y in b)


# One line at a time: a name never runs across a paragraph break ("North Korea\n\nIn ...").
_CAPSEQ = re.compile(
    r"(?<![\w-])(?:[A-Z][a-z’'\-]+|[A-Z]{2,5})(?:[ \t]+(?:[A-Z][a-z’'\-]+|[A-Z]{2,5}|of|de|al))*"
)
_ORG_WORDS = re.compile(
    r"\b(Council|Agency|Intelligence|House|Times|Ministry|Union|Group|News|Express|Press|Conference|"
    r"Strategy|Department|Army|Forces|Office|Bank|Company|Party|Committee|Institute|Bloomberg|Reuters|"
    r"Agreement|Treaty|Pact|Insider)\b"
)
_PLACE_WORDS = re.compile(
    r"\b(Korea|States|Republic|Oblast|Region|City|Kingdom|Federation|Island|Sea)\b"
)
_LEADING = frozenset(
    "The A An In On At According As But And Or If When While After Before During President Prime Minister "
    "Foreign Chief General Leader Spokesman Military Security Advisor Head Reports Yet However".split()
)
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish)$")
# Dates are not names: "Jan. 21", "Kyiv Saturday" -> "Kyiv".
_DATE_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday "
    "Friday Saturday Sunday Today Yesterday".split()
)


def name_parts(phrase: str) -> list[str]:
    """The names in a capitalised phrase: split at possessives ("Putin’s Russia") and date
    words ("Kyiv Saturday"), which are dropped; a model number ("KN-23") is no name."""
    out = []
    for part in re.split(r"[’']s\b", phrase):
        words: list[str] = []
        for word in [*part.split(), ""]:
            if word and word not in _DATE_WORDS and not re.search(r"\d", word):
                words.append(word)
            elif words:
                out.append(" ".join(words))
                words = []
    return out


def rule_entities(text: str) -> list[Candidate]:
    """Named entities by rule: capitalised sequences that are not just a sentence's first
    word, sorted into people / organisations / places. A surname alone joins the person it
    names ("Budanov" -> Kyrylo Budanov's forms)."""
    found: list[Candidate] = []
    seen: set[str] = set()
    for m in _CAPSEQ.finditer(text):
        if re.match(r"-?\d", text[m.end() : m.end() + 2]):
            continue  # a model number: "KN-23"
        if len([w for w in m.group(0).split() if w not in _LEADING]) > 5:
            continue  # a title-case headline
        for phrase in name_parts(m.group(0)):
            for name in _org_then_person(phrase):
                _rule_entity(name, m.start(), text, seen, found)
    people = [c for c in found if c.type == "person"]
    for etype in ("place", "organization"):
        for other in [c for c in found if c.type == etype]:
            name = other.forms[0]
            home = next(
                (p for p in people if len(name.split()) == 1 and p.forms[0].split()[-1] == name),
                None,
            )
            if home is not None:
                home.forms.append(name)
                found.remove(other)
    return found


def _org_then_person(phrase: str) -> list[str]:
    """ "Defense Intelligence Kyrylo Budanov" is an organisation, then a person."""
    words = phrase.split()
    last_org = max((i for i, w in enumerate(words) if _ORG_WORDS.fullmatch(w)), default=-1)
    rest = words[last_org + 1 :]
    if last_org >= 0 and 2 <= len(rest) <= 3 and not _PLACE_WORDS.search(" ".join(rest)):
        return [" ".join(words[: last_org + 1]), " ".join(rest)]
    return [phrase]


def _rule_entity(
    phrase: str, start: int, text: str, seen: set[str], found: list[Candidate]
) -> None:
    words = phrase.split()
    while words and (
        words[0] in _LEADING or _DEMONYM.match(words[0]) or words[-1] in ("of", "de", "al")
    ):
        words = words[:-1] if words[-1] in ("of", "de", "al") else words[1:]
    if len(words) > 4 or (words and _DEMONYM.match(words[-1])):
        return  # a title-case headline, or an adjective ("North Korean"), not a name
    name = " ".join(words)
    if not name or name in seen:
        return
    sentence_start = start == 0 or text[max(0, start - 2) : start].strip() in (".", "", '"', "“")
    if len(words) == 1 and not name.isupper() and (sentence_start or text.count(name) < 2):
        return
    seen.add(name)
    if _ORG_WORDS.search(name) or name.isupper():
        found.append(Candidate("organization", [name]))
    elif _PLACE_WORDS.search(name) or len(words) == 1:
        found.append(Candidate("place", [name]))
    elif 2 <= len(words) <= 3:
        found.append(Candidate("person", [name]))


# The one "same entity" rule, for the entities of one article and across a story's articles.
ALIASES = Path(__file__).resolve().parents[2] / "data" / "aliases.yaml"
_TRANSLIT = [("kh", "h"), ("zh", "j"), ("ts", "c"), ("y", "i"), ("w", "v"), ("ie", "i"), ("j", "i")]
_TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "general", "chief", "spokesman"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[’'`]", "'", text).casefold().strip()


def skeleton(word: str) -> str:
    """Consonant skeleton after transliteration folding: Kyrylo and Kirill -> 'krl'."""
    w = fold(word)
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
            table[fold(name)] = names[0]
    return table


def _person_words(form: str) -> list[str]:
    return [w for w in re.findall(r"[\w'-]+", form) if fold(w) not in _TITLES]


def same_entity(a: str, b: str, people: bool = True) -> bool:
    fa, fb = fold(a), fold(b)
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
