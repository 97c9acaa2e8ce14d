"""`eval run --lengths`: each case's summary at several lengths on a scripted model, the
claim calls served from the response cache, per-length scores and summaries in the records,
and `eval compare` and the report showing them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from evals.cases import load_cases
from evals.compare import compare
from evals.outputs import write_run
from evals.runner import Engines, RunConfig, parse_lengths, run_eval
from service.compose import build_eval_engines
from service.config import Settings
from service.llm.cache import CachingBackend
from tests.conftest import ROOT, make_backend

CASES = ROOT / "evals" / "cases"


def _engines(tmp_path: Path) -> Engines:
    """The eval's engines from the composition root, on a scripted model."""
    settings = Settings(cache_dir=tmp_path / "cache", prompts_dir=ROOT / "prompts")
    return build_eval_engines(settings, backend=make_backend())


def _run(
    tmp_path: Path, lengths: tuple[int, ...]
) -> tuple[dict[str, Any], list[dict[str, Any]], CachingBackend]:
    engines = _engines(tmp_path)
    config = RunConfig(out_dir=tmp_path / "runs", lengths=lengths)
    cases = load_cases(CASES)[:2]
    summary, records = run_eval(cases, engines, config)
    assert isinstance(engines.base.backend, CachingBackend)
    return summary, records, engines.base.backend


def test_lengths_rerun_only_what_changes_and_score_each_length(tmp_path: Path) -> None:
    _, _, plain = _run(tmp_path / "a", ())
    summary, records, backend = _run(tmp_path / "b", (25, 60))
    # 60 is the cases' max_words: the main run is reused; 25 is one more run per case whose
    # claim calls hit the cache, so it costs fewer calls than the main run.
    extra = backend.misses - plain.misses
    # The model's answer does not depend on the length (the pipeline fits it), so the extra
    # length is served entirely from the response cache.
    assert extra == 0 and plain.misses > 0, (extra, plain.misses)
    assert backend.hits >= plain.misses - extra
    for record in records:
        assert set(record["lengths"]) == {"25", "60"}
        assert record["lengths"]["60"]["summary"] == record["result"]["summary"]
        assert record["lengths"]["25"]["error"] is None
        scores = record["scores"]
        for name in ("key_fact_coverage", "lead_baseline", "truncated_sentences", "lead_stated"):
            assert f"{name}@25" in scores and f"{name}@60" in scores and name in scores
        assert scores["lead_baseline@60"] == scores["lead_baseline"]
    metrics = summary["metrics"]
    assert metrics["lead_stated@25"]["threshold"] is None  # registered: no gate at 25
    assert metrics["truncated_sentences@25"]["threshold"] == 0.0  # inherited from the base
    assert metrics["truncated_sentences@25"]["direction"] == "lower"


def test_compare_and_report_show_the_lengths(tmp_path: Path) -> None:
    summary_a, records_a, _ = _run(tmp_path, (25,))
    run_a = write_run(tmp_path / "runs", summary_a, records_a)
    records_b = json.loads(json.dumps(records_a))
    records_b[0]["lengths"]["25"]["summary"]["summary"] = "A different short summary."
    summary_b = dict(summary_a, run_id=summary_a["run_id"] + "-b")
    run_b = write_run(tmp_path / "runs", summary_b, records_b)
    text = compare(run_a, run_b)
    assert "key_fact_coverage@25" in text and "lead_baseline@25" in text
    assert "@25 B: " in text and "A different short summary." in text
    assert "A different short summary." in (run_b / "report.html").read_text()


def test_parse_lengths() -> None:
    assert parse_lengths("25,40, 60,40") == (25, 40, 60)
    assert parse_lengths("") == ()
    for bad in ("25,forty", "5", "25,400"):
        with pytest.raises(ValueError):
            parse_lengths(bad)


def test_cli_lengths_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evals.cli as eval_cli
    from service.cli import app

    runner = CliRunner()
    assert "--lengths" in runner.invoke(app, ["eval", "run", "--help"]).output
    bad = runner.invoke(app, ["eval", "run", "--lengths", "25,x"])
    assert bad.exit_code == 2 and "--lengths" in bad.output

    monkeypatch.setattr(eval_cli, "_engines", lambda prompts_dir=None: _engines(tmp_path))
    out = runner.invoke(app, ["eval", "run", "--out", str(tmp_path / "runs"), "--lengths", "40"])
    assert "key_fact_coverage@40" in out.output and "report:" in out.output, out.output
