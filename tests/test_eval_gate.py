"""The eval harness end to end on a scripted model: outputs written, and a deliberately
degraded prompt version caught by the regression gate, with the regressed metric named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cases import load_cases
from evals.outputs import write_run
from evals.runner import Engines, RunConfig, run_eval
from service.compose import build_eval_engines
from service.config import Settings
from service.llm.cache import CachingBackend
from tests.conftest import FIXTURES, ROOT, make_backend
from tests.fakes import Responder

CASES = ROOT / "evals" / "cases"


def _engines(tmp_path: Path, prompts: Path, responder: Responder | None = None) -> Engines:
    """The eval's engines from the composition root, on a scripted model; the response cache
    under tmp_path/cache (shared by the runs of one test)."""
    settings = Settings(cache_dir=tmp_path / "cache", prompts_dir=prompts)
    backend = make_backend(responder) if responder else make_backend()
    return build_eval_engines(settings, backend=backend)


@pytest.fixture
def degraded_prompts(tmp_path: Path) -> Path:
    root = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", root)
    # The referent prompt, not the headline's: the model writes a headline only where neither
    # a claim's own words nor deletion can (none of the seeds on the scripted model), and a
    # vague headline now fails the headline's own checks; a vague referent passes every check.
    degraded = FIXTURES / "prompts_degraded" / "refer"
    shutil.copytree(degraded, root / "refer", dirs_exist_ok=True)
    return root


def _run(
    tmp_path: Path, prompts_root: Path, baseline: Path | None = None
) -> tuple[dict, list, Path]:
    config = RunConfig(
        out_dir=tmp_path / "runs",
        baseline=baseline,
        thresholds={"claim_recall": 0.0, "claim_precision": 0.0},
    )
    summary, records = run_eval(load_cases(CASES), _engines(tmp_path, prompts_root), config)
    return summary, records, write_run(tmp_path / "runs", summary, records)


def test_run_writes_every_output_and_history(tmp_path: Path) -> None:
    summary, records, run_dir = _run(tmp_path, ROOT / "prompts")
    assert {p.name for p in run_dir.iterdir()} >= {
        "results.jsonl",
        "summary.json",
        "junit.xml",
        "report.html",
    }
    assert len(records) == 5 and all(r["ok"] for r in records)
    assert summary["prompt_versions"]["summarize"] == "v4"
    assert summary["metrics"]["claim_recall"]["mean"] > 0
    assert summary["metrics"]["grounding_rate"]["mean"] == 1.0
    history = (tmp_path / "runs" / "history.jsonl").read_text().splitlines()
    assert len(history) == 1 and json.loads(history[0])["run_id"] == summary["run_id"]
    assert "<testsuite" in (run_dir / "junit.xml").read_text()


def test_rescoring_is_served_from_the_response_cache(tmp_path: Path) -> None:
    _run(tmp_path, ROOT / "prompts")
    never = _engines(
        tmp_path, ROOT / "prompts", lambda m, k: pytest.fail("model called on a cached run")
    )
    summary, _ = run_eval(load_cases(CASES), never, RunConfig(out_dir=tmp_path / "runs"))
    backend = never.base.backend
    assert isinstance(backend, CachingBackend)
    assert backend.hits > 0 and backend.misses == 0
    assert summary["metrics"]["claim_recall"]["mean"] > 0


def test_degraded_prompt_is_caught_and_lost_claims_named(
    tmp_path: Path, degraded_prompts: Path
) -> None:
    _, _, good_dir = _run(tmp_path, ROOT / "prompts")
    bad, _, bad_dir = _run(tmp_path, degraded_prompts, baseline=good_dir / "summary.json")
    assert bad["prompt_versions"]["refer"] == "v99"
    assert not bad["passed"]
    regressed = [f.split()[0] for f in bad["failures"] if "regressed" in f]
    assert regressed, bad["failures"]  # "This …" left bare: claims no longer read alone
    report = (bad_dir / "report.html").read_text()
    assert all(name in report for name in regressed)


def test_cli_exits_non_zero_on_the_degraded_prompt(
    tmp_path: Path, degraded_prompts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evals.cli as eval_cli
    from service.cli import app

    def engines(prompts_dir: Path | None = None) -> Engines:
        return _engines(tmp_path, prompts_dir or ROOT / "prompts")

    monkeypatch.setattr(eval_cli, "_engines", engines)
    runner = CliRunner()
    first = runner.invoke(app, ["eval", "run", "--out", str(tmp_path / "runs")])
    baseline = next((tmp_path / "runs").glob("*/summary.json"))
    second = runner.invoke(
        app,
        [
            "eval",
            "run",
            "--out",
            str(tmp_path / "runs"),
            "--baseline",
            str(baseline),
            "--prompts-dir",
            str(degraded_prompts),
        ],
    )
    assert second.exit_code == 1, second.output
    assert "FAILED" in second.output and "regressed" in second.output + second.stderr
    compare = runner.invoke(
        app,
        [
            "eval",
            "compare",
            str(baseline.parent),
            str(next(p for p in (tmp_path / "runs").glob("*/") if p != baseline.parent)),
        ],
    )
    assert compare.exit_code == 0 and "summary_mentions" in compare.output
    assert "report:" in first.output, (
        first.output
    )  # ran to the end (the fake reader fails its own thresholds)
