"""The faithfulness checker (service/pipeline/checks/check.py) in the evals: its calibration against
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
from service.pipeline.checks.check import (
    CALIBRATION,
    CHECK_PROMPT,
    Verdict,
    claims_passage,
    sentence_texts,
    statement_of,
    verdict,
)
from service.pipeline.context import RunContext
from service.pipeline.models import SummaryResult
from service.pipeline.reading.budget import article_sentences
from service.pipeline.reading.clean import clean_text
from service.prompts import PromptLibrary

KAPPA_TO_GATE = 0.6
AUC_TO_GATE = 0.85
KEY_POINTS_SUPPORTED = 1.0  # when gating, every key point must pass the fitted threshold
CALIBRATION_LABELS = Path(__file__).resolve().parent / "judge" / "calibration.yaml"
# Labels written after the exact checks were fixed, by someone who had not seen them: the
# calibration and held-out items were read while those rules were written, these were not.
FRESH_LABELS = Path(__file__).resolve().parent / "judge" / "fresh.yaml"
CALIBRATION_RESULT = Path(__file__).resolve().parent / "judge" / "calibration-result.json"


def sentences_of(article: str) -> list[str]:
    """The article's sentences as the pipeline numbers them (index = sentence id - 1)."""
    return numbered_sentences(article)[0]


def numbered_sentences(article: str) -> tuple[list[str], list[int]]:
    """The sentences, and where each starts in the source (where evidence offsets point)."""
    doc = clean_text(article)
    return sentence_texts(doc, article_sentences(doc)[0])


def score_statements(
    backend: Backend, prompts: PromptLibrary, article: str, statements: list[str]
) -> list[Verdict]:
    """Each statement checked on the passage of the article that best states it."""
    ctx = RunContext(backend, prompts)
    sentences = sentences_of(article)
    return [verdict(ctx, sentences, s) for s in statements]


def _fingerprint(backend: Backend, prompts: PromptLibrary) -> dict[str, str]:
    check = prompts.get(CHECK_PROMPT)
    return {"model": backend.model_id, "check_prompt": check.ref, "sha256": check.sha256}


def _items(labels: Path, fresh: Path | None) -> list[dict[str, Any]]:
    """Labelled items with their split and article path; fresh items form their own split."""
    items = yaml.safe_load(labels.read_text())["items"]
    split = split_of(items)
    out = [{**i, "split": split[i["id"]], "path": (labels.parent / i["article"])} for i in items]
    if fresh is not None and fresh.exists():
        extra = yaml.safe_load(fresh.read_text())["items"]
        out += [{**i, "split": "fresh", "path": (fresh.parent / i["article"])} for i in extra]
    return out


def score_items(
    backend: Backend, prompts: PromptLibrary, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_article: dict[Path, list[dict[str, Any]]] = {}
    for item in items:
        by_article.setdefault(item["path"].resolve(), []).append(item)
    rows: list[dict[str, Any]] = []
    for path, group in by_article.items():
        verdicts = score_statements(
            backend, prompts, path.read_text(), [i["sentence"] for i in group]
        )
        for item, got in zip(group, verdicts, strict=True):
            p, m = got.probability, got.model
            rows.append(
                {
                    "id": item["id"],
                    "split": item["split"],
                    "faithful": item["faithful"],
                    "error_type": item.get("error_type"),
                    "probability": None if p is None else round(p, 6),
                    "model_probability": None if m is None else round(m, 6),
                    "failures": list(got.failures),
                }
            )
    return rows


def _fitted(rows: list[dict[str, Any]], key: str) -> tuple[float, dict[str, Any]]:
    """Threshold fitted on the calibration half of `key`; figures of every split at it."""
    view = [{**r, "probability": r[key]} for r in rows]
    fit = [r for r in view if r["split"] == "calibration" and r["probability"] is not None]
    threshold = fit_threshold([r["faithful"] for r in fit], [r["probability"] for r in fit])
    splits = sorted({r["split"] for r in view})
    return threshold, {s: figures([r for r in view if r["split"] == s], threshold) for s in splits}


def _passes(fig: dict[str, Any]) -> bool:
    return bool(fig["roc_auc"] >= AUC_TO_GATE and fig["kappa"] >= KAPPA_TO_GATE)


def calibrate(
    backend: Backend,
    prompts: PromptLibrary,
    labels: Path = CALIBRATION_LABELS,
    fresh: Path | None = FRESH_LABELS,
) -> dict[str, Any]:
    """Fit on the calibration half; report the held-out half and the fresh labels, for the
    checker (model and exact checks) and for the model alone."""
    rows = score_items(backend, prompts, _items(labels, fresh))
    threshold, by_split = _fitted(rows, "probability")
    _, model_alone = _fitted(rows, "model_probability")
    held, unseen = by_split["held_out"], by_split.get("fresh")
    hashes = {"labels_sha256": hashlib.sha256(labels.read_bytes()).hexdigest()}
    if fresh is not None and fresh.exists():
        hashes["fresh_sha256"] = hashlib.sha256(fresh.read_bytes()).hexdigest()
    return {
        **_fingerprint(backend, prompts),
        **hashes,
        "threshold": round(threshold, 6),
        "calibration_half": by_split["calibration"],
        "held_out": held,
        "fresh": unseen,
        "model_alone": model_alone,
        "auc_to_gate": AUC_TO_GATE,
        "kappa_to_gate": KAPPA_TO_GATE,
        # The bar is the held-out half's. The fresh labels (unseen while the exact checks
        # were written, which the held-out half was not) are the unbiased estimate beside it.
        "gating": _passes(held),
        "items_detail": rows,
    }


def save_calibration(result: dict[str, Any], path: Path = CALIBRATION_RESULT) -> None:
    """The full result for the evals, and its fingerprint and threshold for the service."""
    path.write_text(json.dumps(result, indent=2) + "\n")
    keep = (
        "model",
        "check_prompt",
        "sha256",
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


def _statements(result: SummaryResult) -> list[tuple[str, str, list[str]]]:
    """(kind, statement, claim ids) of every claim, key point and model-written headline."""
    summary = result.summary
    out = [("claim", statement_of(c), [c.id]) for c in result.claims]
    out += [("key_point", k.text, k.claim_ids) for k in summary.key_points]
    if summary.headline_by_model and summary.headline_claim_ids:
        out.append(("headline", summary.headline, summary.headline_claim_ids))
    return out


def faithfulness(
    backend: Backend, prompts: PromptLibrary, threshold: float
) -> Callable[[Case, dict[str, Any] | None], Score]:
    """Share of the summary's statements (key points, a model-written headline) the checker
    finds supported, each on the sentences of the claims it rests on; claims are scored on
    their own sentences and reported."""

    def score(case: Case, raw: dict[str, Any] | None) -> Score:
        if raw is None:
            return Score("faithfulness", 0.0, {"error": "no result"}, False)
        result = SummaryResult.model_validate(raw)
        ctx = RunContext(backend, prompts)
        sentences, starts = numbered_sentences(case.article_text)
        by_id = {c.id: c for c in result.claims}
        rows = []
        for kind, text, ids in _statements(result):
            claims = [by_id[i] for i in ids if i in by_id]
            got = verdict(ctx, sentences, text, claims_passage(claims, sentences, starts))
            p = got.probability
            rows.append({"kind": kind, "text": text, "probability": p,
                         "failures": list(got.failures),
                         "supported": p is not None and not got.doubted(threshold)})  # fmt: skip
        judged = [
            bool(r["supported"])
            for r in rows
            if r["kind"] != "claim" and r["probability"] is not None
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
