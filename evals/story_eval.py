"""Build the story of a labelled article set and score it: `summarizer eval story`, and
the nightly eval. Per-article results come from the engine (its store and the eval
response cache make re-runs free while prompts are unchanged)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evals.story_labels import STORIES, StoryLabel, load_story_label
from evals.story_scorers import STORY_METRICS, score_story


class SavedResults:
    """An engine stand-in serving the per-article results a previous run kept, in order:
    the story rebuilt and re-scored with the current story code, no model."""

    def __init__(self, path: Path) -> None:
        from service.pipeline.models import SummaryResult

        raw = json.loads(path.read_text())["results"]
        self.results = [SummaryResult.model_validate(r) for r in raw]

    def summarize(self, _article: Any) -> Any:
        return self.results.pop(0)


def build_labelled_story(
    label: StoryLabel, engine: Any, words_only: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The story as `summarizer story` builds it: files sent without outlet names, their
    labels only the fallback names. `words_only`: without the embedding model, to measure
    what meaning adds."""
    from service.pipeline.models import ArticleInput
    from service.story.build import build_story

    texts = [a.path.read_text() for a in label.articles]
    results = [engine.summarize(ArticleInput(text=t)) for t in texts]
    names = [a.label for a in label.articles]
    story = (
        build_story(results, texts, names, embed=None)
        if words_only
        else build_story(results, texts, names)
    )
    return story.model_dump(mode="json"), [r.model_dump(mode="json") for r in results]


def evaluate(label: StoryLabel, story: dict[str, Any]) -> dict[str, Any]:
    scores = score_story(label, story)
    metrics = {}
    for name, s in scores.items():
        passed = None if s.skipped else STORY_METRICS[name].passed(s.value)
        metrics[name] = {
            "value": s.value,
            "threshold": STORY_METRICS[name].threshold,
            "status": "skip" if passed is None else ("pass" if passed else "fail"),
            "details": s.details,
        }
    return {
        "story": label.id,
        "passed": all(m["status"] != "fail" for m in metrics.values()),
        "metrics": metrics,
    }


def run_story_evals(
    engine: Any, labels_dir: Path = STORIES, out: Path | None = None, words_only: bool = False
) -> list[dict[str, Any]]:
    """Every labelled story: build, score, and (with `out`) write story JSON and scores."""
    reports = []
    for path in sorted(labels_dir.glob("*.yaml")):
        label = load_story_label(path)
        story, results = build_labelled_story(label, engine, words_only)
        report = evaluate(label, story)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S")
            (out / f"story-{label.id}-{stamp}.json").write_text(
                json.dumps({**report, "story_json": story, "results": results}, indent=2) + "\n"
            )
        reports.append(report)
    return reports


def format_report(report: dict[str, Any]) -> str:
    lines = [f"story {report['story']}: {'PASSED' if report['passed'] else 'FAILED'}"]
    for name, m in report["metrics"].items():
        value = "-" if m["value"] is None else f"{m['value']:.3f}"
        lines.append(f"  {name:<24} {value:>7}  {m['status']}  (threshold {m['threshold']})")
    return "\n".join(lines)
