"""`summarizer eval run`: the engine on every case, scored, gated, reported.

The engine is the one the service runs, built by the composition root (`Engines`): each case
is summarised by `Engine.summarize`, as an API request would be. Model responses are cached
by (model, prompt version, schema, messages), so re-scoring a run or re-running unchanged
prompts is free; each repeat gets its own cache salt so repeats are real re-runs and measure
the noise band the regression gate uses.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.cases import Case
from evals.matching import assign, matches
from evals.scorers import Scorer, default_scorers, metric_of
from evals.summary_scorers import summary_scorers
from service.engine import Engine
from service.errors import InputError
from service.limits import DEFAULT_MAX_WORDS, MAX_WORDS, MIN_WORDS, words_in_range
from service.llm.backend import Backend
from service.llm.cache import CachingBackend
from service.llm.errors import LLMError
from service.pipeline.models import ArticleInput

MIN_BAND = 0.02  # smallest regression band: below this a change is noise on 5 cases


@dataclass(frozen=True)
class Engines:
    """What a run measures, built by the composition root as it builds the served engine:
    `base` answers one-off questions (the checker's scorer, calibration, the story eval);
    `repeat(n)` is a fresh engine for one case of repeat n, with the response cache salted
    per repeat when there is one (a repeat is a real re-run; its hits are counted apart)."""

    base: Engine
    repeat: Callable[[int], Engine]

    @classmethod
    def over(cls, build: Callable[[Backend], Engine], backend: Backend) -> Engines:
        def repeat(n: int) -> Engine:
            salted = (
                backend.with_salt(f"repeat-{n}") if isinstance(backend, CachingBackend) else backend
            )
            return build(salted)

        return cls(build(backend), repeat)


@dataclass
class RunConfig:
    out_dir: Path
    repeat: int = 1
    concurrency: int = 1
    baseline: Path | None = None
    thresholds: dict[str, float] = field(default_factory=dict)
    extra_scorers: list[Scorer] = field(default_factory=list)
    # Extra summary lengths (words): each re-runs the pipeline with that max_words; the
    # claim calls are identical, so the response cache serves them and only the summary
    # call is new. Scored as "<metric>@<words>".
    lengths: tuple[int, ...] = ()


def parse_lengths(text: str) -> tuple[int, ...]:
    """ "25,40,60" -> (25, 40, 60): distinct word counts the summary schema accepts."""
    try:
        words = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise ValueError(f"not a comma-separated list of word counts: {text!r}") from None
    if not all(words_in_range(w) for w in words):
        raise ValueError(f"lengths must be {MIN_WORDS}..{MAX_WORDS} words: {text!r}")
    return tuple(dict.fromkeys(words))


def _max_words(case: Case) -> int:
    return case.summary.max_words if case.summary and case.summary.max_words else DEFAULT_MAX_WORDS


def _article(case: Case, max_words: int | None = None) -> ArticleInput:
    max_words = max_words or _max_words(case)
    body = {"html": case.article_text} if case.format == "html" else {"text": case.article_text}
    return ArticleInput(
        outlet=case.outlet, published_at=case.published_at, max_words=max_words, **body
    )


Outcome = tuple[dict[str, Any] | None, dict[str, str] | None, float]  # result, error, seconds


def _summarize(case: Case, engine: Engine, words: int | None) -> Outcome:
    t0 = time.perf_counter()
    try:
        out = engine.summarize(_article(case, words))
        return out.model_dump(mode="json"), None, time.perf_counter() - t0
    except (LLMError, InputError) as exc:
        return None, {"code": exc.code, "message": str(exc)}, time.perf_counter() - t0


def _score(scorers: list[Scorer], case: Case, result: dict[str, Any] | None) -> dict[str, Any]:
    scores = {}
    for scorer in scorers:
        score = scorer(case, result)
        scores[score.name] = {
            "value": score.value,
            "skipped": score.skipped,
            "details": score.details,
        }
    return scores


def _lengths(
    case: Case, engine: Engine, config: RunConfig, main: Outcome
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The summary at each extra length, and its scores ("<metric>@<words>")."""
    summaries: dict[str, Any] = {}
    scores: dict[str, Any] = {}
    for words in config.lengths:
        same = words == _max_words(case)  # the main run already is this length
        result, error, wall = main if same else _summarize(case, engine, words)
        summary = (result or {}).get("summary")
        summaries[str(words)] = {"summary": summary, "error": error, "wall_s": wall}
        scores |= _score(summary_scorers(words), case, result)
    return summaries, scores


def run_case(case: Case, repeat: int, engines: Engines, config: RunConfig) -> dict[str, Any]:
    engine = engines.repeat(repeat)
    cached = engine.backend
    result, error, wall = main = _summarize(case, engine, None)
    scores = _score([*default_scorers(), *config.extra_scorers], case, result)
    lengths, length_scores = _lengths(case, engine, config, main)
    scores |= length_scores
    claims, predicted, leaks = _claim_table(case, result)
    return {
        "case_id": case.id,
        "repeat": repeat,
        "article_path": str(case.article_path),
        "article_text": case.article_text
        if case.format != "html"
        else (result or {}).get("source", {}).get("extracted_text") or case.article_text,
        "ok": error is None,
        "error": error,
        "result": result,
        "scores": scores,
        "lengths": lengths,
        "claims": claims,
        "predicted": predicted,
        "leaks": leaks,
        "wall_s": wall,
        "cached_calls": cached.local.hits if isinstance(cached, CachingBackend) else 0,
    }


def _claim_table(
    case: Case, result: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    predicted = (result or {}).get("claims", [])
    pairs = dict((e, p) for p, e in assign([c["text"] for c in predicted], case.claims, case))
    claims = [
        {
            "expected_id": exp.id,
            "description": exp.description,
            "status": "matched" if i in pairs else "missed",
            "predicted_id": predicted[pairs[i]]["id"] if i in pairs else None,
        }
        for i, exp in enumerate(case.claims)
    ]
    matched_pred = {p: e for e, p in pairs.items()}
    leaks = []
    rows = []
    for j, claim in enumerate(predicted):
        leak = next((f for f in case.forbidden if matches(f.match, claim["text"], case)), None)
        if leak is not None:
            leaks.append(
                {
                    "forbidden_id": leak.id,
                    "description": leak.description,
                    "predicted_id": claim["id"],
                }
            )
        rows.append(
            {
                "id": claim["id"],
                "text": claim["text"],
                "speaker": claim["speaker"],
                "status": "leaked" if leak else ("matched" if j in matched_pred else "unmatched"),
                "expected_id": case.claims[matched_pred[j]].id if j in matched_pred else None,
                "forbidden_id": leak.id if leak else None,
            }
        )
    return claims, rows, leaks


def aggregate(records: list[dict[str, Any]], config: RunConfig) -> dict[str, dict[str, Any]]:
    """Mean over cases of each case's mean over repeats; std is the mean spread across repeats."""
    names = sorted({n for r in records for n in r["scores"]})
    metrics: dict[str, dict[str, Any]] = {}
    for name in names:
        per_case: dict[str, list[float]] = {}
        for r in records:
            s = r["scores"].get(name)
            if s and not s["skipped"] and s["value"] is not None:
                per_case.setdefault(r["case_id"], []).append(float(s["value"]))
        means = [statistics.fmean(v) for v in per_case.values()]
        spreads = [statistics.pstdev(v) for v in per_case.values() if len(v) > 1]
        meta = metric_of(name)
        threshold = config.thresholds.get(name, meta.threshold if meta else None)
        metrics[name] = {
            "mean": statistics.fmean(means) if means else None,
            "std": statistics.fmean(spreads) if spreads else 0.0,
            "direction": meta.direction if meta else "higher",
            "threshold": threshold,
            "status": "info",
            "baseline": None,
            "delta": None,
            "band": None,
        }
    return metrics


def gate(metrics: dict[str, dict[str, Any]], baseline: dict[str, Any] | None) -> list[str]:
    """Fail a metric below its threshold, or worse than the baseline by more than the noise band."""
    failures: list[str] = []
    for name, m in metrics.items():
        if m["mean"] is None:
            continue
        higher = m["direction"] == "higher"
        status = "pass" if m["threshold"] is not None else "info"
        if m["threshold"] is not None and (
            m["mean"] < m["threshold"] if higher else m["mean"] > m["threshold"]
        ):
            status = "fail"
            failures.append(
                f"{name} {m['mean']:.3f} {'<' if higher else '>'} threshold {m['threshold']}"
            )
        base = (baseline or {}).get("metrics", {}).get(name)
        if base and base.get("mean") is not None and m["threshold"] is not None:
            band = max(2 * max(m["std"], base.get("std", 0.0)), MIN_BAND)
            delta = m["mean"] - base["mean"]
            m.update(baseline=base["mean"], delta=delta, band=band)
            if (delta < -band) if higher else (delta > band):
                status = "fail"
                failures.append(
                    f"{name} {m['mean']:.3f} regressed from baseline {base['mean']:.3f} (band {band:.3f})"
                )
        m["status"] = status
    return failures


def lost_claims(
    records: list[dict[str, Any]], baseline_records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Expected claims some baseline repeat matched that no current repeat matches."""

    def matched(rs: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {
            (r["case_id"], c["expected_id"])
            for r in rs
            for c in r["claims"]
            if c["status"] == "matched"
        }

    now = matched(records)
    described = {
        (r["case_id"], c["expected_id"]): c["description"]
        for r in baseline_records
        for c in r["claims"]
    }
    current_cases = {r["case_id"] for r in records}
    return [
        {"case_id": case_id, "expected_id": claim_id, "description": described[(case_id, claim_id)]}
        for case_id, claim_id in sorted(matched(baseline_records) - now)
        if case_id in current_cases
    ]


def load_run(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A run directory or its summary.json -> (summary, records)."""
    run_dir = path if path.is_dir() else path.parent
    summary = json.loads((run_dir / "summary.json").read_text())
    records_path = run_dir / "results.jsonl"
    records = (
        [json.loads(line) for line in records_path.read_text().splitlines() if line.strip()]
        if records_path.exists()
        else []
    )
    return summary, records


def run_eval(
    cases: list[Case],
    engines: Engines,
    config: RunConfig,
    on_done: Callable[[dict[str, Any]], None] = lambda _r: None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    jobs = [(case, rep) for case in cases for rep in range(config.repeat)]

    def one(job: tuple[Case, int]) -> dict[str, Any]:
        record = run_case(job[0], job[1], engines, config)
        record["run_id"] = run_id
        on_done(record)
        return record

    with ThreadPoolExecutor(max_workers=max(1, config.concurrency)) as pool:
        records = list(pool.map(one, jobs))
    baseline_summary, baseline_records = (
        load_run(config.baseline) if config.baseline else (None, [])
    )
    metrics = aggregate(records, config)
    failures = gate(metrics, baseline_summary)
    lost = lost_claims(records, baseline_records)
    failures += [f"lost claim {x['case_id']}/{x['expected_id']}: {x['description']}" for x in lost]
    failures += [f"case {r['case_id']} failed: {r['error']['code']}" for r in records if r["error"]]
    used: dict[str, Any] = next((r["result"]["provenance"] for r in records if r["result"]), {})
    summary = {
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(),
        "model": engines.base.backend.model_id,
        "prompt_versions": used.get("prompt_versions", {}),
        "cases": [c.id for c in cases],
        "repeat": config.repeat,
        "passed": not failures,
        "failures": failures,
        "metrics": metrics,
        "lost_claims": lost,
        "baseline_run_id": (baseline_summary or {}).get("run_id"),
        "history": [],
        "judge": None,
    }
    return summary, records
