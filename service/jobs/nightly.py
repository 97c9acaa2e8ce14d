"""The nightly eval as a task of the queue: run the cases, record the run in the store."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from service.jobs.service import JobService

log = logging.getLogger(__name__)


def run_nightly_eval(jobs: JobService, timestamp: int) -> bool:
    import yaml

    from evals.cases import load_cases
    from evals.cli import CASES, RUNS, THRESHOLDS
    from evals.outputs import write_run
    from evals.runner import RunConfig, run_eval

    started = datetime.fromtimestamp(timestamp, UTC)
    thresholds = (yaml.safe_load(THRESHOLDS.read_text()) or {}) if THRESHOLDS.exists() else {}
    config = RunConfig(out_dir=RUNS, thresholds=thresholds)
    engine = jobs.engine
    summary, records = run_eval(load_cases(CASES), engine.backend, engine.prompts, config)
    write_run(RUNS, summary, records)
    jobs.store.record_eval_run(summary["run_id"], started, summary["passed"], summary)
    log.info("nightly eval %s: %s", summary["run_id"], "passed" if summary["passed"] else "failed")
    return bool(summary["passed"])
