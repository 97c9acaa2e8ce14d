"""Judging a story's clusters against story labels: is a cluster one fact?

A multi-article cluster (a nested specific one too) is judged by its members, each an
article's support: its claim text and evidence quotes, and the labelled article it comes
from. A member *states* a labelled fact when its article is one the fact lists and its words
match the fact's groups.

- wrong: a labelled `different` pair sits in it (one member matches side a and not side b,
  another matches side b and not side a, from the pair's articles), or two members each
  state labelled facts but none in common (they say different things), or one member
  states labelled facts and another member's article states none of them by the labels
  (a fact's article list is complete: the labeller read every article for it);
- right: every member states one same labelled fact;
- unjudged: otherwise (some member states no labelled fact, and nothing shows an error).

Precision is right / (right + wrong); the strict precision counts unjudged clusters as
wrong, since labels list only facts two or more articles state, a cluster none of them
describes is more often an error than a fact the labeller missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from evals.matching import matches
from evals.scorers import Score
from evals.story_labels import Different, StoryLabel
from evals.story_metrics import StoryJson, StoryScorer, story_metric

_FILE_NAME = re.compile(r"\.(?:txt|html?|json)$|^\d{3}_[0-9a-f]{8,}$|_\d{4}-\d{2}-\d{2}_", re.I)
_FIRST_SECOND_PERSON = frozenset("i me my we us our you your".split())
_SUFFIX = frozenset("jr jr. sr sr. ii iii".split())
_RUNS_ON = re.compile(r" [A-Z][a-z]+")


@dataclass(frozen=True)
class Verdict:
    cluster: str
    text: str
    verdict: str  # right | wrong | unjudged
    why: str
    articles: tuple[str, ...]


def support_text(side: dict[str, Any]) -> str:
    return " ".join(
        [str(side.get("text") or "")] + [s["quote"] for s in side.get("evidence") or []]
    )


def labels_of(label: StoryLabel, story: StoryJson) -> dict[str, str]:
    """Story article id -> labelled article, matched by position."""
    return {
        a["id"]: labelled.label
        for a, labelled in zip(story.get("articles") or [], label.articles, strict=False)
    }


def multi_clusters(story: StoryJson) -> Iterator[dict[str, Any]]:
    """Clusters (general and specific) that two or more articles support."""
    for top in (story.get("clusters") or []) + (story.get("single_source") or []):
        for c in [top, *(top.get("specific") or [])]:
            if len({s["article"] for s in c.get("articles") or []}) >= 2:
                yield c


def _states(label: StoryLabel, article: str | None, text: str) -> set[str]:
    return {f.id for f in label.facts if article in f.articles and matches(f.match, text)}


def _joins(pair: Different, members: list[tuple[str | None, str]]) -> bool:
    (wa, wb), ga, gb = pair.articles, pair.side_a, pair.side_b
    side_a = [
        i for i, (a, t) in enumerate(members) if a == wa and matches(ga, t) and not matches(gb, t)
    ]
    side_b = [
        i for i, (a, t) in enumerate(members) if a == wb and matches(gb, t) and not matches(ga, t)
    ]
    return any(i != j for i in side_a for j in side_b)


def judge(label: StoryLabel, story: StoryJson, cluster: dict[str, Any]) -> Verdict:
    of = labels_of(label, story)
    members = [(of.get(s["article"]), support_text(s)) for s in cluster["articles"]]
    named = tuple(sorted(str(a) for a, _ in members))

    def verdict(kind: str, why: str) -> Verdict:
        return Verdict(cluster["id"], cluster["text"], kind, why, named)

    joined = [d.id for d in label.different if _joins(d, members)]
    if joined:
        return verdict("wrong", f"different facts joined: {', '.join(joined)}")
    stated = [_states(label, a, t) for a, t in members]
    judged = [s for s in stated if s]
    if any(not (x & y) for i, x in enumerate(judged) for y in judged[i + 1 :]):
        return verdict("wrong", "members state different labelled facts")
    common = set.intersection(*stated) if stated else set()
    if common:
        return verdict("right", f"states {sorted(common)[0]}")
    stating = {f.id: set(f.articles) for f in label.facts}
    if any(
        all(article not in stating[f] for f in facts)
        for facts in judged
        for (article, _), own in zip(members, stated, strict=True)
        if not own
    ):
        return verdict("wrong", "a member's article does not state what another member states")
    return verdict("unjudged", "a member states no labelled fact")


def verdicts(label: StoryLabel, story: StoryJson) -> list[Verdict]:
    return [judge(label, story, c) for c in multi_clusters(story)]


def duplicate_clusters(story: StoryJson) -> list[str]:
    """Clusters with the very members (articles and claims) of an earlier one at the same
    level: a specific cluster refining its parent is not a duplicate."""
    seen: set[tuple[Any, ...]] = set()
    dupes = []
    for c in multi_clusters(story):
        key = (
            c.get("parent") is None,
            frozenset(
                (s["article"], tuple(sorted(s.get("claim_ids") or []))) for s in c["articles"]
            ),
        )
        if key in seen:
            dupes.append(c["id"])
        seen.add(key)
    return dupes


def bad_speaker(speaker: str, pronouns: frozenset[str]) -> bool:
    """A pronoun or a file name where a speaker's name belongs."""
    word = speaker.strip().casefold()
    return word in pronouns or word in _FIRST_SECOND_PERSON or bool(_FILE_NAME.search(word))


