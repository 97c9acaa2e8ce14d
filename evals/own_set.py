"""Our own labelled set (evals/own/*.yaml, schema in evals/own/README.md): loader and scorer
for `summarizer eval attribution --set own`.

Every anchor is located in the article text at load, and a label whose anchor is not there
exactly once stops the run (a silently unscored label would flatter the figures). Scored on
`Engine.claims` of each article (joined into one line first when `one_line` is set):
- **speaker**: the claim carrying a statement's anchor (attribution_scoring.carrier) names
  its speaker (attribution_scoring.speaker_matches; "unattributed": the claim credits no
  one, or only the outlet's narration);
- **speaker_other**: statements credited to another name (not a role or pronoun as written);
- **speech to outlet**: statements with cue quote/said/according_to whose carrying claim is
  the article's own narration;
- **subjects**: each labelled pronoun or role noun in a claim covering it: replaced (a
  substitution of that word, or, when it is the claim's speaker, a speaker other than it as
  written) by the right name, by a wrong one (any name when the label's referent is null),
  or left as written; the worst of the claims covering it counts;
- **cut words**: claims with an evidence or cue span starting or ending inside a word;
- **furniture**: furniture anchors inside any claim's evidence, cue or substitution
  antecedent (a caption must neither be a claim nor name anyone in one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evals.attribution_report import Metric, Outcome
from evals.attribution_scoring import (
    as_written,
    attributed,
    by_outlet,
    carrier,
    names_something,
    speaker_matches,
)
from service.config import REPO_ROOT
from service.pipeline.language import english
from service.pipeline.models import UNATTRIBUTED, Claim

OWN = REPO_ROOT / "evals" / "own"
SPEECH = ("quote", "said", "according_to")

METRICS = [
    Metric("speaker", lambda o: o["type"] == "statement", lambda o: o["match"], 0.90),
    Metric("speaker_other", lambda o: o["type"] == "statement", lambda o: o["other"]),
    Metric("speech_outlet", lambda o: o.get("speech", False), lambda o: o["outlet"], 0.03, False),
    Metric("subj_right", lambda o: o["type"] == "subject", lambda o: o["outcome"] == "right"),
    Metric("subj_as_written", lambda o: o["type"] == "subject", lambda o: o["outcome"] == "left"),
    Metric("subj_wrong", lambda o: o["type"] == "subject", lambda o: o["outcome"] == "wrong"),
    Metric(
        "wrong_of_subst",
        lambda o: o["type"] == "subject" and o["outcome"] in ("right", "wrong"),
        lambda o: o["outcome"] == "wrong",
        0.01,
        False,
    ),
    Metric("cut_in_word", lambda o: o["type"] == "claim", lambda o: o["cut"], 0.0, False),
    Metric("furniture", lambda o: o["type"] == "furniture", lambda o: o["leaked"], 0.0, False),
]


class LabelError(ValueError):
    """A label file that cannot be scored as written."""


@dataclass(frozen=True)
class Anchored:
    start: int
    end: int
    label: dict[str, Any]


@dataclass(frozen=True)
class OwnArticle:
    id: str
    genre: str
    text: str
    statements: list[Anchored]
    subjects: list[Anchored]
    furniture: list[Anchored]


def article_text(raw: str, one_line: bool) -> str:
    """The text the runner sends: as stored, or every line joined by a space."""
    return " ".join(line.strip() for line in raw.splitlines() if line.strip()) if one_line else raw


def locate(text: str, anchor: str, where: str) -> tuple[int, int]:
    found = [m.start() for m in re.finditer(re.escape(anchor), text)]
    if len(found) != 1:
        raise LabelError(f"{where}: anchor {anchor!r} found {len(found)} times in the article")
    return found[0], found[0] + len(anchor)


def load_label(path: Path, corpus_root: Path) -> OwnArticle:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = {"id", "path", "genre", "statements", "subjects"} - set(data or {})
    if missing:
        raise LabelError(f"{path.name}: missing {sorted(missing)}")
    text = article_text(
        (corpus_root / data["path"]).read_text(encoding="utf-8"), bool(data.get("one_line"))
    )

    def anchored(items: Sequence[Any], key: str) -> list[Anchored]:
        out = []
        for item in items or []:
            label = item if isinstance(item, dict) else {"anchor": item}
            span = locate(text, str(label["anchor"]), f"{path.name} {key}")
            out.append(Anchored(span[0], span[1], label))
        return out

    return OwnArticle(
        data["id"],
        data["genre"],
        text,
        anchored(data["statements"], "statements"),
        anchored(data["subjects"], "subjects"),
        anchored(data.get("furniture"), "furniture"),
    )


def load_set(
    corpus_root: Path, directory: Path = OWN, limit: int | None = None
) -> list[OwnArticle]:
    return [load_label(p, corpus_root) for p in sorted(directory.glob("*.yaml"))[:limit]]


def score_statement(art: OwnArticle, item: Anchored, claims: Sequence[Claim]) -> Outcome:
    carried = carrier([(item.start, item.end)], claims)
    claim = carried.claim if carried else None
    expected = str(item.label["speaker"])
    got = claim.speaker if claim else None
    if claim is None:
        match = False
    elif expected == UNATTRIBUTED:
        match = not attributed(claim, "")
    else:
        match = attributed(claim, "") and speaker_matches(claim.speaker, expected)
    return {
        "type": "statement",
        "article": art.id,
        "genre": art.genre,
        "content": art.text[item.start : item.end],
        "expected": expected,
        "got": got,
        "claim": claim.id if claim else None,
        "match": match,
        "other": bool(
            claim and not match and attributed(claim, "") and names_something(claim.speaker)
        ),
        "speech": item.label.get("cue") in SPEECH,
        "outlet": claim is not None and by_outlet(claim, ""),
    }


def _subject_outcome(
    claim: Claim, form: str, referent: str | None, at: int
) -> tuple[str, list[str]] | None:
    """(right / wrong / left, the names put in) for one claim covering the subject word;
    None when the claim does not cover it."""
    cue = claim.attribution.cue_span if claim.attribution else None
    in_cue = cue is not None and cue.start <= at < cue.end
    if not in_cue and not any(s.start <= at < s.end for s in claim.evidence):
        return None
    made = [s.replacement for s in claim.substitutions if s.original.lower() == form.lower()]
    # The speaker stands for a subject word only when that word is the speaker: a possessive
    # in the cue ("His party leader, Michael Howard, said") names someone else.
    possessive = form.lower() in english().possessive_pronouns
    if not made and in_cue and not possessive and not as_written(claim.speaker, form):
        made = [claim.speaker]
    if not made:
        return "left", []
    good = referent is not None and all(speaker_matches(m, referent) for m in made)
    return ("right" if good else "wrong"), made


def score_subject(art: OwnArticle, item: Anchored, claims: Sequence[Claim]) -> Outcome:
    form = str(item.label["form"])
    referent = item.label.get("referent")
    anchor = art.text[item.start : item.end]
    m = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", anchor, re.I)
    at = item.start + (m.start() if m else 0)
    found = [r for c in claims if (r := _subject_outcome(c, form, referent, at)) is not None]
    outcome = next((k for k in ("wrong", "right", "left") if k in {r[0] for r in found}), "none")
    made = next((r[1] for r in found if r[0] == outcome), [])
    return {
        "type": "subject",
        "article": art.id,
        "genre": art.genre,
        "content": anchor,
        "form": form,
        "expected": referent,
        "got": ", ".join(made) or form,
        "outcome": outcome,
    }


def cut_inside(text: str, start: int, end: int) -> bool:
    """A span starting or ending between two letters or digits of one word."""
    return any(
        0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum() for i in (start, end)
    )


def score_article(art: OwnArticle, claims: Sequence[Claim]) -> list[Outcome]:
    out = [score_statement(art, s, claims) for s in art.statements]
    out += [score_subject(art, s, claims) for s in art.subjects]
    for claim in claims:
        spans = claim.evidence + (
            [claim.attribution.cue_span] if claim.attribution and claim.attribution.cue_span else []
        )
        cut = [s.quote for s in spans if cut_inside(art.text, s.start, s.end)]
        out.append(
            {
                "type": "claim",
                "article": art.id,
                "genre": art.genre,
                "claim": claim.id,
                "cut": bool(cut),
                "content": claim.text[:120],
                "expected": "whole words",
                "got": cut[:1],
            }
        )
    for f in art.furniture:
        inside = [
            c.id for c in claims if any(s.start < f.end and f.start < s.end for s in c.spans())
        ]
        out.append(
            {
                "type": "furniture",
                "article": art.id,
                "genre": art.genre,
                "leaked": bool(inside),
                "content": art.text[f.start : f.end],
                "expected": "no claim",
                "got": inside,
            }
        )
    return out


def why(o: Outcome) -> str | None:
    if o["type"] == "statement" and not o["match"]:
        if o["outlet"]:
            return "credited to the outlet"
        if o["other"]:
            return "wrong speaker"
        return "unattributed" if o["got"] in (None, UNATTRIBUTED) else "speaker as written"
    if o["type"] == "subject" and o["outcome"] == "wrong":
        return "wrong name"
    if o["type"] == "claim" and o["cut"]:
        return "cut inside a word"
    if o["type"] == "furniture" and o["leaked"]:
        return "furniture in a claim"
    return None
