"""Scorers for a story view against story labels (evals/stories/*.yaml).

Each factory returns a closure scoring one story (the JSON of `summarizer story --json` or
POST /v1/stories); its metric's direction and threshold are registered next to it with
@story_metric. Story articles are matched to labelled ones by position. Nested (specific)
clusters count as clusters with their own support.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from evals.matching import matches, numbers_in
from evals.scorers import Metric, Score
from evals.story_labels import ANY, LabelledDiscrepancy, StoryLabel
from evals.story_precision import (
    bad_speaker,
    cut_name,
    duplicate_clusters,
    verdicts,
)
from evals.story_precision import multi_clusters as multi_article_clusters

StoryJson = dict[str, Any]
StoryScorer = Callable[[StoryLabel, StoryJson], Score]
STORY_METRICS: dict[str, Metric] = {}
_DATE_WORD = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)\b"
)


def story_metric(direction: str, threshold: float | None, about: str) -> Callable[[Any], Any]:
    def register(factory: Callable[[], StoryScorer]) -> Callable[[], StoryScorer]:
        STORY_METRICS[factory.__name__] = Metric(direction, threshold, about)  # type: ignore[arg-type]
        return factory

    return register


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
        judged = list(multi_article_clusters(story))
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


def story_scorers() -> list[StoryScorer]:
    return [corroboration_recall(), false_supports(), duplicate_members(), entity_fragments(),
            discrepancy_recall(), discrepancy_precision(), discrepancy_evidence(),
            multi_clusters(), shared_clusters(), summary_agreement(), corroboration_precision(),
            corroboration_precision_strict(), different_joined(), duplicate_clusters_found(),
            speaker_faults(), entity_cut_names()]  # fmt: skip


def score_story(label: StoryLabel, story: StoryJson) -> dict[str, Score]:
    return {s.name: s for s in (scorer(label, story) for scorer in story_scorers())}
