"""`summarizer eval brief`: the service's brief on the development set (evals/brief/),
at several lengths, beside Lead-N, per genre and overall.

Each article goes through the engine as the service runs it (`Engine.summarize` on the
article file's text, `max_words` N); model responses come from the eval response cache, so
the lengths after the first reuse the claims' calls and only new questions cost time.
Articles whose corpus is absent are skipped and counted. Results are scored by
evals/brief_scoring.py and written to runs/brief-<split>-<timestamp>.json with every
article's brief, so a run can be re-scored without the model (`rescore`).
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from evals.brief_scoring import score_brief
from evals.brief_set import BriefArticle
from evals.summary_scorers import LENGTHS


class Summarizer(Protocol):
    def summarize(self, article: Any) -> Any: ...


def group_of(article: BriefArticle) -> str:
    """Where an article is reported: its BBC genre, or 'polnear' (all US politics)."""
    return f"bbc-{article.genre}" if article.corpus == "bbc" else article.corpus


def _kept(result: Any) -> dict[str, Any]:
    """What scoring needs of a result: the summary and the claims (id, speaker, text)."""
    data = result.model_dump(mode="json")
    claims = [{k: c.get(k) for k in ("id", "speaker", "text")} for c in data.get("claims") or []]
    return {"summary": data.get("summary"), "claims": claims}


def summarize_article(
    engine: Summarizer, text: str, words: int
) -> tuple[dict[str, Any] | None, str | None]:
    """The engine's result at `words` (kept parts only), or the error it raised."""
    from service.errors import InputError
    from service.llm.errors import LLMError
    from service.pipeline.models import ArticleInput

    try:
        return _kept(engine.summarize(ArticleInput(text=text, max_words=words))), None
    except (LLMError, InputError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def run_article(
    engine: Summarizer, article: BriefArticle, text: str, lengths: Sequence[int]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": article.id,
        "group": group_of(article),
        "publisher": article.publisher,
        "split": article.split,
        "facts": len(article.facts),
        "lengths": {},
    }
    for words in lengths:
        t0 = time.perf_counter()
        result, error = summarize_article(engine, text, words)
        record["lengths"][str(words)] = {
            "result": result,
            "error": error,
            "wall_s": round(time.perf_counter() - t0, 2),
        }
    return record


def score_record(record: dict[str, Any], article: BriefArticle, text: str) -> dict[str, Any]:
    """A run record with each length's scores added (in place of nothing: a new dict)."""
    lengths = {
        words: run | score_brief(article, text, run.get("result"), int(words))
        for words, run in record["lengths"].items()
    }
    return record | {"lengths": lengths}


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 3) if values else None


def _headlines(records: Sequence[dict[str, Any]], lengths: Sequence[int]) -> dict[str, Any]:
    """Each article's headline at the first length, and the path that made it (a headline
    does not depend on the length)."""
    out: dict[str, Any] = {}
    for r in records:
        run = r["lengths"].get(str(lengths[0])) or {} if lengths else {}
        out[str(r.get("id", len(out)))] = {
            "path": run.get("headline_path", "none"),
            "text": run.get("headline", ""),
        }
    return out


