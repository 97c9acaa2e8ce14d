"""Story-level labels (evals/stories/*.yaml): the facts two or more outlets state, the
discrepancies a careful reader finds, the statement pairs that share words but are different
facts, the article pairs that relay one event.

An article is a file next to the labels, or a file in a corpus kept outside the repository
(`corpus: polnear`, its path inside the corpus folder): without that corpus on the machine
the set is not built, and says why (`StoryLabel.missing`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from evals.corpora import corpus
from evals.matching import matches

SCHEMA = Path(__file__).resolve().parent / "schema" / "story.schema.json"
STORIES = Path(__file__).resolve().parent / "stories"
ANY = "*"  # a discrepancy side in any other article
_SENTENCE = re.compile(r"(?<=[.!?\u201d\"])\s+|\n+")

Groups = tuple[tuple[str, ...], ...]


class StoryLabelError(ValueError):
    pass


@dataclass(frozen=True)
class LabelledArticle:
    label: str
    path: Path | None  # None: its corpus is not on this machine
    outlet: str | None
    source: str  # the path as labelled, with its corpus ("polnear:data/dev/text/x.txt")


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
class Different:
    """Two statements that share words but state different facts: never one cluster."""

    id: str
    description: str
    articles: tuple[str, str]
    side_a: Groups
    side_b: Groups


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
    split: str = "seed"
    split_pick: str | None = None
    send_outlets: bool = False
    different: tuple[Different, ...] = ()

    @property
    def missing(self) -> list[str]:
        """Articles whose corpus is absent here (the set cannot be built)."""
        return [a.source for a in self.articles if a.path is None]


def _groups(raw: list[list[str]]) -> Groups:
    return tuple(tuple(str(x) for x in g) for g in raw)


def load_story_label(path: Path) -> StoryLabel:
    raw = yaml.safe_load(path.read_text())
    error = best_match(Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(raw))
    if error is not None:
        raise StoryLabelError(f"{path}: {error.message} at {list(error.absolute_path)}")
    labels = {a["label"] for a in raw["articles"]}
    referenced = [x for f in raw["facts"] for x in f["articles"]] + [
        x
        for d in raw.get("discrepancies", []) + raw.get("different", [])
        for x in d["articles"]
        if x != ANY
    ]
    unknown = sorted(set(referenced) - labels)
    if unknown:
        raise StoryLabelError(f"{path}: unknown article labels {unknown}")
    return StoryLabel(
        id=raw["id"],
        articles=tuple(_article(path, a) for a in raw["articles"]),
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
            LabelledDiscrepancy(**_sides(d), kind=d["kind"], required=d.get("required", True))
            for d in raw.get("discrepancies", [])
        ),
        shared=tuple(
            Shared(tuple(s["articles"]), s["min_clusters"]) for s in raw.get("shared", [])
        ),
        forbidden_entities=tuple(raw.get("forbidden_entities", [])),
        split=raw.get("split", "seed"),
        split_pick=raw.get("split_pick"),
        send_outlets=raw.get("send_outlets", False),
        different=tuple(Different(**_sides(d)) for d in raw.get("different", [])),
    )


def _sides(raw: dict[str, Any]) -> dict[str, Any]:
    """What a discrepancy and a `different` pair both have: two sides in two articles."""
    return {
        "id": raw["id"],
        "description": raw["description"],
        "articles": tuple(raw["articles"]),
        "side_a": _groups(raw["side_a"]),
        "side_b": _groups(raw["side_b"]),
    }


def _article(labels: Path, raw: dict[str, str]) -> LabelledArticle:
    if "corpus" not in raw:
        local = (labels.parent / raw["path"]).resolve()
        return LabelledArticle(raw["label"], local, raw.get("outlet"), raw["path"])
    folder = corpus(raw["corpus"])
    found = None if folder is None or not (folder / raw["path"]).is_file() else folder / raw["path"]
    return LabelledArticle(raw["label"], found, raw.get("outlet"), f"{raw['corpus']}:{raw['path']}")


def load_story_labels(directory: Path = STORIES, split: str | None = None) -> list[StoryLabel]:
    """Every label file in the folder (seed, dev and test parts), or one part's."""
    labels = [load_story_label(p) for p in sorted(directory.glob("*.yaml"))]
    return [s for s in labels if split is None or s.split == split]


def _passages(text: str) -> list[str]:
    """Sentences and runs of three: a labelled statement may span a sentence break."""
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    return sentences + [" ".join(sentences[i : i + 3]) for i in range(len(sentences))]


def unanchored(label: StoryLabel) -> list[str]:
    """Label entries whose word groups match no passage of an article they name: a fact in
    each of its articles, each side of a `different` pair or discrepancy in its article."""
    texts = {a.label: _passages(a.path.read_text()) for a in label.articles if a.path}
    pairs: list[Different | LabelledDiscrepancy] = [*label.different, *label.discrepancies]
    wanted = [(f"fact {f.id}", f.match, a) for f in label.facts for a in f.articles] + [
        (f"{d.id} side {side}", groups, article)
        for d in pairs
        for side, groups, article in (
            ("a", d.side_a, d.articles[0]),
            ("b", d.side_b, d.articles[1]),
        )
    ]
    return [
        f"{what} in {article}"
        for what, groups, article in wanted
        if not any(
            matches(groups, p) for name, ps in texts.items() if article in (ANY, name) for p in ps
        )
    ]
