"""PolNeAR (networkdynamics/PolNeAR) as the attribution eval reads it: each article's text,
publisher, annotated attributions and CoreNLP tokens and coreference.

Layout of the corpus folder (`evals.corpora.corpus("polnear")`):
`data/metadata.tsv` (compartment, filename, publisher, ...), `data/<split>/text/<name>.txt`,
`data/<split>/attributions/<name>_<annotator>.ann` (brat standoff: `T` lines are Source, Cue,
Content or Attribution spans with character offsets, discontinuous ones written
"start end;start end"; `E` lines join an Attribution, or an Attribution-no-source, to its
Content, Cue and Source) and `data/<split>/corenlp/<name>.txt.xml` (tokens with character
offsets, POS, NER and lemma; coreference chains). An article annotated twice keeps the
annotation file that sorts first, so each article counts once.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Spans:
    """An annotated span, possibly discontinuous: its character ranges in the article."""

    fragments: Fragments

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def size(self) -> int:
        return sum(e - s for s, e in self.fragments)

    def text(self, article: str) -> str:
        return " ".join(article[s:e] for s, e in self.fragments)


@dataclass(frozen=True)
class Annotated:
    """One attribution event: what is attributed, by which words, to whom (no source for
    an Attribution-no-source event)."""

    id: str
    content: Spans
    cue: Spans | None
    source: Spans | None


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str
    lemma: str
    pos: str
    ner: str


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Article:
    name: str
    split: str
    publisher: str
    text: str
    attributions: list[Annotated]
    tokens: list[Token]
    chains: list[list[Mention]]


def parse_fragments(offsets: str) -> Fragments:
    """ "12 20;25 30" -> ((12, 20), (25, 30))."""
    pairs = (part.split() for part in offsets.split(";"))
    return tuple(sorted((int(a), int(b)) for a, b in pairs))


def parse_ann(ann: str) -> list[Annotated]:
    """Attribution events of a brat .ann file; an event without content is no statement."""
    spans: dict[str, Spans] = {}
    events: list[tuple[str, dict[str, str]]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _label, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = Spans(parse_fragments(offsets))
        elif line.startswith("E") and len(fields) >= 2:
            roles = dict(arg.split(":", 1) for arg in fields[1].split() if ":" in arg)
            events.append((fields[0], roles))
    out = []
    for event_id, roles in events:
        content = spans.get(roles.get("Content", ""))
        if content is None:
            continue
        cue, source = spans.get(roles.get("Cue", "")), spans.get(roles.get("Source", ""))
        out.append(Annotated(event_id, content, cue, source))
    return out


def parse_corenlp(xml: str) -> tuple[list[Token], list[list[Mention]]]:
    """Every token in order, and each coreference chain's mentions as token runs."""
    root = ET.fromstring(xml)
    by_sentence: list[list[Token]] = []
    for sentence in root.iter("sentence"):
        if sentence.find("tokens") is None:
            continue  # a coreference mention's <sentence> index, not a sentence
        by_sentence.append([_token(t) for t in sentence.iter("token")])
    chains: list[list[Mention]] = []
    outer = root.find("document/coreference")
    for chain in outer.findall("coreference") if outer is not None else []:
        mentions = []
        for m in chain.findall("mention"):
            row = by_sentence[int(m.findtext("sentence", "1")) - 1]
            toks = row[int(m.findtext("start", "1")) - 1 : int(m.findtext("end", "1")) - 1]
            if toks:
                mentions.append(Mention(toks[0].start, toks[-1].end, tuple(toks)))
        chains.append(mentions)
    return [t for s in by_sentence for t in s], chains


def _token(node: ET.Element) -> Token:
    return Token(
        start=int(node.findtext("CharacterOffsetBegin", "0")),
        end=int(node.findtext("CharacterOffsetEnd", "0")),
        word=node.findtext("word", ""),
        lemma=node.findtext("lemma", ""),
        pos=node.findtext("POS", ""),
        ner=node.findtext("NER", "O"),
    )


def publishers(root: Path) -> dict[str, str]:
    """Article name -> publisher, from data/metadata.tsv."""
    with (root / "data" / "metadata.tsv").open(newline="", encoding="utf-8") as fh:
        return {row["filename"]: row["publisher"] for row in csv.DictReader(fh, delimiter="\t")}


def load_split(root: Path, split: str, limit: int | None = None) -> Iterator[Article]:
    """The split's articles in name order; `limit` takes the first N of each publisher in
    turn (round robin), so a quick run still covers every publisher."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    base = root / "data" / split
    owners = publishers(root)
    names = sorted(p.stem for p in (base / "text").glob("*.txt"))
    for name in _round_robin(names, owners)[:limit] if limit else names:
        yield load_article(base, name, split, owners.get(name, "unknown"))


def _round_robin(names: list[str], owners: dict[str, str]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(owners.get(name, "unknown"), []).append(name)
    queues = [groups[k] for k in sorted(groups)]
    longest = max((len(q) for q in queues), default=0)
    return [q[i] for i in range(longest) for q in queues if i < len(q)]


def load_article(base: Path, name: str, split: str, publisher: str) -> Article:
    text = (base / "text" / f"{name}.txt").read_text(encoding="utf-8")
    anns = sorted(
        p
        for p in (base / "attributions").glob(f"{name}_*.ann")
        if "_" not in p.stem[len(name) + 1 :]
    )
    attributions = parse_ann(anns[0].read_text(encoding="utf-8")) if anns else []
    xml = base / "corenlp" / f"{name}.txt.xml"
    tokens, chains = parse_corenlp(xml.read_text(encoding="utf-8")) if xml.exists() else ([], [])
    return Article(name, split, publisher, text, attributions, tokens, chains)