def cut_name(form: str, bodies: list[str]) -> str | None:
    """Why an entity form is no whole name, or None: it occurs only in the headlines (the
    first line), every occurrence in the bodies runs on into another capitalised word (a
    title or first name without its surname), or it is a surname with a suffix only."""
    words = form.split()
    if len(words) == 2 and words[1].casefold() in _SUFFIX:
        return "surname and suffix only"
    pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
    ends = [(b, m.end()) for b in bodies for m in pattern.finditer(b)]
    if not ends:
        return "only in a headline"
    if all(_RUNS_ON.match(b, end) for b, end in ends):
        return "always part of a longer name"
    return None


def _precision(label: StoryLabel, story: StoryJson, strict: bool) -> Score:
    judged = verdicts(label, story)
    counts = {k: sum(v.verdict == k for v in judged) for k in ("right", "wrong", "unjudged")}
    base = counts["right"] + counts["wrong"] + (counts["unjudged"] if strict else 0)
    value = counts["right"] / base if base else None
    name = "corroboration_precision" + ("_strict" if strict else "")
    wrong = [
        {"cluster": v.cluster, "text": v.text, "why": v.why, "articles": v.articles}
        for v in judged
        if v.verdict == "wrong" or (strict and v.verdict == "unjudged")
    ]
    return Score(
        name, value, {**counts, "wrong_clusters": wrong} if not strict else counts, value is None
    )


@story_metric(
    "higher", 0.9, "multi-article clusters whose members state one labelled fact, of those judged"
)
def corroboration_precision() -> StoryScorer:
    return lambda label, story: _precision(label, story, strict=False)


@story_metric(
    "higher", None, "multi-article clusters whose members state one labelled fact, of all"
)
def corroboration_precision_strict() -> StoryScorer:
    return lambda label, story: _precision(label, story, strict=True)


@story_metric("lower", 0.0, "labelled different-fact pairs joined in one cluster")
def different_joined() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        joined = [v for v in verdicts(label, story) if v.why.startswith("different facts")]
        return Score("different_joined", float(len(joined)),
                     {"joined": [{"cluster": v.cluster, "why": v.why} for v in joined]})  # fmt: skip

    return score


@story_metric("lower", 0.0, "clusters with the very members of another at the same level")
def duplicate_clusters_found() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        dupes = duplicate_clusters(story)
        return Score("duplicate_clusters_found", float(len(dupes)), {"duplicates": dupes})

    return score


@story_metric("lower", 0.0, "speakers that are pronouns or file names; articles named by file")
def speaker_faults() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        from service.pipeline.language import english

        pronouns = frozenset().union(*english().pronouns.values())
        judged = list(multi_clusters(story))
        speakers = [c.get("speaker", "") for c in judged] + [
            s.get("speaker", "") for c in judged for s in c["articles"]
        ]
        bad = sorted({s for s in speakers if bad_speaker(s, pronouns)})
        by_file = [
            a["id"]
            for a in story.get("articles") or []
            if label.send_outlets and a.get("named_from") == "file"
        ]
        return Score("speaker_faults", float(len(bad) + len(by_file)),
                     {"speakers": bad, "articles_named_by_file": by_file})  # fmt: skip

    return score


@story_metric("lower", 0.0, "entity forms that are no whole name: headline words, cut names")
def entity_cut_names() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        # the first line is the headline: a form seen only there is no name the text uses
        paths = [a.path for a in label.articles if a.path is not None and a.path.is_file()]
        bodies = [p.read_text().split("\n", 1)[-1] for p in paths]
        forms = {f for e in story.get("entities") or [] for f in e.get("aliases") or []}
        bad = {f: why for f in sorted(forms) if (why := cut_name(f, bodies))} if bodies else {}
        return Score("entity_cut_names", float(len(bad)), {"forms": bad}, not bodies)

    return score
