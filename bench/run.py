"""Benchmark the pipeline on the seed articles with the embedded model (a script, not a test).

Prints a table and writes bench/results/bench-<time>.json: per article wall time, model
prefill/decode, pipeline overhead (wall - model time), tokens (and prompt-cache hits),
claims found and dropped, peak RSS; then LangChain's stock map-reduce summarize chain on the
same model and articles, and the ratios ours/stock measured in the same run.

    .venv/bin/python bench/run.py [--articles DIR] [--no-stock]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.compose import build_engine
from service.config import Settings
from service.engine import Engine
from service.pipeline.models import ArticleInput

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "median_wall_s": ("<=", 60.0),
    "median_computed_per_article_token": ("<=", 3.0),
    "peak_rss_gb": ("<=", 3.0),
    "ungrounded_claims": ("==", 0),
    "median_decode_steps": ("<=", 300),
}


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def model_tokens(engine: Engine, text: str) -> int:
    """The article's length in the model's own tokens (what the 3x target is about)."""
    chat = getattr(engine.backend, "_chat", None)
    llm = getattr(chat, "_llm", None)
    if llm is None:
        from service.llm.tokens import count_tokens

        return count_tokens(text)
    return len(llm.tokenize(text.encode(), add_bos=False))


def machine_speed(engine: Engine) -> dict[str, float]:
    """This machine's prefill and decode rates, measured in the run itself (machines of one
    kind differ up to 3x), so figures compare as ratios: a fixed ~600-token prompt, then 64
    greedy tokens without a grammar."""
    llm = getattr(getattr(engine.backend, "_chat", None), "_llm", None)
    if llm is None:
        return {}
    text = (ROOT / "evals" / "data" / "articles").glob("004*.txt").__next__().read_text()
    tokens = llm.tokenize(text.encode(), add_bos=True)[:600]
    llm.reset()
    t0 = time.perf_counter()
    llm.eval(tokens)
    prefill = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(64):
        llm.eval([llm.sample(temp=0.0)])
    decode = time.perf_counter() - t0
    llm.reset()
    return {"prefill_tok_s": len(tokens) / prefill, "decode_tok_s": 64 / decode}


def run_ours(engine: Engine, path: Path) -> dict[str, Any]:
    text = path.read_text()
    t0 = time.perf_counter()
    result = engine.summarize(ArticleInput(text=text))
    wall = time.perf_counter() - t0
    ungrounded = sum(
        1 for c in result.claims for s in c.evidence if text[s.start : s.end] != s.quote
    )
    u = result.usage
    article_tokens = model_tokens(engine, "\n\n".join(p for p in text.split("\n") if p.strip()))
    return {
        "article": path.name,
        "wall_s": wall,
        "model_s": u.model_seconds,
        "prefill_s": u.prefill_seconds,
        "decode_s": u.decode_seconds,
        "overhead_s": wall - u.model_seconds,
        "overhead_share": (wall - u.model_seconds) / wall,
        "article_tokens": article_tokens,
        "prompt_tokens": u.prompt_tokens,
        "cached_prompt_tokens": u.cached_prompt_tokens,
        "completion_tokens": u.completion_tokens,
        # forward passes that produced output tokens: equal to completion_tokens (no
        # speculative decoding; the model writes at most a headline)
        "decode_steps": u.completion_tokens,
        "computed_tokens": u.computed_tokens,
        "computed_per_article_token": u.computed_tokens / article_tokens,
        "model_calls": u.model_calls,
        "check_s": sum(c.latency_s for c in u.calls if c.label == "check"),
        "flagged": sum(c.flagged for c in result.claims)
        + sum(k.flagged for k in result.summary.key_points)
        + int(bool(result.summary.headline_check and result.summary.headline_check.flagged)),
        "headline_by_model": result.summary.headline_by_model,
        # which path made the headline: a claim's own words, its main clause by deletion,
        # the model's wording, or none
        "headline_path": result.summary.headline_path,
        "claims": len(result.claims),
        "ungrounded": ungrounded,
        "peak_rss_gb": peak_rss_gb(),
    }


def run_stock(engine: Engine, path: Path) -> dict[str, Any]:
    """LangChain's stock map-reduce summarize chain on the same chat model."""
    from langchain_classic.chains.summarize import load_summarize_chain
    from langchain_core.callbacks import UsageMetadataCallbackHandler
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    chat = engine.backend._chat  # type: ignore[attr-defined]
    chain = load_summarize_chain(chat, chain_type="map_reduce")
    splitter = RecursiveCharacterTextSplitter(chunk_size=2000, chunk_overlap=200)
    docs = [Document(page_content=t) for t in splitter.split_text(path.read_text())]
    usage = UsageMetadataCallbackHandler()
    t0 = time.perf_counter()
    out = chain.invoke({"input_documents": docs}, config={"callbacks": [usage]})
    wall = time.perf_counter() - t0
    totals = {"input_tokens": 0, "output_tokens": 0, "cache_read": 0}
    for meta in usage.usage_metadata.values():
        totals["input_tokens"] += meta.get("input_tokens", 0)
        totals["output_tokens"] += meta.get("output_tokens", 0)
        totals["cache_read"] += (meta.get("input_token_details") or {}).get("cache_read", 0)
    computed = totals["input_tokens"] - totals["cache_read"] + totals["output_tokens"]
    return {
        "article": path.name,
        "wall_s": wall,
        "computed_tokens": computed,
        "completion_tokens": totals["output_tokens"],
        "summary_chars": len(out["output_text"]),
    }


