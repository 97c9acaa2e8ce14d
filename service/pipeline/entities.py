"""Stage 6: entities with the surface forms the article actually uses, and speaker names
expanded to their fullest form ("Budanov" -> "Kyrylo Budanov")."""

from __future__ import annotations

import re
from typing import Any

from service.pipeline.models import Claim, Entity, SurfaceForm

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


def _alike(a: str, b: str) -> bool:
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
        home = next((c for c in clusters if any(_alike(form, f) for f in c)), None)
        if home is None:
            clusters.append({form: n})
        else:
            home[form] = n
    return clusters


def _related(a: dict[str, int], b: dict[str, int]) -> bool:
    return any(_alike(x, y) for x in a for y in b)


_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "we", "i"})
_ROLE = re.compile(
    r"\b(chief|head|spokes(man|woman|person)|official|minister|leader|director|president|"
    r"commander|general|advis[eo]r)\b"
)


def canonical_speakers(claims: list[Claim], entities: list[Entity], outlet: str) -> None:
    """Outlet voice gets the outlet's name; a known entity's short form gets its full name;
    a pronoun or bare role ("he", "the spy chief") gets the person named in the previous
    claim, the way a reader resolves it."""
    lookup: dict[str, str] = {}
    people: set[str] = set()
    for entity in entities:
        for form in entity.surface_forms:
            lookup[form.text.casefold()] = entity.name
        if entity.type == "person":
            people.add(entity.name)
    previous: str | None = None
    for claim in claims:
        key = claim.speaker.casefold().strip()
        if key in OUTLET_VOICES:
            claim.speaker = outlet
        elif key in lookup:
            claim.speaker = lookup[key]
        elif previous and (key in _PRONOUNS or (claim.speaker.islower() and _ROLE.search(key))):
            claim.repairs.append(f"speaker '{claim.speaker}' resolved to '{previous}'")
            claim.speaker = previous
        previous = claim.speaker if claim.speaker in people else previous