def aggregate(records: Sequence[dict[str, Any]], lengths: Sequence[int]) -> dict[str, Any]:
    """Mean coverage (ours, Lead-N) per group and overall at each length, and the brief's
    headline, cut, furniture and grounding counts over every article x length."""
    groups = [*sorted({r["group"] for r in records}), "all"]
    table: dict[str, Any] = {}
    for group in groups:
        rows = [r for r in records if group in ("all", r["group"])]
        table[group] = {"articles": len(rows)}
        for words in lengths:
            runs = [r["lengths"][str(words)] for r in rows]
            table[group][str(words)] = {
                "ours": _mean([x["coverage"] for x in runs]),
                "lead": _mean([x["lead_coverage"] for x in runs]),
                "top_fact": _mean([float("f1" in x["ours"]) for x in runs]),
            }
    briefs = [x for r in records for x in r["lengths"].values()]
    done = [x for x in briefs if not x.get("error")]
    terms = sum(x["terms"] for x in done)
    return {
        "table": table,
        "briefs": len(briefs),
        "errors": len(briefs) - len(done),
        "headline_present": _mean([float(bool(x["headline"])) for x in done]),
        "headline_by_model": sum(x["headline_by_model"] for x in done),
        "headline_paths": dict(Counter(x.get("headline_path", "none") for x in done)),
        "headlines": _headlines(records, lengths),
        "headline_cut": [x["headline_cut"] for x in done if x["headline_cut"]],
        "furniture": [f for x in done for f in x["furniture"]],
        "grounded_terms": round(1 - sum(len(x["ungrounded"]) for x in done) / terms, 3)
        if terms
        else None,
    }


def format_report(report: dict[str, Any], lengths: Sequence[int]) -> str:
    head = "group".ljust(18) + "n".rjust(3)
    head += "".join(f"  ours@{w:<3} lead@{w:<3}" for w in lengths)
    lines = [head]
    for group, row in report["table"].items():
        line = group.ljust(18) + str(row["articles"]).rjust(3)
        for w in lengths:
            cell = row[str(w)]
            line += "".join(
                f"  {'-' if cell[k] is None else f'{cell[k]:.3f}':>8}" for k in ("ours", "lead")
            )
        lines.append(line)
    top = report["table"]["all"]
    lines.append(
        "top fact (f1) in the brief: "
        + ", ".join(f"@{w} {top[str(w)]['top_fact']}" for w in lengths)
    )
    lines.append(
        f"briefs {report['briefs']} (errors {report['errors']}): headline present "
        f"{report['headline_present']}, by the model {report['headline_by_model']}, "
        f"cut {len(report['headline_cut'])}; captions/credits in summary or key points "
        f"{len(report['furniture'])}; summary numbers+names in cited claims "
        f"{report['grounded_terms']}"
    )
    paths = report.get("headline_paths") or {}
    lines.append("headline paths: " + ", ".join(f"{k} {v}" for k, v in sorted(paths.items())))
    for aid, head in (report.get("headlines") or {}).items():
        lines.append(f"  {aid:<34}{head['path']:<10}{head['text'] or ''}")
    return "\n".join(lines)


def evaluate(
    engine: Summarizer,
    articles: Sequence[BriefArticle],
    lengths: Sequence[int] = LENGTHS,
    progress: Callable[[str], None] = lambda _m: None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """(report, scored records, skipped ids): every article whose corpus is here."""
    records, skipped = [], []
    for i, article in enumerate(articles, 1):
        source = article.source()
        if source is None or not source.exists():
            skipped.append(article.id)
            continue
        text = source.read_text()
        progress(f"[{i}/{len(articles)}] {article.id}")
        records.append(score_record(run_article(engine, article, text, lengths), article, text))
    return aggregate(records, lengths), records, skipped


def rescore(
    path: Path, articles: Sequence[BriefArticle]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A saved run's briefs scored again with the current labels and scorer (no model)."""
    saved = json.loads(path.read_text())
    by_id = {a.id: a for a in articles}
    records = []
    for record in saved["records"]:
        article = by_id.get(record["id"])
        source = article.source() if article else None
        if article is not None and source is not None and source.exists():
            records.append(score_record(record, article, source.read_text()))
    lengths = [int(w) for w in saved["lengths"]]
    return aggregate(records, lengths), records


def write_run(
    out: Path, split: str, lengths: Sequence[int], report: dict[str, Any], records: list[Any]
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = out / f"brief-{split}-{stamp}.json"
    body = {"split": split, "lengths": list(lengths), "report": report, "records": records}
    path.write_text(json.dumps(body, indent=1) + "\n")
    return path
