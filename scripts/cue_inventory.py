"""Derive the speech-cue inventory (verbs and verb phrases that attribute a statement) from
PolNeAR's TRAIN split and write it into the English language pack as data.

    .venv/bin/python scripts/cue_inventory.py            # rewrite the block in en.yaml
    .venv/bin/python scripts/cue_inventory.py --dry-run  # print it, with the counts

Every annotated Cue span is parsed with the pipeline's own parser; the cue's head verb
(the span token whose head lies outside it) is counted by lemma, with its particle when it
has one ("hit back", "point out"). A lemma joins the inventory when it is a cue often
enough (at least FLOOR times) and reliably enough, measured as the share of its verb uses
in the train texts that are annotated cues: at RATIO or more it is a cue on its own
(`cue_verbs`: said, insisted, vowed); from CLAUSAL_RATIO it is one only with a clause or
quotation to report (`cue_verbs_clausal`: "responded that ...", "threatened to ..."), so
"support" or "offer", cues now and then but plain verbs mostly, do not turn narration into
someone's statement. Only the train split is read (dev
measures, test is reported once). The pipeline reads the written list; this script is not
needed at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, Token

from evals.corpora import corpus
from service.pipeline.reading.nlp import parser

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "service" / "pipeline" / "language" / "en.yaml"
BEGIN = "# BEGIN cue inventory"
END = "# END cue inventory"
FLOOR = 5  # annotated uses in train
RATIO = 0.5  # annotated uses / verb uses in the train texts: a cue on its own
CLAUSAL_RATIO = 0.2  # a cue when it reports a clause or a quotation
MAX_CUE_TOKENS = 4  # longer cue spans are paraphrases ("reserved his most eloquent passion for")
SOURCE_FLOOR = 10  # a common noun heading this many annotated sources names a speaker
MAX_SOURCE_TOKENS = 8


def _spans(ann: Path) -> set[tuple[str, int, int]]:
    """Cue and Source spans of one annotation file (first..last offset of a discontinuous
    span)."""
    out = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        kind = parts[1].split(" ", 1)[0] if len(parts) == 3 else ""
        if kind in ("Cue", "Source"):
            offsets = parts[1][len(kind) + 1 :].split(";")
            out.add((kind, int(offsets[0].split()[0]), int(offsets[-1].split()[1])))
    return out


def _key(verb: Token) -> str:
    """A verb's lemma, with its particle: "hit back", "point out"."""
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    return f"{verb.lemma_.lower()} {prt.lower_}" if prt is not None else verb.lemma_.lower()


def _head(doc: Doc, start: int, end: int, pos: str, longest: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) > longest:
        return None
    heads = [t for t in span if t.head.i == t.i or not span.start <= t.head.i < span.end]
    head = heads[0] if len(heads) == 1 else None
    return head if head is not None and head.pos_ == pos else None


def count(root: Path) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(annotated cue uses, all verb uses) by key, and the common nouns heading annotated
    sources, over the train split."""
    train = root / "data" / "train"
    cues_by_text: dict[str, set[tuple[str, int, int]]] = {}
    for ann in sorted((train / "attributions").glob("*.ann")):
        base = ann.stem.rsplit("_", 1)[0]  # one file per annotator; spans are merged
        cues_by_text.setdefault(base, set()).update(_spans(ann))
    cued: Counter[str] = Counter()
    used: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    bases = sorted(cues_by_text)
    texts = (
        (train / "text" / f"{b}.txt").read_text(encoding="utf-8")
        for b in bases
        if (train / "text" / f"{b}.txt").is_file()
    )
    for n, (base, doc) in enumerate(zip(bases, parser().pipe(texts, batch_size=8), strict=False)):
        used.update(_key(t) for t in doc if t.pos_ == "VERB")
        for kind, start, end in cues_by_text[base]:
            if kind == "Cue" and (head := _head(doc, start, end, "VERB", MAX_CUE_TOKENS)):
                cued[_key(head)] += 1
            elif kind == "Source" and (head := _head(doc, start, end, "NOUN", MAX_SOURCE_TOKENS)):
                sources[head.lemma_.lower()] += 1
        if n % 100 == 0:
            print(f"{n}/{len(bases)} articles", file=sys.stderr)
    return cued, used, sources


def inventory(cued: Counter[str], used: Counter[str]) -> list[tuple[str, int, float]]:
    keep = []
    for key, n in cued.most_common():
        ratio = n / max(used[key], n)
        if n >= FLOOR and ratio >= CLAUSAL_RATIO and re.fullmatch(r"[a-z]+( [a-z]+)?", key):
            keep.append((key, n, ratio))
    return keep


def block(keep: list[tuple[str, int, float]], sources: Counter[str]) -> str:
    alone = sorted(k for k, _, r in keep if r >= RATIO)
    clausal = sorted(k for k, _, r in keep if r < RATIO)
    nouns = sorted(k for k, n in sources.items() if n >= SOURCE_FLOOR and k.isalpha())
    lines = [
        BEGIN,
        "# Derived from PolNeAR TRAIN by scripts/cue_inventory.py (do not edit by hand; rerun",
        "# `.venv/bin/python scripts/cue_inventory.py`): the head verbs (with a particle: 'point",
        "# out') of annotated Cue spans, lemmatised by the pipeline's parser, annotated at least",
        f"# {FLOOR} times. cue_verbs: a cue in at least {RATIO:.0%} of the verb's uses in the train",
        f"# texts; cue_verbs_clausal: in {CLAUSAL_RATIO:.0%}-{RATIO:.0%}, a cue only when it "
        "reports a clause",
        "# or a quotation. source_nouns: common nouns heading at least "
        f"{SOURCE_FLOOR} annotated Source spans",
        "# ('campaign', 'spokesman'): a subject that can speak.",
        "cue_verbs: [",
        *_wrapped(alone),
        "]",
        "cue_verbs_clausal: [",
        *_wrapped(clausal),
        "]",
        "source_nouns: [",
        *_wrapped(nouns),
        "]",
        END,
    ]
    return "\n".join(lines)


def _wrapped(words: list[str], width: int = 90) -> list[str]:
    lines, line = [], ""
    for w in words:
        if line and len(line) + 2 + len(w) > width:
            lines.append(f"  {line},")
            line = w
        else:
            line = f"{line}, {w}" if line else w
    return [*lines, f"  {line}"] if line else lines


def write(text: str) -> None:
    pack = PACK.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    updated = pattern.sub(lambda _: text, pack) if pattern.search(pack) else f"{pack}\n{text}\n"
    PACK.write_text(updated, encoding="utf-8")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--dry-run", action="store_true")
    dry = args.parse_args().dry_run
    root = corpus("polnear")
    if root is None:
        print("PolNeAR is not on this machine (see evals/corpora): nothing derived")
        return
    cued, used, sources = count(root)
    keep = inventory(cued, used)
    if dry:
        for key, n, ratio in keep:
            print(f"{key:20} {n:5} {ratio:.2f}")
        print(block(keep, sources))
        return
    write(block(keep, sources))
    print(f"{len(keep)} cues written to {PACK.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
