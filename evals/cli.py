"""`summarizer eval ...`: run, compare, calibrate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from evals.paths import CASES, RUNS, load_thresholds
from service.config import Settings

if TYPE_CHECKING:
    from evals.runner import Engines

app = typer.Typer(help="Evaluate outputs against hand-labelled cases.", no_args_is_help=True)


def _engines(prompts_dir: Path | None = None) -> Engines:
    """The engines the run measures, from the composition root, as the service builds its."""
    from service.compose import build_eval_engines

    settings = Settings()
    if prompts_dir is not None:
        settings = settings.model_copy(update={"prompts_dir": prompts_dir})
    return build_eval_engines(settings, progress=lambda m: typer.echo(m, err=True))


@app.command()
def run(
    cases: Annotated[Path, typer.Option(help="directory of case YAML files")] = CASES,
    repeat: Annotated[
        int, typer.Option(min=1, max=20, help="runs per case; measures the noise band")
    ] = 1,
    concurrency: Annotated[int, typer.Option(min=1, max=32)] = 1,
    baseline: Annotated[
        Path | None, typer.Option(help="summary.json (or run dir) to compare against")
    ] = None,
    out: Annotated[Path, typer.Option(help="where runs and their history are kept")] = RUNS,
    judge: Annotated[
        bool, typer.Option("--judge", help="also score faithfulness with the checker")
    ] = False,
    prompts_dir: Annotated[Path | None, typer.Option(help="prompt library to evaluate")] = None,
    lengths: Annotated[
        str, typer.Option(help="also summarize at these lengths in words (25,40,60,100): metric@N")
    ] = "",
) -> None:
    """Run the engine on every case, score, gate, and write the report."""
    from rich.progress import Progress

    from evals.cases import load_cases
    from evals.judge import report_checker, use_checker
    from evals.outputs import write_run
    from evals.runner import RunConfig, parse_lengths, run_eval

    try:
        extra_lengths = parse_lengths(lengths)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--lengths") from exc

    loaded = load_cases(cases)
    engines = _engines(prompts_dir)
    thresholds = load_thresholds()
    config = RunConfig(
        out_dir=out,
        repeat=repeat,
        concurrency=concurrency,
        baseline=baseline,
        thresholds=thresholds,
        lengths=extra_lengths,
    )
    base = engines.base
    judge_state = use_checker(config, base.backend, base.prompts) if judge else None
    with Progress(transient=True) as progress:
        task = progress.add_task("evaluating", total=len(loaded) * repeat)
        summary, records = run_eval(
            loaded, engines, config, on_done=lambda _r: progress.advance(task)
        )
    if judge_state is not None:
        report_checker(summary, judge_state)
    run_dir = write_run(out, summary, records)
    for name, m in sorted(summary["metrics"].items()):
        mean = "-" if m["mean"] is None else f"{m['mean']:.3f}"
        typer.echo(f"  {name:<28} {mean:>7}  {m['status']}")
    typer.echo(f"{'PASSED' if summary['passed'] else 'FAILED'}  report: {run_dir / 'report.html'}")
    for failure in summary["failures"]:
        typer.echo(f"  - {failure}", err=True)
    raise typer.Exit(code=0 if summary["passed"] else 1)


@app.command()
def compare(run_a: Path, run_b: Path) -> None:
    """What changed between two runs (run directories or their summary.json)."""
    from evals.compare import compare as do_compare

    typer.echo(do_compare(run_a, run_b))


@app.command()
def calibrate(
    labels: Annotated[Path | None, typer.Option(help="calibration YAML")] = None,
    fresh: Annotated[
        Path | None,
        typer.Option(help="labels unseen while the checks were written [judge/fresh.yaml]"),
    ] = None,
    save: Annotated[
        bool, typer.Option(help="write evals/judge/calibration-result.json (and the service's)")
    ] = True,
    prompts_dir: Annotated[Path | None, typer.Option(help="prompt library to calibrate")] = None,
) -> None:
    """Fit the faithfulness checker's threshold on the calibration half of the labels; report
    ROC AUC, kappa, accuracy and recall per error type on the held-out half and the fresh
    labels, for the checker and for its model alone."""
    from evals.judge import CALIBRATION_LABELS, FRESH_LABELS, save_calibration
    from evals.judge import calibrate as do_calibrate

    base = _engines(prompts_dir).base
    result = do_calibrate(
        base.backend, base.prompts, labels or CALIBRATION_LABELS, fresh or FRESH_LABELS
    )
    summary = {k: v for k, v in result.items() if k != "items_detail"}
    typer.echo(json.dumps(summary, indent=2))
    if save:
        save_calibration(result)


@app.command("flags-to-cases")
def flags_to_cases(
    out: Annotated[Path, typer.Option(help="where complete cases go (the nightly run's)")] = CASES,
    drafts: Annotated[
        Path | None, typer.Option(help="incomplete cases, for a labeller [OUT/../drafts]")
    ] = None,
    articles: Annotated[
        Path | None, typer.Option(help="article files [OUT/../data/articles]")
    ] = None,
    db: Annotated[str | None, typer.Option(help="database URL [the configured store]")] = None,
) -> None:
    """Turn reader verdicts from Slack into eval cases: confirmed claims become expected
    claims, claims flagged wrong become forbidden facts."""
    from evals.flags import write_cases
    from service.store.store import Store

    store = Store(db or Settings().db_url)
    store.migrate()

    def job(job_id: str) -> dict[str, Any] | None:
        row = store.jobs.get(job_id)
        return {"spec": row.spec, "result": row.result} if row else None

    report = write_cases(
        store.flags.list(),
        job,
        out,
        drafts or out.parent / "drafts",
        articles or out.parent / "data" / "articles",
    )
    for status, path, missing in report:
        typer.echo(f"{status:<6} {path}")
        for need in missing:
            typer.echo(f"         needs {need}")
    counts = {s: sum(1 for r in report if r[0] == s) for s in ("ready", "draft", "exists")}
    typer.echo(
        f"{counts['ready']} ready, {counts['draft']} drafts, {counts['exists']} already written"
    )


@app.command()
def story(
    labels: Annotated[
        Path | None, typer.Option(help="one story label YAML [every file in evals/stories]")
    ] = None,
    story_json: Annotated[
        Path | None,
        typer.Option("--story-json", help="score this story (`summarizer story --json`) instead"),
    ] = None,
    out: Annotated[Path, typer.Option(help="where the story and its scores are written")] = RUNS,
    words_only: Annotated[
        bool, typer.Option("--words-only", help="align by shared words only (no embeddings)")
    ] = False,
    results: Annotated[
        Path | None,
        typer.Option(help="rebuild from the per-article results an earlier run wrote (no model)"),
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="only the seed, dev or test sets (test: reported once)")
    ] = None,
    rescore: Annotated[
        Path | None,
        typer.Option(help="score a story run file (story-run-*.json) again (no model)"),
    ] = None,
) -> None:
    """Story-level eval: corroboration recall and precision, different facts joined,
    duplicate clusters, false supports, entity fragments, speaker faults, discrepancy
    recall/precision, shared clusters, summary agreement; pooled per split."""
    from evals.story_eval import (
        SavedResults,
        evaluate,
        format_pooled,
        format_report,
        pooled,
        rescore_run,
        run_story_evals,
        write_run,
    )
    from evals.story_labels import STORIES, load_story_label

    if split not in (None, "seed", "dev", "test"):
        raise typer.BadParameter("--split seed|dev|test")
    if rescore is not None:
        reports = rescore_run(rescore)
        typer.echo(f"run file: {write_run(reports, out, 'rescored-' + rescore.stem)}")
    elif story_json is not None:
        if labels is None:
            raise typer.BadParameter("--story-json needs --labels")
        saved = json.loads(story_json.read_text())  # a story, or a story run file
        reports = [evaluate(load_story_label(labels), saved.get("story_json", saved))]
    else:
        engine: Any = SavedResults(results) if results is not None else _engines().base
        directory = STORIES if labels is None else labels.parent
        only = None if labels is None else load_story_label(labels).id
        reports = run_story_evals(engine, directory, out, words_only, split, only)
        typer.echo(f"run file: {write_run(reports, out, split or only or 'all')}")
    for report in reports:
        typer.echo(format_report(report))
    typer.echo(format_pooled(pooled(reports)))
    raise typer.Exit(code=0 if all(r["passed"] for r in reports) else 1)


@app.command()
def brief(
    split: Annotated[str, typer.Option(help="dev, or test (once; never tuned on)")] = "dev",
    limit: Annotated[int | None, typer.Option(min=1, help="only the first N articles")] = None,
    lengths: Annotated[str, typer.Option(help="brief lengths in words")] = "25,40,60,100",
    out: Annotated[Path, typer.Option(help="where the run file is written")] = RUNS,
    rescore: Annotated[
        Path | None, typer.Option(help="score a saved brief run again (no model)")
    ] = None,
) -> None:
    """The brief on the development set (evals/brief): fact coverage at each length beside
    Lead-N per genre, headline present and cut, captions in the summary."""
    from evals import brief_eval
    from evals.brief_set import load_set
    from evals.runner import parse_lengths

    if split not in ("dev", "test"):
        raise typer.BadParameter("dev or test", param_hint="--split")
    articles = load_set(split=split, limit=limit)
    if rescore is not None:
        report, records = brief_eval.rescore(rescore, articles)
        words: tuple[int, ...] = tuple(int(w) for w in report["table"]["all"] if w.isdigit())
    else:
        words = parse_lengths(lengths)
        engine = _engines().base
        report, records, skipped = brief_eval.evaluate(
            engine, articles, words, lambda m: typer.echo(m, err=True)
        )
        if skipped:
            typer.echo(f"skipped {len(skipped)} (corpus absent): {', '.join(skipped)}", err=True)
    typer.echo(brief_eval.format_report(report, words))
    typer.echo(f"run: {brief_eval.write_run(out, split, words, report, records)}")


@app.command("brief-fit")
def brief_fit() -> None:
    """Score every candidate ranking of evals/brief_fit.py on the brief's dev split (never
    test): how the constants of service/pipeline/brief/rank.py were chosen."""
    from evals import brief_fit as fitting

    fitting.fit(_engines().base, typer.echo)


@app.command()
def attribution(
    which: Annotated[str, typer.Option("--set", help="polnear, or own (evals/own)")] = "polnear",
    split: Annotated[
        str, typer.Option(help="dev, or test (once per release; own: evals/own/test)")
    ] = "dev",
    limit: Annotated[int | None, typer.Option(min=1, help="only N articles (quick runs)")] = None,
    out: Annotated[Path, typer.Option(help="where the run file is written")] = RUNS,
    rescore: Annotated[
        Path | None, typer.Option(help="score the claims a saved run file kept (no pipeline)")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="an earlier run file: print what changed against it")
    ] = None,
) -> None:
    """Attribution on PolNeAR (per publisher) or our own labelled set (per genre): detected,
    credited to the outlet, right speaker, pronoun and role-noun names; failures listed."""
    from evals.attribution_suite import run_suite

    if which not in ("polnear", "own") or split not in ("train", "dev", "test"):
        raise typer.BadParameter("--set polnear|own, --split train|dev|test")
    echo_err = lambda m: typer.echo(m, err=True)  # noqa: E731
    engine = _engines().base if rescore is None else None
    report = run_suite(engine, which, split, limit, out, typer.echo, echo_err, rescore, baseline)
    raise typer.Exit(code=0 if report is None or report["passed"] else 1)


@app.command("pronouns")
def pronouns(
    split: Annotated[str, typer.Option(help="validation, development or test")] = "validation",
    limit: Annotated[int | None, typer.Option(min=1, help="only N rows (quick runs)")] = None,
    out: Annotated[Path, typer.Option(help="where the run file is written")] = RUNS,
) -> None:
    """Pronouns on GAP: of those replaced, how many by the right name; share replaced."""
    from evals.gap import pronouns as run_gap

    run_gap(split, limit, out)