def check(name: str, value: float) -> str:
    op, target = TARGETS[name]
    ok = value <= target if op == "<=" else value == target
    return f"{'PASS' if ok else 'FAIL'} ({name} {value:.3g} {op} {target})"


def report_ours(ours: list[dict[str, Any]], load_s: float) -> dict[str, Any]:
    cols = ["wall_s", "floor_s", "prefill_s", "decode_s", "overhead_s", "article_tokens",
            "prompt_tokens", "cached_prompt_tokens", "completion_tokens", "decode_steps",
            "computed_per_article_token", "model_calls", "claims", "peak_rss_gb"]  # fmt: skip
    # what a server does once at start-up: load the weights, compute the shared instructions
    print(f"model load and priming {load_s:.1f}s")
    print(f"{'article':<28}" + "".join(f"{c[:12]:>13}" for c in cols) + f"{'headline':>10}")
    for row in ours:
        cells = "".join(f"{row[c]:>13.3g}" for c in cols)
        print(f"{row['article']:<28}{cells}{row['headline_path']:>10}")
    summary = {
        "median_wall_s": statistics.median(r["wall_s"] for r in ours),
        "max_overhead_share": max(r["overhead_share"] for r in ours),
        "median_computed_per_article_token": statistics.median(
            r["computed_per_article_token"] for r in ours
        ),
        "peak_rss_gb": max(r["peak_rss_gb"] for r in ours),
        "ungrounded_claims": sum(r["ungrounded"] for r in ours),
        "median_completion_tokens": statistics.median(r["completion_tokens"] for r in ours),
        "median_decode_steps": statistics.median(r["decode_steps"] for r in ours),
    }
    print("\ntargets:")
    for name, value in summary.items():
        print("  " + (check(name, value) if name in TARGETS else f"{name} {value:.3g}"))
    return summary


def report_stock(ours: list[dict[str, Any]], stock: list[dict[str, Any]]) -> dict[str, float]:
    if not stock:
        return {}
    print(f"\n{'stock map-reduce':<28}{'wall_s':>13}{'computed':>13}{'completion':>13}")
    for row in stock:
        print(f"{row['article']:<28}{row['wall_s']:>13.3g}{row['computed_tokens']:>13}"
              f"{row['completion_tokens']:>13}")  # fmt: skip
    ratios = {
        "time_ours_over_stock": sum(r["wall_s"] for r in ours) / sum(r["wall_s"] for r in stock),
        "computed_tokens_ours_over_stock": sum(r["computed_tokens"] for r in ours)
        / max(sum(r["computed_tokens"] for r in stock), 1),
        # The pipeline's own work (parse, rank, shorten) against what the stock chain spends:
        # with at most one short model call, it is most of our wall time, so its share of
        # ours says little; this says what it costs a user.
        "overhead_ours_over_stock_wall": sum(r["overhead_s"] for r in ours)
        / sum(r["wall_s"] for r in stock),
    }
    print("\nours/stock (ours also returns grounded claims, entities and key points):")
    for name, value in ratios.items():
        print(f"  {name}: {value:.2f}")
    return ratios


