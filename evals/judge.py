"""The faithfulness checker (service/pipeline/check.py) in the evals: its calibration against
hand labels, and a scorer that gates key points on it.

`summarizer eval calibrate` fits the threshold on the calibration half of
evals/judge/calibration.yaml and reports the held-out half. The checker only gates a run
once the held-out figures pass the bar (ROC AUC >= AUC_TO_GATE, kappa >= KAPPA_TO_GATE) for
the same model, check prompt and article prefix; until then its scores are reported only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from evals.cases import Case
from evals.judge_metrics import figures, fit_threshold, split_of
from evals.runner import RunConfig
from evals.scorers import Score
from service.llm.backend import Backend
from service.pipeline.check import (
    CALIBRATION,
    CHECK_PROMPT,
    key_point_probability,
    statement_of,
    support_probability,
)
from service.pipeline.clean import clean_text
from service.pipeline.context import RunContext
from service.pipeline.prompt_names import ARTICLE as PREFIX
from service.pipeline.segment import render, split_sentences
from service.prompts import PromptLibrary

KAPPA_TO_GATE = 0.6
AUC_TO_GATE = 0.85
KEY_POINTS_SUPPORTED = 1.0  # when gating, every key point must pass the fitted threshold
CALIBRATION_LABELS = Path(__file__).resolve().parent / "judge" / "calibration.yaml"
CALIBRATION_RESULT = Path(__file__).resolve().parent / "judge" / "calibration-result.json"


def numbered(article: str) -> str:
    """The article as the pipeline shows it to the model (so the prefix cache serves it)."""
    doc = clean_text(article)
    return render(doc, split_sentences(doc))


def score_statements(
    backend: Backend, prompts: PromptLibrary, article: str, statements: list[str]
) -> list[float | None]:
    ctx = RunContext(backend, prompts)
    text = numbered(article)
    return [support_probability(ctx, text, s) for s in statements]


def _fingerprint(backend: Backend, prompts: PromptLibrary) -> dict[str, str]:
    check, prefix = prompts.get(CHECK_PROMPT), prompts.get(PREFIX)
    return {
        "model": backend.model_id,
        "check_prompt": check.ref,
        "sha256": check.sha256,
        "article_prompt": prefix.ref,
        "article_sha256": prefix.sha256,
    }


def calibrate(
    backend: Backend, prompts: PromptLibrary, labels: Path = CALIBRATION_LABELS
) -> dict[str, Any]:
    items = yaml.safe_load(labels.read_text())["items"]
    split = split_of(items)
    by_article: dict[Path, list[dict[str, Any]]] = {}
    for item in items:
        by_article.setdefault((labels.parent / item["article"]).resolve(), []).append(item)
    rows: list[dict[str, Any]] = []
    for path, group in by_article.items():  # grouped: one article prefill serves its items
        scores = score_statements(
            backend, prompts, path.read_text(), [i["sentence"] for i in group]
        )
        for item, p in zip(group, scores, strict=True):
            rows.append(
                {
                    "id": item["id"],
                    "split": split[item["id"]],
                    "faithful": item["faithful"],
                    "error_type": item.get("error_type"),
                    "probability": None if p is None else round(p, 6),
                }
            )
    fit = [r for r in rows if r["split"] == "calibration" and r["probability"] is not None]
    threshold = fit_threshold([r["faithful"] for r in fit], [r["probability"] for r in fit])
    held = figures([r for r in rows if r["split"] == "held_out"], threshold)
    return {
        **_fingerprint(backend, prompts),
        "labels_sha256": hashlib.sha256(labels.read_bytes()).hexdigest(),
        "threshold": round(threshold, 6),
        "calibration_half": figures([r for r in rows if r["split"] == "calibration"], threshold),
        "held_out": held,
        "auc_to_gate": AUC_TO_GATE,
        "kappa_to_gate": KAPPA_TO_GATE,
        "gating": held["roc_auc"] >= AUC_TO_GATE and held["kappa"] >= KAPPA_TO_GATE,
        "items_detail": rows,
    }


def save_calibration(result: dict[str, Any], path: Path = CALIBRATION_RESULT) -> None:
    """The full result for the evals, and its fingerprint and threshold for the service."""
    path.write_text(json.dumps(result, indent=2) + "\n")
    keep = (
        "model",
        "check_prompt",
        "sha256",
        "article_prompt",
        "article_sha256",
        "threshold",
        "gating",
    )
    CALIBRATION.write_text(json.dumps({k: result[k] for k in keep}, indent=2) + "\n")


def gating_status(
    backend: Backend, prompts: PromptLibrary, path: Path = CALIBRATION_RESULT
) -> dict[str, Any]:
    if not path.exists():
        return {"gating": False, "kappa": None, "threshold": None,
                "note": "checker not calibrated: run `summarizer eval calibrate`"}  # fmt: skip
    cal = json.loads(path.read_text())
    held = cal.get("held_out") or {}
    state = {
        "kappa": held.get("kappa"),
        "roc_auc": held.get("roc_auc"),
        "threshold": cal.get("threshold"),
    }
    mine = _fingerprint(backend, prompts)
    if any(cal.get(k) != v for k, v in mine.items()):
        note = (
            f"calibration is for {cal.get('check_prompt')} on {cal.get('model')}, "
            f"not {mine['check_prompt']} on {mine['model']}"
        )
        return {"gating": False, **state, "threshold": None, "note": note}  # not ours to use
    note = (
        f"held-out AUC {held['roc_auc']:.2f} (gate {AUC_TO_GATE}), kappa {held['kappa']:.2f} "
        f"(gate {KAPPA_TO_GATE}), threshold {cal['threshold']:.3f}"
    )
    return {"gating": bool(cal["gating"]), **state, "note": note}


def faithfulness(
    backend: Backend, prompts: PromptLibrary, threshold: float
) -> Callable[[Case, dict[str, Any] | None], Score]:
    """Share of key points the checker finds supported; claims are scored and reported."""

    def score(case: Case, result: dict[str, Any] | None) -> Score:
        if result is None:
            return Score("faithfulness", 0.0, {"error": "no result"}, False)
        claims = result["claims"]
        probs = score_statements(
            backend,
            prompts,
            case.article_text,
            [statement_of(c["text"], c["speaker"]) for c in claims],
        )
        by_id = dict(zip((c["id"] for c in claims), probs, strict=True))
        points = [
            {
                "text": k["text"],
                "probability": key_point_probability([by_id.get(i) for i in k["claim_ids"]]),
            }
            for k in result["summary"]["key_points"]
        ]
        rows = [{"kind": "key_point", **k} for k in points] + [
            {"kind": "claim", "text": c["text"], "speaker": c["speaker"], "probability": p}
            for c, p in zip(claims, probs, strict=True)
        ]
        for row in rows:
            row["supported"] = row["probability"] is not None and row["probability"] >= threshold
        judged = [
            r["supported"]
            for r in rows
            if r["kind"] == "key_point" and r["probability"] is not None
        ]
        details = {"threshold": threshold, "statements": rows}
        if not judged:
            return Score("faithfulness", None, details, True)
        return Score("faithfulness", sum(judged) / len(judged), details, False)

    return score


def use_checker(config: RunConfig, backend: Backend, prompts: PromptLibrary) -> dict[str, Any]:
    """Score key points and claims with the checker; gate on it once it is calibrated for
    this model and prompt and passed the bar. Returns the state the report shows."""
    state = gating_status(backend, prompts)
    threshold = state["threshold"] if state["threshold"] is not None else 0.5
    config.extra_scorers.append(faithfulness(backend, prompts, threshold))
    if state["gating"]:
        config.thresholds.setdefault("faithfulness", KEY_POINTS_SUPPORTED)
    return state


def report_checker(summary: dict[str, Any], state: dict[str, Any]) -> None:
    """An ungated checker's figures are information, never a failure."""
    if not state["gating"]:
        summary["metrics"].get("faithfulness", {}).update(threshold=None, status="info")
    summary["judge"] = state
