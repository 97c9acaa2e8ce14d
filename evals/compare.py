"""`summarizer eval compare RUN_A RUN_B`: what changed, case by case and claim by claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.runner import load_run


def _by_case(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["case_id"]: r for r in records if r["repeat"] == 0}


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def compare(run_a: Path, run_b: Path) -> str:
    sa, ra = load_run(run_a)
    sb, rb = load_run(run_b)
    lines = [
        f"A {sa['run_id']}  ({sa['model']}, {sa['prompt_versions']})",
        f"B {sb['run_id']}  ({sb['model']}, {sb['prompt_versions']})",
        "",
    ]
    lines.append(f"{'metric':<22}{'A':>8}{'B':>8}{'B-A':>9}")
    for name in sorted(set(sa["metrics"]) | set(sb["metrics"])):
        a = sa["metrics"].get(name, {}).get("mean")
        b = sb["metrics"].get(name, {}).get("mean")
        delta = f"{b - a:+.3f}" if a is not None and b is not None else ""
        lines.append(f"{name:<22}{_fmt(a):>8}{_fmt(b):>8}{delta:>9}")
    case_a, case_b = _by_case(ra), _by_case(rb)
    for case_id in sorted(set(case_a) | set(case_b)):
        a, b = case_a.get(case_id), case_b.get(case_id)
        lines.append(f"\n== {case_id}")
        if a is None or b is None:
            lines.append(f"   only in {'B' if a is None else 'A'}")
            continue
        for name in ("claim_recall", "claim_precision", "speaker_accuracy", "forbidden_leakage"):
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
    return "\n".join(lines)
