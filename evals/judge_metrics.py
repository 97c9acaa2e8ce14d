"""Figures of a probability checker against hand labels: ROC AUC, a fitted threshold, and
Cohen's kappa, accuracy and per-error-type recall at that threshold.

The positive class of kappa and recall is "unfaithful" (what the checker exists to catch); a
statement is predicted unfaithful when its probability of support is below the threshold.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

SPLITS = ("calibration", "held_out")


def split_of(items: list[dict[str, Any]]) -> dict[str, str]:
    """A fixed split by item id: within each (label, error type) stratum, items ordered by the
    SHA-256 of their id alternate between the halves, so both halves hold every error type
    and neither depends on file order or on any model output."""
    strata: dict[tuple[bool, str], list[str]] = {}
    for item in items:
        key = (bool(item["faithful"]), str(item.get("error_type", "")))
        strata.setdefault(key, []).append(str(item["id"]))
    split: dict[str, str] = {}
    for ids in strata.values():
        for i, item_id in enumerate(sorted(ids, key=lambda x: hashlib.sha256(x.encode()).digest())):
            split[item_id] = SPLITS[i % 2]
    return split


def roc_auc(truth: list[bool], scores: list[float]) -> float:
    """P(a supported item scores above an unfaithful one), ties counting half."""
    pos = [s for t, s in zip(truth, scores, strict=True) if t]
    neg = [s for t, s in zip(truth, scores, strict=True) if not t]
    if not pos or not neg:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def cohen_kappa(truth: list[bool], predicted: list[bool]) -> float:
    n = len(truth)
    if n == 0:
        return 0.0
    observed = sum(t == p for t, p in zip(truth, predicted, strict=True)) / n
    p_true, p_pred = sum(truth) / n, sum(predicted) / n
    expected = p_true * p_pred + (1 - p_true) * (1 - p_pred)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def fit_threshold(truth: list[bool], scores: list[float]) -> float:
    """The cut between two neighbouring scores that maximises kappa (then accuracy)."""
    values = sorted(set(scores))
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(values)] or values
    best = max(
        cuts,
        key=lambda t: (
            cohen_kappa(truth, [s >= t for s in scores]),
            sum(tr == (s >= t) for tr, s in zip(truth, scores, strict=True)),
        ),
    )
    return float(best)


def figures(rows: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """rows: {"faithful", "probability", "error_type"?}; unscored rows are counted apart."""
    scored = [r for r in rows if r["probability"] is not None]
    truth = [bool(r["faithful"]) for r in scored]
    scores = [float(r["probability"]) for r in scored]
    predicted = [s >= threshold for s in scores]
    caught = [(not t) and (not p) for t, p in zip(truth, predicted, strict=True)]
    false_alarms = sum(t and (not p) for t, p in zip(truth, predicted, strict=True))
    by_type: dict[str, list[bool]] = {}
    for row, hit in zip(scored, caught, strict=True):
        if not row["faithful"]:
            by_type.setdefault(str(row["error_type"]), []).append(hit)
    unfaithful = len(truth) - sum(truth)
    return {
        "items": len(rows),
        "unscored": len(rows) - len(scored),
        "roc_auc": round(roc_auc(truth, scores), 4),
        "kappa": round(cohen_kappa(truth, predicted), 4),
        "accuracy": round(
            sum(t == p for t, p in zip(truth, predicted, strict=True)) / max(len(truth), 1), 4
        ),
        "recall_unfaithful": round(sum(caught) / max(unfaithful, 1), 4),
        "false_alarm_rate": round(false_alarms / max(sum(truth), 1), 4),
        "recall_by_error_type": {
            k: {"caught": sum(v), "items": len(v), "recall": round(sum(v) / len(v), 4)}
            for k, v in sorted(by_type.items())
        },
    }
