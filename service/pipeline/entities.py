"""Stage: entities with the surface forms the article actually uses, and the one rule for
when two spellings name the same entity (`same_name`)."""

from __future__ import annotations

import re
from typing import Any

from service.pipeline.models import Entity, SurfaceForm

OUTLET_VOICES = frozenset({"article", "the article", "outlet", "the outlet", "author", "report"})


def _count(form: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(form)}(?!\w)", text))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "entity"


_TYPES = {"people": "person", "organizations": "organization", "places": "place"}


def ground_entities(data: dict[str, Any], text: str) -> list[Entity]:
    """Keep only forms found verbatim in the cleaned text; split forms the model lumped
    together that share nothing; merge entities sharing a form (the model may list
    "Budanov" apart from "Kyrylo Budanov")."""
    groups: list[tuple[str, dict[str, int]]] = []
    for key, etype in _TYPES.items():
        for spellings in data.get(key, []):
            forms: dict[str, int] = {}
            for form in spellings:
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
                type=etype,  # type: ignore[arg-type]
                surface_forms=[SurfaceForm(text=f, count=n) for f, n in forms.items()],
            )
        )
    return entities


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
        return True
    last_a, last_b = a.split()[-1].casefold(), b.split()[-1].casefold()
    if last_a == last_b and len(last_a) >= 4 and a[0].isupper() and b[0].isupper():
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


_CAPSEQ = re.compile(
    r"\b(?:[A-Z][a-z’'\-]+|[A-Z]{2,5})(?:\s+(?:[A-Z][a-z’'\-]+|[A-Z]{2,5}|of|de|al))*"
)
_ORG_WORDS = re.compile(
    r"\b(Council|Agency|Intelligence|House|Times|Ministry|Union|Group|News|Express|Press|Conference|"
    r"Strategy|Department|Army|Forces|Office|Bank|Company|Party|Committee|Institute|Bloomberg|Reuters|"
    r"Agreement|Treaty|Pact)\b"
)
_PLACE_WORDS = re.compile(
    r"\b(Korea|States|Republic|Oblast|Region|City|Kingdom|Federation|Island|Sea)\b"
)
_LEADING = frozenset(
    "The A An In On At According As But And Or If When While After Before During President Prime Minister "
    "Foreign Chief General Leader Spokesman Military Security Advisor Head Reports".split()
)
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish)$")


def rule_entities(text: str) -> dict[str, list[list[str]]]:
    """Named entities by rule, for when the model lists none: capitalised sequences that are
    not just a sentence's first word, sorted into people / organisations / places."""
    found: dict[str, list[list[str]]] = {"people": [], "organizations": [], "places": []}
    seen: set[str] = set()
    for m in _CAPSEQ.finditer(text):
        words = m.group(0).replace("’s", "").replace("'s", "").split()
        while words and (
            words[0] in _LEADING or _DEMONYM.match(words[0]) or words[-1] in ("of", "de", "al")
        ):
            words = words[:-1] if words[-1] in ("of", "de", "al") else words[1:]
        if len(words) > 4 or (words and _DEMONYM.match(words[-1])):
            continue  # a title-case headline, or an adjective ("North Korean"), not a name
        name = " ".join(words)
        if not name or name in seen:
            continue
        sentence_start = m.start() == 0 or text[max(0, m.start() - 2) : m.start()].strip() in (
            ".",
            "",
            '"',
            "“",
        )
        if len(words) == 1 and not name.isupper() and (sentence_start or text.count(name) < 2):
            continue
        seen.add(name)
        if _ORG_WORDS.search(name) or name.isupper():
            found["organizations"].append([name])
        elif _PLACE_WORDS.search(name) or len(words) == 1:
            found["places"].append([name])
        elif 2 <= len(words) <= 3:
            found["people"].append([name])
    return found
