"""The nightly eval as a task of the job queue: run the cases, record the run in the store.
`engines` run the cases (fresh engines on the serving model), `engine` the story evals.

Wired by the composition root (service/compose.py), so the service's core never imports
evals; `summarizer worker` schedules it with procrastinate's periodic tasks.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from evals.cases import load_cases
from evals.judge import report_checker, use_checker
from evals.outputs import write_run
from evals.paths import CASES, RUNS, load_thresholds
from evals.runner import Engines, RunConfig, run_eval
from evals.summary_scorers import LENGTHS
from service.engine import Engine
from service.store.flags import EvalRunRepo

log = logging.getLogger(__name__)


def run_nightly_eval(
    engine: Engine,
    engines: Engines,
    runs: EvalRunRepo,
    timestamp: int,
    cases_dir: Path | None = None,
    out_dir: Path | None = None,
) -> bool:
    started = datetime.fromtimestamp(timestamp, UTC)
    out = out_dir or RUNS
    config = RunConfig(
        out_dir=out,
        thresholds=load_thresholds(),
        lengths=LENGTHS,
    )
    base = engines.base
    checker = use_checker(config, base.backend, base.prompts)  # gates once calibrated
    summary, records = run_eval(load_cases(cases_dir or CASES), engines, config)
    report_checker(summary, checker)
    run_dir = write_run(out, summary, records)
    # Story-level labels (evals/stories): corroboration, false support, discrepancies.
    from evals.story_eval import run_story_evals

    summary["stories"] = run_story_evals(engine, out=run_dir)
    summary["passed"] = summary["passed"] and all(s["passed"] for s in summary["stories"])
    # Attribution on PolNeAR dev and our own set where the corpora are here (reported only).
    from evals.attribution_suite import nightly as attribution_suites

    summary["attribution"] = attribution_suites(engine, run_dir, log.info)
    # GAP pronouns (development) where the corpus is here (reported only).
    from evals.gap import nightly as pronoun_suite

    summary["pronouns"] = pronoun_suite(run_dir, log.info)
    runs.record(summary["run_id"], started, summary["passed"], summary)
    log.info("nightly eval %s: %s", summary["run_id"], "passed" if summary["passed"] else "failed")
    return bool(summary["passed"])
