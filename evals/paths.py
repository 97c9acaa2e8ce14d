"""Where the evals read their cases and write their runs, and the gate's thresholds: shared
by `summarizer eval` and the nightly run, below both."""

from __future__ import annotations

import yaml

from service.config import REPO_ROOT

CASES = REPO_ROOT / "evals" / "cases"
RUNS = REPO_ROOT / "runs"
THRESHOLDS = REPO_ROOT / "evals" / "thresholds.yaml"


def load_thresholds() -> dict[str, float]:
    """The gate's thresholds (evals/thresholds.yaml); none when the file is absent."""
    return (yaml.safe_load(THRESHOLDS.read_text()) or {}) if THRESHOLDS.exists() else {}
