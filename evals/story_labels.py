"""Story-level labels (evals/stories/*.yaml): the facts two or more outlets state, the
discrepancies a careful reader finds, the article pairs that relay one event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

SCHEMA = Path(__file__).resolve().parent / "schema" / "story.schema.json"
STORIES = Path(__file__).resolve().parent / "stories"
ANY = "*"  # a discrepancy side in any other article

Groups = tuple[tuple[str, ...], ...]


class StoryLabelError(ValueError):
    pass


@dataclass(frozen=True)
class LabelledArticle:
    label: str
    path: Path
    outlet: str | None


@dataclass(frozen=True)
class Fact:
    id: str
    description: str
    match: Groups
    articles: tuple[str, ...]
    min_articles: int
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelledDiscrepancy:
    id: str
    kind: str
    description: str
    articles: tuple[str, str]
    side_a: Groups
    side_b: Groups
    required: bool


@dataclass(frozen=True)
class Shared:
    articles: tuple[str, str]
    min_clusters: int


@dataclass(frozen=True)
class StoryLabel:
    id: str
    articles: tuple[LabelledArticle, ...]
    facts: tuple[Fact, ...]
    discrepancies: tuple[LabelledDiscrepancy, ...]
    shared: tuple[Shared, ...]
    forbidden_entities: tuple[str, ...]


def _groups(raw: list[list[str]]) -> Groups:
    return tuple(tuple(str(x) for x in g) for g in raw)


def load_story_label(path: Path) -> StoryLabel:
    raw = yaml.safe_load(path.read_text())
    error = best_match(Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(raw))
    if error is not None:
        raise StoryLabelError(f"{path}: {error.message} at {list(error.absolute_path)}")
    labels = {a["label"] for a in raw["articles"]}
    referenced = [x for f in raw["facts"] for x in f["articles"]] + [
        x for d in raw.get("discrepancies", []) for x in d["articles"] if x != ANY
    ]
    unknown = sorted(set(referenced) - labels)
    if unknown:
        raise StoryLabelError(f"{path}: unknown article labels {unknown}")
    return StoryLabel(
        id=raw["id"],
        articles=tuple(
            LabelledArticle(a["label"], (path.parent / a["path"]).resolve(), a.get("outlet"))
            for a in raw["articles"]
        ),
        facts=tuple(
            Fact(
                f["id"],
                f["description"],
                _groups(f["match"]),
                tuple(f["articles"]),
                f["min_articles"],
                tuple(f.get("numbers", [])),
            )
            for f in raw["facts"]
        ),
        discrepancies=tuple(
            LabelledDiscrepancy(
                d["id"],
                d["kind"],
                d["description"],
                tuple(d["articles"]),
                _groups(d["side_a"]),
                _groups(d["side_b"]),
                d.get("required", True),
            )
            for d in raw.get("discrepancies", [])
        ),
        shared=tuple(
            Shared(tuple(s["articles"]), s["min_clusters"]) for s in raw.get("shared", [])
        ),
        forbidden_entities=tuple(raw.get("forbidden_entities", [])),
    )
