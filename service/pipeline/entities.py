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
    """Keep only forms found verbatim in the cleaned text; merge entities sharing a form
    (the model may list "Budanov" apart from "Kyrylo Budanov"); drop entities with none."""
    groups: list[tuple[str, dict[str, int]]] = []
    for key, etype in _TYPES.items():
        for spellings in data.get(key, []):
            forms: dict[str, int] = {}
            for form in spellings:
                form = " ".join(str(form).split())
                n = _count(form, text)
                if n and form not in forms:
                    forms[form] = n
            if not forms:
                continue
            twin = next((g for g in groups if _same(g[1], forms, etype == "person")), None)
            if twin is None:
                groups.append((etype, forms))
            else:
                for form, n in forms.items():
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


def _same(a: dict[str, int], b: dict[str, int], person: bool) -> bool:
    fa = {f.casefold() for f in a}
    fb = {f.casefold() for f in b}
    if fa & fb:
        return True
    if not person:
        return False
    # A surname alone is the same person as the full name ending in it.
    return any(x.split()[-1] == y for x in fa for y in fb) or any(
        y.split()[-1] == x for x in fa for y in fb
    )


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
