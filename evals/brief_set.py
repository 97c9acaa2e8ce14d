"""The brief's development set: public news articles (the BBC news set and PolNeAR), each
labelled with the facts a brief must state, written before the tool ran on it.

One YAML file per article in evals/brief/. The article text stays in the corpus folder
(`evals.corpora.corpus`), never in the repository; a label names it by corpus and path.
`pick` is the seeded choice that made the set (recorded in evals/brief/README.md).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from evals.corpora import corpus

BRIEF_DIR = Path(__file__).resolve().parent / "brief"
BBC_GENRES = ("business", "entertainment", "politics", "sport", "tech")
SEED = 23  # the number
MIN_WORDS, MAX_WORDS = 250, 900  # body words (the title line left out)


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str
    # AND over groups, OR over a group's alternatives (evals.matching.matches).
    match: tuple[tuple[str, ...], ...] = Field(min_length=1)


class BriefArticle(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    corpus: Literal["bbc", "polnear"]
    path: str
    genre: str
    publisher: str
    split: Literal["dev", "test"]
    facts: tuple[Fact, ...] = Field(min_length=3, max_length=6)

    def source(self) -> Path | None:
        """The article file, or None when its corpus is not on this machine."""
        root = corpus(self.corpus)
        if root is None:
            return None
        base = root / "data" if self.corpus == "polnear" else root
        return base / self.path


def split_title(text: str) -> tuple[str, str]:
    """(title, body): both corpora put the title on the first line."""
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def load_set(
    directory: Path = BRIEF_DIR, split: str | None = None, limit: int | None = None
) -> list[BriefArticle]:
    """Every labelled article (of one split), in id order; `limit` keeps the first N."""
    articles = []
    for path in sorted(directory.glob("*.yaml")):
        article = BriefArticle.model_validate(yaml.safe_load(path.read_text()))
        if article.id != path.stem:
            raise ValueError(f"{path.name}: id {article.id!r} is not the file's name")
        if split is None or article.split == split:
            articles.append(article)
    return articles[:limit] if limit else articles


# -- the seeded pick (how the set was chosen; rerun only to reproduce it) ------------------


def _fits(path: Path) -> bool:
    words = len(split_title(path.read_text(errors="replace"))[1].split())
    return MIN_WORDS <= words <= MAX_WORDS


def _take(candidates: Sequence[str], count: int, rng: random.Random) -> list[str]:
    pool = sorted(candidates)
    rng.shuffle(pool)
    return pool[:count]


def pick_bbc(root: Path, per_genre: int, avoid: Iterable[str], rng: random.Random) -> list[str]:
    """`per_genre` files of each genre (relative paths), length-filtered, `avoid` left out."""
    taken = set(avoid)
    chosen = []
    for genre in BBC_GENRES:
        files = [f"{genre}/{p.name}" for p in sorted((root / genre).glob("*.txt")) if _fits(p)]
        chosen += _take([f for f in files if f not in taken], per_genre, rng)
    return chosen


def pick_polnear(root: Path, count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` (path under data/, publisher) from train and dev, round-robin over publishers
    in a seeded order so each publisher gets count/7 or one more."""
    publisher = {}
    for line in (root / "data" / "metadata.tsv").read_text().splitlines()[1:]:
        cols = line.split("\t")
        if cols[0] in ("train", "dev"):
            publisher[f"{cols[0]}/text/{cols[1]}.txt"] = cols[4]
    names = sorted(set(publisher.values()))
    rng.shuffle(names)
    fits = [p for p in sorted(publisher) if (root / "data" / p).exists()]
    fits = [p for p in fits if _fits(root / "data" / p)]
    queues = {n: _take([p for p in fits if publisher[p] == n], count, rng) for n in names}
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count:
        for name in names:
            if len(chosen) < count and queues[name]:
                chosen.append((queues[name].pop(0), name))
    return chosen


def split_of(index: int) -> Literal["dev", "test"]:
    """Every third pick of a group (genre or corpus) is test: about one third."""
    return "test" if index % 3 == 2 else "dev"
