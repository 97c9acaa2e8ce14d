"""Tables for the attribution suites: each metric is a share of the outcomes it applies to,
per group (publisher, genre) and over all; the failures are listed with what was expected
and what the pipeline gave."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Outcome = dict[str, Any]


@dataclass(frozen=True)
class Metric:
    """`hit` over the outcomes `of` selects; `target` (None: report only) with `above`
    telling which side passes."""

    name: str
    of: Callable[[Outcome], bool]
    hit: Callable[[Outcome], bool]
    target: float | None = None
    above: bool = True


def share(outcomes: Sequence[Outcome], metric: Metric) -> dict[str, Any]:
    pool = [o for o in outcomes if metric.of(o)]
    hits = sum(1 for o in pool if metric.hit(o))
    value = hits / len(pool) if pool else None
    passed = None
    if metric.target is not None and value is not None:
        passed = value >= metric.target if metric.above else value <= metric.target
    return {"value": value, "hits": hits, "n": len(pool), "target": metric.target, "pass": passed}


def tables(
    outcomes: Sequence[Outcome], metrics: Sequence[Metric], group: str
) -> dict[str, dict[str, dict[str, Any]]]:
    """{group value or "all": {metric: share}}."""
    keys = sorted({str(o[group]) for o in outcomes})
    out = {
        k: {m.name: share([o for o in outcomes if o[group] == k], m) for m in metrics} for k in keys
    }
    out["all"] = {m.name: share(outcomes, m) for m in metrics}
    return out


def render(table: dict[str, dict[str, dict[str, Any]]], metrics: Sequence[Metric]) -> str:
    """Rows are groups, columns metrics: value (n); the 'all' row last, with pass marks."""
    names = [m.name for m in metrics]
    width = max([len(k) for k in table] + [5])
    head = f"{'':<{width}}  " + "  ".join(f"{n:>{max(len(n), 11)}}" for n in names)
    lines = [head]
    for key in [k for k in table if k != "all"] + ["all"]:
        cells = []
        for n in names:
            s = table[key][n]
            cell = "-" if s["value"] is None else f"{s['value']:.3f} ({s['n']})"
            if key == "all" and s["pass"] is not None:
                cell += " ok" if s["pass"] else " !!"
            cells.append(f"{cell:>{max(len(n), 11)}}")
        lines.append(f"{key:<{width}}  " + "  ".join(cells))
    return "\n".join(lines)


def write_report(out_dir: Path, stem: str, report: dict[str, Any]) -> Path:
    """runs/<stem>-<UTC timestamp>.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    return path


def failure_lines(failures: Sequence[Outcome], limit: int = 40) -> list[str]:
    reasons = Counter(str(f["why"]) for f in failures)
    lines = ["  by reason: " + ", ".join(f"{why} {n}" for why, n in reasons.most_common())]
    lines += [
        f"  [{f['article']}] {f['why']}: “{f['content']}” expected {f['expected']!r}, "
        f"got {f['got']!r}"
        for f in failures[:limit]
    ]
    if len(failures) > limit:
        lines.append(f"  ... {len(failures) - limit} more in the run file")
    return lines


def _key(o: Outcome) -> tuple[str, ...]:
    return (o["article"], str(o.get("type", "")), o["content"], str(o.get("cue", "")))


def _verdict(o: Outcome) -> bool:
    """Whether an outcome is right (PolNeAR: detected with a right speaker; own set: matched,
    or a subject not given a wrong name)."""
    if o.get("type") == "subject":
        return bool(o["outcome"] != "wrong")
    if "detected" in o:
        return bool(
            o["detected"] and o["resolution"] != "wrong" and (o["kind"] != "name" or o["match"])
        )
    return bool(o.get("match", not (o.get("cut") or o.get("leaked"))))


def compare_runs(before: dict[str, Any], after: dict[str, Any], limit: int = 15) -> list[str]:
    """The 'all' row's change per metric, and the outcomes that turned right or wrong."""
    lines = ["change against the baseline run (all):"]
    for name, now in after["tables"]["all"].items():
        was = before["tables"]["all"].get(name, {}).get("value")
        if now["value"] is not None and was is not None:
            lines.append(
                f"  {name:<18} {was:.3f} -> {now['value']:.3f} ({now['value'] - was:+.3f})"
            )
    old = {_key(o): _verdict(o) for o in before["outcomes"]}
    flips = [
        (o, _verdict(o)) for o in after["outcomes"] if old.get(_key(o), _verdict(o)) != _verdict(o)
    ]
    for label, wanted in (("now right", True), ("now wrong", False)):
        group = [o for o, v in flips if v is wanted]
        lines.append(f"  {label}: {len(group)}")
        lines += [
            f"    [{o['article']}] “{o['content'][:80]}” got {o['got']!r}" for o in group[:limit]
        ]
    return lines
