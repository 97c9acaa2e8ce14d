"""An LLM judge of summary faithfulness, and its calibration against hand labels.

The judge only gates a run once its calibration (Cohen's kappa against the labels in
evals/judge/calibration.yaml) passes KAPPA_TO_GATE for the same judge prompt and model;
until then its scores are reported, not enforced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from evals.cases import Case
from evals.scorers import Score
from service.llm.backend import Backend
from service.llm.errors import LLMError
from service.pipeline.clean import clean_text
from service.pipeline.context import RunContext
from service.pipeline.segment import render, sentences_of, split_sentences
from service.prompts import PromptLibrary

KAPPA_TO_GATE = 0.6
FAITHFULNESS_THRESHOLD = 0.8
CALIBRATION_LABELS = Path(__file__).resolve().parent / "judge" / "calibration.yaml"
CALIBRATION_RESULT = Path(__file__).resolve().parent / "judge" / "calibration-result.json"


def judge_statements(
    backend: Backend, prompts: PromptLibrary, article: str, statements: list[str]
) -> list[bool | None]:
    """True = supported, False = unsupported, None = the judge failed on that statement."""
    ctx = RunContext(backend, prompts)
    doc = clean_text(article)
    numbered = render(doc, split_sentences(doc))
    verdicts: list[bool | None] = []
    for statement in statements:
        try:
            data = ctx.ask("judge", numbered, {"statement": statement}, label="judge")
        except LLMError:
            verdicts.append(None)
            continue
        verdicts.append(data["verdict"] == "supported")
    return verdicts


def cohen_kappa(truth: list[bool], predicted: list[bool]) -> float:
    n = len(truth)
    if n == 0:
        return 0.0
    observed = sum(t == p for t, p in zip(truth, predicted, strict=True)) / n
    p_true, p_pred = sum(truth) / n, sum(predicted) / n
    expected = p_true * p_pred + (1 - p_true) * (1 - p_pred)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(truth: list[bool], predicted: list[bool]) -> dict[str, float]:
    """Positive class: unfaithful (what the judge exists to catch)."""
    tp = sum((not t) and (not p) for t, p in zip(truth, predicted, strict=True))
    fp = sum(t and (not p) for t, p in zip(truth, predicted, strict=True))
    fn = sum((not t) and p for t, p in zip(truth, predicted, strict=True))
    return {
        "items": len(truth),
        "accuracy": sum(t == p for t, p in zip(truth, predicted, strict=True)) / max(len(truth), 1),
        "precision_unfaithful": tp / (tp + fp) if tp + fp else 0.0,
        "recall_unfaithful": tp / (tp + fn) if tp + fn else 0.0,
        "kappa": cohen_kappa(truth, predicted),
    }


def calibrate(
    backend: Backend, prompts: PromptLibrary, labels: Path = CALIBRATION_LABELS
) -> dict[str, Any]:
    items = yaml.safe_load(labels.read_text())["items"]
    by_article: dict[Path, list[dict[str, Any]]] = {}
    for item in items:
        by_article.setdefault((labels.parent / item["article"]).resolve(), []).append(item)
    truth: list[bool] = []
    predicted: list[bool] = []
    failed = 0
    rows = []
    for path, group in by_article.items():  # grouped: one article prefill serves its items
        verdicts = judge_statements(
            backend, prompts, path.read_text(), [i["sentence"] for i in group]
        )
        for item, verdict in zip(group, verdicts, strict=True):
            rows.append({"id": item["id"], "faithful": item["faithful"], "judge": verdict})
            if verdict is None:
                failed += 1
                continue
            truth.append(bool(item["faithful"]))
            predicted.append(verdict)
    judge = prompts.get("judge")
    figures = agreement(truth, predicted)
    return {
        "judge_prompt": judge.ref,
        "judge_sha256": judge.sha256,
        "model": backend.model_id,
        **figures,
        "judge_failures": failed,
        "kappa_to_gate": KAPPA_TO_GATE,
        "gating": figures["kappa"] >= KAPPA_TO_GATE,
        "items_detail": rows,
    }


def gating_status(
    backend: Backend, prompts: PromptLibrary, path: Path = CALIBRATION_RESULT
) -> dict[str, Any]:
    judge = prompts.get("judge")
    if not path.exists():
        return {
            "gating": False,
            "kappa": None,
            "note": "judge not calibrated: run `summarizer eval calibrate`",
        }
    cal = json.loads(path.read_text())
    if cal.get("judge_sha256") != judge.sha256 or cal.get("model") != backend.model_id:
        return {
            "gating": False,
            "kappa": cal.get("kappa"),
            "note": (
                f"calibration is for {cal.get('judge_prompt')} on {cal.get('model')}, "
                f"not {judge.ref} on {backend.model_id}"
            ),
        }
    note = f"kappa {cal['kappa']:.2f} {'>=' if cal['gating'] else '<'} {KAPPA_TO_GATE}"
    return {"gating": bool(cal["gating"]), "kappa": cal["kappa"], "note": note}


def faithfulness(
    backend: Backend, prompts: PromptLibrary
) -> Callable[[Case, dict[str, Any] | None], Score]:
    def score(case: Case, result: dict[str, Any] | None) -> Score:
        if result is None:
            return Score("faithfulness", 0.0, {"error": "no result"}, False)
        summary = result["summary"]
        statements = [summary["headline"], *sentences_of(summary["summary"])]
        verdicts = judge_statements(backend, prompts, case.article_text, statements)
        judged = [v for v in verdicts if v is not None]
        details = {
            "statements": [
                {"text": s, "supported": v} for s, v in zip(statements, verdicts, strict=True)
            ]
        }
        if not judged:
            return Score("faithfulness", None, details, True)
        return Score("faithfulness", sum(judged) / len(judged), details, False)

    return score
