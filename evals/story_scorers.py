"""Scorers for a story view against story labels (evals/stories/*.yaml).

Each factory returns a closure scoring one story (the JSON of `summarizer story --json` or
POST /v1/stories); its metric's direction and threshold are registered next to it with
@story_metric (evals/story_metrics.py). Story articles are matched to labelled ones by
position. Nested (specific) clusters count as clusters with their own support. The
corroboration precision family (one fact per cluster) lives in evals/story_precision.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from evals.matching import matches, numbers_in
from evals.scorers import Score
from evals.story_labels import ANY, LabelledDiscrepancy, StoryLabel
from evals.story_metrics import STORY_METRICS as STORY_METRICS
from evals.story_metrics import StoryJson, StoryScorer, story_metric
from evals.story_precision import (
    corroboration_precision,
    corroboration_precision_strict,
    different_joined,
    duplicate_clusters_found,
    entity_cut_names,
    speaker_faults,
)

_DATE_WORD = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)\b"
)


def clusters(story: StoryJson) -> Iterator[dict[str, Any]]:
    """Every cluster, corroborated or not, with the specific ones nested under them."""
    for c in (story.get("clusters") or []) + (story.get("single_source") or []):
        yield c
        yield from c.get("specific") or []


def _labels(label: StoryLabel, story: StoryJson) -> dict[str, str]:
    return {
        a["id"]: labelled.label
        for a, labelled in zip(story.get("articles") or [], label.articles, strict=False)
    }


def _texts(side: dict[str, Any]) -> str:
    return " ".join(
        [str(side.get("text") or "")] + [s["quote"] for s in side.get("evidence") or []]
    )


@story_metric("higher", 0.8, "labelled multi-outlet facts some cluster unites enough articles for")
def corroboration_recall() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        of = _labels(label, story)
        found: dict[str, int] = {}
        for fact in label.facts:
            best = 0
            for c in clusters(story):
                supports = c.get("articles") or []
                said = sum(matches(fact.match, _texts(s)) for s in supports)
                if not (matches(fact.match, c["text"]) or 2 * said >= len(supports)):
                    continue
                if not set(fact.numbers) <= set(numbers_in(c["text"])):
                    continue
                best = max(best, len({of.get(s["article"]) for s in supports} & set(fact.articles)))
            found[fact.id] = best
        hits = [f.id for f in label.facts if found[f.id] >= f.min_articles]
        return Score("corroboration_recall", len(hits) / len(label.facts),
                     {"articles_united": found, "missed": sorted(set(found) - set(hits))})  # fmt: skip

    return score


@story_metric("lower", 0.0, "supporting articles whose evidence lacks the cluster's numbers")
def false_supports() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        bad = []
        for c in clusters(story):
            wanted = set(numbers_in(c["text"]))
            for s in c.get("articles") or []:
                shown = set(numbers_in(" ".join(e["quote"] for e in s.get("evidence") or [])))
                if wanted - shown:
                    bad.append(
                        {
                            "cluster": c["id"],
                            "article": s["article"],
                            "missing": sorted(wanted - shown),
                        }
                    )
        return Score("false_supports", float(len(bad)), {"false": bad})

    return score


@story_metric("lower", 0.0, "articles listed more than once in one cluster")
def duplicate_members() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        extra = {
            c["id"]: len(c["articles"]) - len({s["article"] for s in c["articles"]})
            for c in clusters(story)
        }
        return Score(
            "duplicate_members", float(sum(extra.values())), {k: v for k, v in extra.items() if v}
        )

    return score


@story_metric(
    "lower", 0.0, "entity forms that are no name: dates, model numbers, labelled fragments"
)
def entity_fragments() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        forbidden = {f.casefold() for f in label.forbidden_entities}
        bad = [
            form
            for e in story.get("entities") or []
            for form in e.get("aliases") or [e.get("name", "")]
            if form.casefold() in forbidden or _DATE_WORD.search(form) or re.search(r"\d", form)
        ]
        return Score("entity_fragments", float(len(bad)), {"fragments": bad})

    return score


def _side_ok(side: dict[str, Any], article: str | None, want: str, groups: Any) -> bool:
    return (want == ANY or article == want) and matches(groups, _texts(side))


def _fits(d: dict[str, Any], lab: LabelledDiscrepancy, of: dict[str, str]) -> bool:
    a, b = d["a"], d["b"]
    la, lb = of.get(a["article"]), of.get(b["article"])
    (wa, wb), ga, gb = lab.articles, lab.side_a, lab.side_b
    straight = _side_ok(a, la, wa, ga) and _side_ok(b, lb, wb, gb)
    swapped = _side_ok(b, lb, wa, ga) and _side_ok(a, la, wb, gb)
    return la != lb and (straight or swapped)


def match_discrepancies(label: StoryLabel, story: StoryJson) -> dict[str, str]:
    """found discrepancy id -> labelled id, one to one, labels in file order."""
    of = _labels(label, story)
    owner: dict[str, str] = {}
    for lab in label.discrepancies:
        for d in story.get("discrepancies") or []:
            if d["id"] not in owner and _fits(d, lab, of):
                owner[d["id"]] = lab.id
                break
    return owner


@story_metric("higher", 0.8, "required labelled discrepancies found (both sides matched)")
def discrepancy_recall() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        required = [d.id for d in label.discrepancies if d.required]
        found = set(match_discrepancies(label, story).values())
        value = len(found & set(required)) / len(required) if required else None
        return Score(
            "discrepancy_recall", value, {"missed": sorted(set(required) - found)}, value is None
        )

    return score


@story_metric("higher", 0.5, "reported discrepancies that match a labelled one")
def discrepancy_precision() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        found = story.get("discrepancies") or []
        owner = match_discrepancies(label, story)
        value = len(owner) / len(found) if found else None
        unmatched = [d["description"] for d in found if d["id"] not in owner]
        details = {"found": len(found), "unlabelled": unmatched}
        return Score("discrepancy_precision", value, details, value is None)

    return score


@story_metric("higher", 1.0, "discrepancies with evidence quoted on both sides")
def discrepancy_evidence() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        found = story.get("discrepancies") or []
        both = [d for d in found if d["a"].get("evidence") and d["b"].get("evidence")]
        return Score(
            "discrepancy_evidence", len(both) / len(found) if found else None, {}, not found
        )

    return score


@story_metric("higher", 8.0, "clusters (general or specific) supported by two or more articles")
def multi_clusters() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        n = sum(1 for c in clusters(story) if len({s["article"] for s in c["articles"]}) >= 2)
        return Score("multi_clusters", float(n), {})

    return score


@story_metric("higher", 3.0, "clusters shared by each labelled pair of relays (the fewest)")
def shared_clusters() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        of = _labels(label, story)
        counts = {
            "+".join(pair.articles): sum(
                1
                for c in clusters(story)
                if set(pair.articles) <= {of.get(s["article"]) for s in c["articles"]}
            )
            for pair in label.shared
        }
        return Score(
            "shared_clusters", float(min(counts.values())) if counts else None, counts, not counts
        )

    return score


@story_metric("higher", 1.0, "summary sentences naming every article of the clusters they cite")
def summary_agreement() -> StoryScorer:
    def score(label: StoryLabel, story: StoryJson) -> Score:
        by_id = {c["id"]: c for c in clusters(story)}
        cited = [s for s in story.get("summary_sentences") or [] if s.get("cluster_ids")]
        bad = [
            s["text"]
            for s in cited
            if any(
                a["article"] not in s["text"]
                for cid in s["cluster_ids"]
                for a in by_id[cid]["articles"]
            )
        ]
        value = 1 - len(bad) / len(cited) if cited else None
        return Score("summary_agreement", value, {"disagreeing": bad}, value is None)

    return score


def story_scorers() -> list[StoryScorer]:
    return [corroboration_recall(), false_supports(), duplicate_members(), entity_fragments(),
            discrepancy_recall(), discrepancy_precision(), discrepancy_evidence(),
            multi_clusters(), shared_clusters(), summary_agreement(), corroboration_precision(),
            corroboration_precision_strict(), different_joined(), duplicate_clusters_found(),
            speaker_faults(), entity_cut_names()]  # fmt: skip


def score_story(label: StoryLabel, story: StoryJson) -> dict[str, Score]:
    return {s.name: s for s in (scorer(label, story) for scorer in story_scorers())}
