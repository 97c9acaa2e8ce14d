"""The own labelled set (evals/own/*.yaml, described in evals/own/README.md) keeps its schema.

The scorer reads these files; a label that breaks the schema, or an anchor that does not occur
exactly once in its article, would be scored silently wrong. The schema checks need no corpus;
the anchor checks read the BBC articles and skip (saying so) when the corpus is absent.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.corpora import corpus

OWN = Path(__file__).resolve().parent.parent / "evals" / "own"
GENRES = {"business", "entertainment", "politics", "sport", "tech"}
CUES = {"quote", "said", "according_to", "other"}
TOP_KEYS = ["id", "corpus", "path", "genre", "one_line", "statements", "subjects", "furniture"]
MAX_ANCHOR_WORDS = 8


def _label_files() -> list[Path]:
    return sorted(OWN.glob("*.yaml")) + sorted((OWN / "test").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def _whole_word_count(word: str, text: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text))


def _anchor_ok(anchor: object) -> bool:
    return isinstance(anchor, str) and 0 < len(anchor.split()) <= MAX_ANCHOR_WORDS


def schema_problems(data: dict[str, Any]) -> list[str]:
    """Everything in one label file that breaks the schema (empty when it is valid)."""
    problems: list[str] = []
    if list(data) != TOP_KEYS:
        return [f"keys {list(data)} != {TOP_KEYS}"]
    genre, path = data["genre"], data["path"]
    match = re.fullmatch(r"([a-z]+)/(\d{3})\.txt", str(path))
    if genre not in GENRES or not match or match.group(1) != genre:
        problems.append(f"genre/path {genre!r} {path!r}")
    elif data["id"] != f"bbc-{genre}-{match.group(2)}":
        problems.append(f"id {data['id']!r} does not follow path {path!r}")
    if data["corpus"] != "bbc" or not isinstance(data["one_line"], bool):
        problems.append("corpus must be 'bbc' and one_line a boolean")
    for item in data["statements"]:
        if list(item) != ["anchor", "speaker", "cue"] or not _anchor_ok(item["anchor"]):
            problems.append(f"statement {item!r}")
        elif not item["speaker"] or item["cue"] not in CUES:
            problems.append(f"statement speaker/cue {item!r}")
    for item in data["subjects"]:
        if list(item) != ["anchor", "form", "referent"] or not _anchor_ok(item["anchor"]):
            problems.append(f"subject {item!r}")
        elif _whole_word_count(str(item["form"]), item["anchor"]) != 1:
            problems.append(f"subject form not once in its anchor {item!r}")
        elif item["referent"] is not None and not str(item["referent"]).strip():
            problems.append(f"subject referent empty {item!r}")
    if not isinstance(data["furniture"], list):
        problems.append("furniture must be a list")
    return problems


def anchor_problems(data: dict[str, Any], text: str) -> list[str]:
    """Anchors that do not occur exactly once in the article text."""
    anchors = [s["anchor"] for s in data["statements"]] + [s["anchor"] for s in data["subjects"]]
    anchors += list(data["furniture"])
    return [f"{a!r} occurs {text.count(a)}x" for a in anchors if text.count(a) != 1]


def test_the_set_has_its_size() -> None:
    docs = [_load(p) for p in _label_files()]
    assert len(docs) >= 30
    assert sum(len(d["statements"]) for d in docs) >= 300
    assert sum(len(d["subjects"]) for d in docs) >= 80
    assert sum(d["one_line"] for d in docs) == 2
    assert {d["genre"] for d in docs} == GENRES


@pytest.mark.parametrize("path", _label_files(), ids=lambda p: p.stem)
def test_label_file_follows_the_schema(path: Path) -> None:
    data = _load(path)
    assert data["id"] == path.stem
    assert schema_problems(data) == []


def test_schema_check_rejects_a_broken_label() -> None:
    good = _load(_label_files()[0])
    broken = dict(good, statements=[{"anchor": "a b", "speaker": "X", "cue": "narration"}])
    assert schema_problems(broken)
    wrong_form = dict(good, subjects=[{"anchor": "the man said", "form": "he", "referent": "X"}])
    assert schema_problems(wrong_form)


@pytest.mark.parametrize("path", _label_files(), ids=lambda p: p.stem)
def test_every_anchor_occurs_once_in_its_article(path: Path) -> None:
    root = corpus("bbc")
    if root is None:
        pytest.skip("BBC corpus absent (set SUMMARIZER_CORPORA): anchors not checked")
    data = _load(path)
    text = (root / data["path"]).read_text(encoding="utf-8")
    assert anchor_problems(data, text) == []


def test_anchor_check_finds_a_missing_and_a_repeated_anchor() -> None:
    data = {
        "statements": [{"anchor": "not in the text", "speaker": "X", "cue": "said"}],
        "subjects": [{"anchor": "he said", "form": "he", "referent": "X"}],
        "furniture": [],
    }
    problems = anchor_problems(data, "First he said no. Then he said yes.")
    assert len(problems) == 2