def write(
    out_dir: Path,
    engine: Engine,
    load_s: float,
    ours: list[dict[str, Any]],
    stock: list[dict[str, Any]],
    summary: dict[str, Any],
    ratios: dict[str, float],
    path: Path | None = None,
) -> Path:
    """Written after our runs and again after the stock chain, so a failure loses neither."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = path or out_dir / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps({
        "created_at": datetime.now(UTC).isoformat(), "model": engine.backend.model_id,
        "load_s": load_s, "ours": ours, "stock": stock, "summary": summary, "ratios": ratios,
        "targets": {k: list(v) for k, v in TARGETS.items()},
    }, indent=2))  # fmt: skip
    print(f"wrote {path}", flush=True)
    return path


def headline_check_s(engine: Engine, path: Path) -> float:
    """What checking a model-phrased headline costs on this article: the checker's model
    question about its top key point (a headline's size) on its claim's sentences, right
    after the article ran (so the model's cache holds what it holds in the pipeline)."""
    article = ArticleInput(text=path.read_text())
    result = build_engine(engine.settings, backend=engine.backend).summarize(article)
    if not result.summary.key_points:
        return 0.0
    point = result.summary.key_points[0]
    claim = next(c for c in result.claims if c.id == point.claim_ids[0])
    return engine.check_statement(article, [claim], point.text).seconds


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: float(r["wall_s"]))[(len(runs) - 1) // 2]


def run_check(engine: Engine, paths: list[Path], repeats: int = 3) -> dict[str, Any]:
    """The faithfulness checker's extra wall time: each article off, on, off, on ... on the
    same loaded model, a new engine per run (so no result cache serves a repeat), the
    median of each kept. Alternating keeps a load spike from the rest of the machine from
    landing on one side only."""
    on_settings = engine.settings.model_copy(update={"check_faithfulness": True})
    off, on = [], []
    for p in paths:
        runs = [
            run_ours(build_engine(s, backend=engine.backend), p)
            for _ in range(repeats)
            for s in (engine.settings, on_settings)
        ]
        off.append(_median_run(runs[0::2]))
        on.append({**_median_run(runs[1::2]), "headline_check_s": headline_check_s(engine, p)})
    print(
        f"\n{'checker off/on':<28}{'off_s':>10}{'on_s':>10}{'extra':>10}{'check_s':>10}"
        f"{'flagged':>10}{'model head':>12}{'head chk s':>12}{'of off':>10}"
    )
    rows = []
    for a, b in zip(off, on, strict=True):
        extra = b["wall_s"] / a["wall_s"] - 1
        rows.append({"article": a["article"], "off_s": a["wall_s"], "on_s": b["wall_s"],
                     "extra_share": extra, "check_s": b["check_s"], "flagged": b["flagged"],
                     "headline_by_model": b["headline_by_model"],
                     "headline_check_s": b["headline_check_s"],
                     "headline_check_share": b["headline_check_s"] / a["wall_s"]})  # fmt: skip
        print(f"{a['article']:<28}{a['wall_s']:>10.1f}{b['wall_s']:>10.1f}{extra:>10.1%}"
              f"{b['check_s']:>10.1f}{b['flagged']:>10}{b['headline_by_model']!s:>12}"
              f"{b['headline_check_s']:>12.2f}{b['headline_check_s'] / a['wall_s']:>10.1%}")  # fmt: skip
    figures = {
        "median_extra_share": statistics.median(r["extra_share"] for r in rows),
        "max_extra_share": max(r["extra_share"] for r in rows),
        "total_extra_share": sum(r["on_s"] for r in rows) / sum(r["off_s"] for r in rows) - 1,
        "check_share_of_on_wall": sum(r["check_s"] for r in rows) / sum(r["on_s"] for r in rows),
        # If every headline were the model's: one more forward pass per article.
        "median_headline_check_share": statistics.median(r["headline_check_share"] for r in rows),
    }
    for name, value in figures.items():
        print(f"  {name}: {value:.1%}")
    return {"rows": rows, **figures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, default=ROOT / "evals" / "data" / "articles")
    parser.add_argument("--no-stock", action="store_true")
    parser.add_argument(
        "--check", action="store_true", help="only measure the faithfulness checker's extra time"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    paths = sorted(args.articles.glob("*.txt"))

    engine = build_engine(Settings())  # as the CLI: no store, every article runs the model
    engine.backend.load()
    speed = machine_speed(engine)
    print("machine: " + ", ".join(f"{k} {v:.1f}" for k, v in speed.items()), flush=True)
    t0 = time.perf_counter()
    engine.warm()
    if engine.load_error:
        raise SystemExit(f"model failed to load: {engine.load_error}")
    load_s = time.perf_counter() - t0
    if args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"bench-check-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
        result = {"model": engine.backend.model_id, **run_check(engine, paths)}
        path.write_text(json.dumps(result, indent=2))
        print(f"wrote {path}")
        return

    ours = [run_ours(engine, p) for p in paths]
    for row in ours:  # the least this machine could take: read the article, write the output
        row["floor_s"] = (
            row["article_tokens"] / speed["prefill_tok_s"]
            + row["completion_tokens"] / speed["decode_tok_s"]
            if speed
            else 0.0
        )
    summary = report_ours(ours, load_s) | speed
    out = write(args.out, engine, load_s, ours, [], summary, {})
    stock = [] if args.no_stock else [run_stock(engine, p) for p in paths]
    ratios = report_stock(ours, stock)
    write(args.out, engine, load_s, ours, stock, summary, ratios, out)


if __name__ == "__main__":
    main()
