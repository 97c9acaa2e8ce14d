"""The faithfulness checker on the real embedded model (slow; `-m model`): a supported
statement scores above its altered twin, one pair per error type."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from evals.judge import CALIBRATION_LABELS, score_statements
from service.config import Settings
from service.llm.backend import Backend
from service.llm.factory import build_backend
from service.prompts import PromptLibrary
from tests.conftest import ROOT
from tests.test_model import _require_model  # noqa: F401  (skips or fails without the model)

pytestmark = pytest.mark.model


# Types the checker cannot order, kept visible as strict xfails (README known limits).
# check@v1 scored c000_27 at 0.692 and its added-hedge twin at 0.704; check@v2 with the
# exact checks orders all eight pairs (2026-11-30), so none is listed.
BLIND: dict[str, str] = {}


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
    v_true, v_altered = score_statements(
        backend, prompts, article, [true["sentence"], altered["sentence"]]
    )
    p_true, p_altered = v_true.probability, v_altered.probability
    assert p_true is not None and p_altered is not None
    assert p_true > p_altered, f"{altered['id']}: {p_true:.3f} <= {p_altered:.3f}"
