"""The nightly eval as a task of the queue: run the cases, record the run in the store."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from service.jobs.service import JobService

log = logging.getLogger(__name__)


def run_nightly_eval(
    jobs: JobService, timestamp: int, cases_dir: Path | None = None, out_dir: Path | None = None
) -> bool:

    from evals.cases import load_cases
    from evals.cli import CASES, RUNS, load_thresholds
    from evals.judge import report_checker, use_checker
    from evals.outputs import write_run
    from evals.runner import RunConfig, run_eval

    started = datetime.fromtimestamp(timestamp, UTC)
    out = out_dir or RUNS
    engine = jobs.engine
    config = RunConfig(
        out_dir=out,
        thresholds=load_thresholds(),
        window_sentences=engine.settings.window_sentences,
    )
    checker = use_checker(config, engine.backend, engine.prompts)  # gates once calibrated
    summary, records = run_eval(
        load_cases(cases_dir or CASES), engine.backend, engine.prompts, config
    )
    report_checker(summary, checker)
    write_run(out, summary, records)
    jobs.store.record_eval_run(summary["run_id"], started, summary["passed"], summary)
    log.info("nightly eval %s: %s", summary["run_id"], "passed" if summary["passed"] else "failed")
    return bool(summary["passed"])
