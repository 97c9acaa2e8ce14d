"""Hand-labelled evaluation cases: load a YAML case, validate it, and resolve its article.

The JSON schema (evals/schema/case.schema.json) is the contract for labellers; this module
adds the cross-references the schema cannot express (speaker ids must name an entity, ids
must be unique) so a typo in a label fails loudly at load time instead of silently scoring 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from evals.text import normalize

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "case.schema.json"
OUTLET = "outlet"  # the speaker id for the article's own voice
UNATTRIBUTED = "unattributed"  # the speaker id when the article names no source

Group = tuple[str, ...]  # alternatives: OR
Groups = tuple[Group, ...]  # AND over groups


class CaseError(ValueError):
    """A case file that cannot be used: bad YAML, schema violation or dangling reference."""


@dataclass(frozen=True)
class EntityLabel:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ExpectedClaim:
    id: str
    description: str
    match: Groups
    speaker: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    hedge: str | None = None
    kind: str | None = None
    cue: tuple[str, ...] = ()  # acceptable attribution cues; the first is the primary one
    evidence: tuple[str, ...] = ()  # verbatim snippets of the sentences the claim needs
    importance: int | None = None  # 3 key fact, 2 supporting, 1 background


@dataclass(frozen=True)
class ForbiddenFact:
    id: str
    description: str
    match: Groups
    reason: str


@dataclass(frozen=True)
class SummaryExpectation:
    max_words: int | None
    must_mention: Groups = ()
    must_not_mention: Groups = ()
    lead: tuple[Groups, ...] = ()  # the one or two facts any summary must state


@dataclass(frozen=True)
class Case:
    id: str
    description: str
    story: str
    path: Path
    article_path: Path
    article_text: str
    format: str
    outlet: str | None
    published_at: str | None
    entities: tuple[EntityLabel, ...]
    claims: tuple[ExpectedClaim, ...]
    forbidden: tuple[ForbiddenFact, ...]
    boilerplate: tuple[str, ...]
    summary: SummaryExpectation

    def alias_sets(self) -> dict[str, set[str]]:
        """Entity id -> every surface form a labeller accepts for it (name included)."""
        return {e.id: {e.name, *e.aliases} for e in self.entities}


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _groups(raw: list[list[str]] | None) -> Groups:
    return tuple(tuple(group) for group in raw or [])


def _check_references(data: dict[str, Any], name: str) -> None:
    """What the schema cannot say: unique ids and speakers that name a labelled entity."""
    entity_ids = [e["id"] for e in data["entities"]]
    for kind, ids in (
        ("entities", entity_ids),
        ("claims", [c["id"] for c in data["claims"]]),
        ("forbidden", [f["id"] for f in data["forbidden"]]),
    ):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise CaseError(f"{name}: {kind}: duplicate ids {duplicates}")
    known = {*entity_ids, OUTLET, UNATTRIBUTED}
    for index, claim in enumerate(data["claims"]):
        unknown = [s for s in claim["speaker"] if s not in known]
        if unknown:
            raise CaseError(f"{name}: claims/{index}/speaker: unknown entity ids {unknown}")


def _check_snippets(data: dict[str, Any], article: str, name: str) -> None:
    """Evidence snippets must be the article's words, or evidence precision silently scores 0."""
    text = normalize(article)
    for index, claim in enumerate(data["claims"]):
        absent = [s for s in claim.get("evidence", ()) if normalize(s) not in text]
        if absent:
            raise CaseError(f"{name}: claims/{index}/evidence: not in the article: {absent}")


def _cues(raw: str | list[str] | None) -> tuple[str, ...]:
    return (raw,) if isinstance(raw, str) else tuple(raw or ())


def load_case(path: str | Path) -> Case:
    """Load and validate one case; the article is read exactly (no newline translation)
    because evidence offsets index the raw text."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseError(f"{path.name}: cannot read case: {exc}") from exc
    # best_match: the most specific error, so the message points at the offending field.
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "<root>"
        raise CaseError(f"{path.name}: {where}: {error.message}")
    _check_references(data, path.name)

    article = data["article"]
    article_path = (path.parent / article["path"]).resolve()
    try:
        article_text = article_path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError(f"{path.name}: article/path: cannot read {article_path}: {exc}") from exc
    _check_snippets(data, article_text, path.name)
    summary = data["summary"]
    return Case(
        id=data["id"],
        description=data["description"],
        story=data["story"],
        path=path,
        article_path=article_path,
        article_text=article_text,
        format=article["format"],
        outlet=article["outlet"],
        published_at=article["published_at"],
        entities=tuple(
            EntityLabel(e["id"], e["name"], e["type"], tuple(e["aliases"]))
            for e in data["entities"]
        ),
        claims=tuple(
            ExpectedClaim(
                id=c["id"],
                description=c["description"],
                match=_groups(c["match"]),
                speaker=tuple(c["speaker"]),
                numbers=tuple(c.get("numbers", ())),
                hedge=c.get("hedge"),
                kind=c.get("kind"),
                cue=_cues(c.get("cue")),
                evidence=tuple(c.get("evidence", ())),
                importance=c.get("importance"),
            )
            for c in data["claims"]
        ),
        forbidden=tuple(
            ForbiddenFact(f["id"], f["description"], _groups(f["match"]), f["reason"])
            for f in data["forbidden"]
        ),
        boilerplate=tuple(data["boilerplate"]),
        summary=SummaryExpectation(
            max_words=summary.get("max_words"),
            must_mention=_groups(summary.get("must_mention")),
            must_not_mention=_groups(summary.get("must_not_mention")),
            lead=tuple(_groups(fact) for fact in summary.get("lead") or []),
        ),
    )


def load_cases(directory: str | Path) -> list[Case]:
    """Every *.yaml case under `directory`, sorted by case id (stable report order)."""
    cases = [load_case(p) for p in sorted(Path(directory).glob("*.yaml"))]
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CaseError(f"{directory}: duplicate case ids {duplicates}")
    return sorted(cases, key=lambda c: c.id)
