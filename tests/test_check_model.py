"""The faithfulness checker on the real embedded model (slow; `-m model`): a supported
statement scores above its altered twin, one pair per error type, and a deliberately
unfaithful extraction prompt is caught by the key-point gate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.cases import load_case
from evals.judge import CALIBRATION_LABELS, CALIBRATION_RESULT, faithfulness, score_statements
from service.config import Settings
from service.llm.backend import Backend
from service.llm.factory import build_backend
from service.pipeline.run import ArticleInput, summarize_article
from service.prompts import PromptLibrary
from tests.conftest import FIXTURES, ROOT
from tests.test_model import _require_model  # noqa: F401  (skips or fails without the model)

pytestmark = pytest.mark.model


# Measured 2026-11-29: check@v1 scores c000_27 at 0.692 and its added-hedge twin at 0.704.
# A known limit (README), kept visible: strict, so it fails loudly once the checker sees it.
BLIND = {"added_hedge": "check@v1 does not see an added hedge (README known limits)"}


def _pairs() -> list[Any]:
    """The first labelled twin pair of each error type, by id."""
    items = yaml.safe_load(CALIBRATION_LABELS.read_text())["items"]
    by_id = {i["id"]: i for i in items}
    first: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for item in sorted(items, key=lambda i: i["id"]):
        if "twin" in item:
            first.setdefault(item["error_type"], (by_id[item["twin"]], item))
    return [
        pytest.param(first[k], id=k, marks=[pytest.mark.xfail(strict=True, reason=BLIND[k])])
        if k in BLIND
        else pytest.param(first[k], id=k)
        for k in sorted(first)
    ]


@pytest.fixture(scope="module")
def backend() -> Backend:
    return build_backend(Settings())


@pytest.mark.parametrize("pair", _pairs())
def test_supported_statement_scores_above_its_altered_twin(
    backend: Backend, pair: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    true, altered = pair
    article = (CALIBRATION_LABELS.parent / true["article"]).read_text()
    prompts = PromptLibrary(ROOT / "prompts")
    p_true, p_altered = score_statements(
        backend, prompts, article, [true["sentence"], altered["sentence"]]
    )
    assert p_true is not None and p_altered is not None
    assert p_true > p_altered, f"{altered['id']}: {p_true:.3f} <= {p_altered:.3f}"


def test_unfaithful_extraction_prompt_is_caught(backend: Backend, tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", root)
    shutil.copytree(FIXTURES / "prompts_unfaithful", root, dirs_exist_ok=True)
    unfaithful = PromptLibrary(root)
    case = load_case(ROOT / "evals" / "cases" / "seed_004_unnamed.yaml")
    result = summarize_article(ArticleInput(text=case.article_text), backend, unfaithful)
    assert result.provenance.prompt_versions["extract"] == "v99"
    threshold = json.loads(CALIBRATION_RESULT.read_text())["threshold"]
    score = faithfulness(backend, PromptLibrary(ROOT / "prompts"), threshold)(
        case, result.model_dump(mode="json")
    )
    assert score.value is not None and score.value < 1.0, score.details
