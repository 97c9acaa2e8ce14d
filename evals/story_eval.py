"""Build the story of a labelled article set and score it: `summarizer eval story`, and
the nightly eval. Per-article results come from the engine (its store and the eval
response cache make re-runs free while prompts are unchanged).

Sets whose articles live in a corpus absent from this machine are skipped, and say so. A
set marked `send_outlets` sends each article's outlet with the request, as a user naming
the publisher would; the seed sends none (its outlets are found in the text)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evals.story_labels import STORIES, StoryLabel, load_story_labels
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

    texts = [a.path.read_text() for a in label.articles if a.path is not None]
    outlets = [a.outlet if label.send_outlets else None for a in label.articles]
    results = [
        engine.summarize(ArticleInput(text=t, outlet=o))
        for t, o in zip(texts, outlets, strict=True)
    ]
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
        "split": label.split,
        "passed": all(m["status"] != "fail" for m in metrics.values()),
        "metrics": metrics,
    }


def run_story_evals(
    engine: Any,
    labels_dir: Path = STORIES,
    out: Path | None = None,
    words_only: bool = False,
    split: str | None = None,
    only: str | None = None,
) -> list[dict[str, Any]]:
    """Every labelled story (of one split; or the one with id `only`): build, score, and
    (with `out`) write story JSON and scores. A set whose corpus is absent is skipped."""
    reports = []
    for label in load_story_labels(labels_dir, split):
        if only is not None and label.id != only:
            continue
        if label.missing:
            skipped = f"corpus absent ({label.missing[0]})"
            reports.append({"story": label.id, "split": label.split, "passed": True,
                            "skipped": skipped, "metrics": {}})  # fmt: skip
            continue
        started = time.monotonic()
        story, results = build_labelled_story(label, engine, words_only)
        report = {**evaluate(label, story), "seconds": round(time.monotonic() - started, 1)}
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"story-{label.id}-{time.strftime('%Y%m%dT%H%M%S')}.json"
            path.write_text(
                json.dumps({**report, "story_json": story, "results": results}, indent=2) + "\n"
            )
            report["run_file"] = str(path)
        reports.append(report)
    return reports


def rescore_run(run_file: Path, labels_dir: Path = STORIES) -> list[dict[str, Any]]:
    """A story run scored again with the current labels and scorers, from the stories its
    per-set files kept: no model, no story building."""
    labels = {label.id: label for label in load_story_labels(labels_dir)}
    reports = []
    for old in json.loads(run_file.read_text())["reports"]:
        if old.get("skipped") or "run_file" not in old:
            reports.append(old)
            continue
        story = json.loads(Path(old["run_file"]).read_text())["story_json"]
        new = evaluate(labels[old["story"]], story)
        reports.append({**new, "seconds": old.get("seconds"), "run_file": old["run_file"]})
    return reports


def write_run(reports: list[dict[str, Any]], out: Path, part: str) -> Path:
    """One file for the run: every set's scores (the stories are in their own files) and
    the pooled figures per split."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"story-run-{part}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps({"pooled": pooled(reports), "reports": reports}, indent=2) + "\n")
    return path


def _value(report: dict[str, Any], name: str) -> float:
    return float(report["metrics"].get(name, {}).get("value") or 0.0)


def pooled(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per split, the sets' counts added up: corroboration precision (judged and strict)
    and recall over every labelled fact, discrepancy precision over every reported
    discrepancy, and the error counts that must stay 0."""
    out: dict[str, dict[str, Any]] = {}
    for split in sorted({r["split"] for r in reports if not r.get("skipped")}):
        part = [r for r in reports if r["split"] == split and not r.get("skipped")]
        prec = [r["metrics"]["corroboration_precision"]["details"] for r in part]
        right, wrong, unjudged = (sum(d[k] for d in prec) for k in ("right", "wrong", "unjudged"))
        recall = [r["metrics"]["corroboration_recall"]["details"] for r in part]
        facts = sum(len(d["articles_united"]) for d in recall)
        found = facts - sum(len(d["missed"]) for d in recall)
        disc = [r["metrics"]["discrepancy_precision"]["details"] for r in part]
        reported = sum(d["found"] for d in disc)
        unlabelled = sum(len(d["unlabelled"]) for d in disc)
        out[split] = {
            "sets": [r["story"] for r in part],
            "clusters": {"right": right, "wrong": wrong, "unjudged": unjudged},
            "corroboration_precision": right / (right + wrong) if right + wrong else None,
            "corroboration_precision_strict": right / (right + wrong + unjudged)
            if right + wrong + unjudged
            else None,
            "corroboration_recall": found / facts if facts else None,
            "facts": facts,
            "discrepancy_precision": (reported - unlabelled) / reported if reported else None,
            "discrepancies_reported": reported,
            **{
                name: sum(_value(r, name) for r in part)
                for name in (
                    "different_joined",
                    "duplicate_clusters_found",
                    "entity_fragments",
                    "entity_cut_names",
                    "speaker_faults",
                    "false_supports",
                )
            },
            "seconds": sum(r.get("seconds", 0.0) for r in part),
        }
    return out


def format_pooled(parts: dict[str, dict[str, Any]]) -> str:
    lines = []
    for split, p in parts.items():
        lines.append(f"{split} ({len(p['sets'])} sets, {p['facts']} facts):")
        for name, value in p.items():
            if name in ("sets", "facts"):
                continue
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines.append(f"  {name:<32} {shown}")
    return "\n".join(lines)


def format_report(report: dict[str, Any]) -> str:
    if report.get("skipped"):
        return f"story {report['story']}: skipped, {report['skipped']}"
    lines = [f"story {report['story']}: {'PASSED' if report['passed'] else 'FAILED'}"]
    for name, m in report["metrics"].items():
        value = "-" if m["value"] is None else f"{m['value']:.3f}"
        lines.append(f"  {name:<32} {value:>7}  {m['status']}  (threshold {m['threshold']})")
    return "\n".join(lines)
