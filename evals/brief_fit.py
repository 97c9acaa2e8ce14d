"""Fitting the brief's ranking on the development split (never on test).

The claims of an article do not depend on the ranking, so each dev article's claims are
read once (`Engine.claims`, as `summarize` reads them) and every candidate ranking is
scored by the brief the pipeline writes from it (`write_summary`: compression, headline,
summary, key points) at each length. A candidate is a `rank(claims, title)` function; the
constants of service/pipeline/brief/rank.py are set per candidate by `with_constants`.

    .venv/bin/summarizer eval brief-fit   # prints mean coverage per candidate
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from evals.brief_eval import aggregate
from evals.brief_scoring import score_brief
from evals.brief_set import BriefArticle, load_set
from evals.summary_scorers import LENGTHS
from service.pipeline.brief import rank as rank_module
from service.pipeline.models import ArticleInput, Claim

Ranker = Callable[[list[Claim], str | None], list[Claim]]


@dataclass
class Read:
    article: BriefArticle
    text: str
    claims: Any  # service.pipeline.run.ClaimsResult


def read_all(engine: Any, articles: Sequence[BriefArticle]) -> list[Read]:
    reads = []
    for article in articles:
        source = article.source()
        if source is not None and source.exists():
            text = source.read_text()
            reads.append(Read(article, text, engine.claims(ArticleInput(text=text))))
    return reads


@contextmanager
def own_words_headlines() -> Iterator[None]:
    """Headlines without the model while fitting (the claim's own words or deletion): a
    model headline is a new model call for every new top claim (seconds each), and the
    model is the headline's last resort."""
    from service.pipeline.brief import headline

    def no_model(*_args: Any) -> tuple[str, bool]:
        return "", False

    saved = getattr(headline, "_model_headline")  # noqa: B009 - the name headline_for calls
    setattr(headline, "_model_headline", no_model)  # noqa: B010
    try:
        yield
    finally:
        setattr(headline, "_model_headline", saved)  # noqa: B010


def brief_of(read: Read, ranker: Ranker, words: int) -> dict[str, Any]:
    """The result parts scoring needs, for the brief the pipeline writes at `words`."""
    from service.pipeline.brief.summarize import write_summary

    done = read.claims
    ranked = ranker(done.claims, done.doc.title)
    with own_words_headlines():
        summary = write_summary(done.ctx, ranked, words, [])
    claims = [{"id": c.id, "speaker": c.speaker, "text": c.text} for c in done.claims]
    return {"summary": summary.model_dump(mode="json"), "claims": claims}


def score(reads: Sequence[Read], ranker: Ranker, lengths: Sequence[int]) -> dict[str, Any]:
    from evals.brief_eval import group_of

    records: list[dict[str, Any]] = []
    for read in reads:
        runs = {
            str(w): score_brief(read.article, read.text, brief_of(read, ranker, w), w)
            for w in lengths
        }
        records.append({"id": read.article.id, "group": group_of(read.article), "lengths": runs})
    report = aggregate(records, lengths)
    # Per article, the mean over lengths: what a cross-validated choice is scored on.
    report["per_article"] = {
        r["id"]: statistics.fmean(x["coverage"] for x in r["lengths"].values()) for r in records
    }
    overall = report["table"]["all"]
    report["mean"] = round(statistics.fmean(overall[str(w)]["ours"] for w in lengths), 4)
    return report


@contextmanager
def with_constants(**values: float) -> Iterator[None]:
    """rank.py's module constants set for one candidate, restored after."""
    saved = {name: getattr(rank_module, name) for name in values}
    try:
        for name, value in values.items():
            setattr(rank_module, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(rank_module, name, value)


GRID = [{"POSITION": p, "DECAY": d} for p in (2.0, 4.0, 6.0, 9.0) for d in (0.5, 1.0, 2.0)]


def fit(engine: Any, say: Callable[[str], None]) -> None:
    """Every candidate of GRID on the dev split, one line each; `engine` from the root."""
    reads = read_all(engine, load_set(split="dev"))
    for values in GRID:
        with with_constants(**values):
            report = score(reads, rank_module.rank, LENGTHS)
        cells = report["table"]["all"]
        say(f"{values} {report['mean']} { ({w: cells[str(w)]['ours'] for w in LENGTHS}) }")
