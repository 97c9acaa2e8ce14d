"""`summarizer eval compare RUN_A RUN_B`: what changed, case by case and claim by claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.runner import load_run


def _by_case(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["case_id"]: r for r in records if r["repeat"] == 0}


# Per-case scores worth a line when they move; per-length ones ("@N") are shown too.
CASE_METRICS = (
    "claim_recall",
    "claim_precision",
    "speaker_accuracy",
    "forbidden_leakage",
    "standalone",
    "attribution_accuracy",
    "reported_speech_to_outlet",
    "evidence_precision",
    "lead_stated",
    "key_fact_coverage",
    "truncated_sentences",
    "headline_repetition",
    "summary_grounded_terms",
)
WIDTH = 34  # the longest metric name, "attribution_according_to", with a length suffix


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _case_metric(name: str) -> bool:
    return name.partition("@")[0] in CASE_METRICS


def _lengths(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Each length's summary in A and B, where it changed (results.jsonl "lengths")."""
    lines = []
    la, lb = a.get("lengths") or {}, b.get("lengths") or {}
    for words in sorted(set(la) | set(lb), key=int):
        texts = []
        for run in (la, lb):
            summary = (run.get(words) or {}).get("summary") or {}
            texts.append(f"{summary.get('headline', '')} | {summary.get('summary', '')}")
        if texts[0] != texts[1]:
            lines += [f"   @{words} A: {texts[0]}", f"   @{words} B: {texts[1]}"]
    return lines


def compare(run_a: Path, run_b: Path) -> str:
    sa, ra = load_run(run_a)
    sb, rb = load_run(run_b)
    lines = [
        f"A {sa['run_id']}  ({sa['model']}, {sa['prompt_versions']})",
        f"B {sb['run_id']}  ({sb['model']}, {sb['prompt_versions']})",
        "",
    ]
    lines.append(f"{'metric':<{WIDTH}}{'A':>8}{'B':>8}{'B-A':>9}")
    for name in sorted(set(sa["metrics"]) | set(sb["metrics"])):
        a = sa["metrics"].get(name, {}).get("mean")
        b = sb["metrics"].get(name, {}).get("mean")
        delta = f"{b - a:+.3f}" if a is not None and b is not None else ""
        lines.append(f"{name:<{WIDTH}}{_fmt(a):>8}{_fmt(b):>8}{delta:>9}")
    case_a, case_b = _by_case(ra), _by_case(rb)
    for case_id in sorted(set(case_a) | set(case_b)):
        a, b = case_a.get(case_id), case_b.get(case_id)
        lines.append(f"\n== {case_id}")
        if a is None or b is None:
            lines.append(f"   only in {'B' if a is None else 'A'}")
            continue
        names = sorted(n for n in set(a["scores"]) | set(b["scores"]) if _case_metric(n))
        for name in names:
            va = a["scores"].get(name, {}).get("value")
            vb = b["scores"].get(name, {}).get("value")
            if va != vb:
                lines.append(f"   {name}: {_fmt(va)} -> {_fmt(vb)}")
        status_a = {c["expected_id"]: c for c in a["claims"]}
        for claim in b["claims"]:
            before = status_a.get(claim["expected_id"], {}).get("status")
            if before and before != claim["status"]:
                sign = "+" if claim["status"] == "matched" else "-"
                lines.append(
                    f"   {sign} {claim['expected_id']}: {before} -> {claim['status']}  ({claim['description']})"
                )
        leaks_a = {x["forbidden_id"] for x in a.get("leaks", [])}
        leaks_b = {x["forbidden_id"] for x in b.get("leaks", [])}
        lines += [f"   ! new leak {f}" for f in sorted(leaks_b - leaks_a)]
        lines += [f"   ~ leak fixed {f}" for f in sorted(leaks_a - leaks_b)]
        lines += _lengths(a, b)
    return "\n".join(lines)
