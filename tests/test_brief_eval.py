"""`summarizer eval brief`: the development set's loader, the brief scorer and the run, on
tiny inline articles (no corpus, no model: the engine's backend is scripted)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from evals.brief_eval import aggregate, evaluate, rescore, write_run
from evals.brief_scoring import furniture, headline_cut, lead_text, score_brief
from evals.brief_set import BriefArticle, load_set
from service.config import Settings
from service.engine import Engine
from tests.conftest import make_backend

ARTICLE = (
    "Rates rise again\n\n"
    "The central bank raised interest rates to 2.25% on Tuesday, its fifth rise since June. "
    "Analysts said inflation was moving higher. The dollar fell against the euro.\n"
)
FACTS = [
    {"id": "f1", "text": "rates rose", "match": [["interest rate"], ["rais", "rise"]]},
    {"id": "f2", "text": "to 2.25%", "match": [["2.25%"]]},
    {"id": "f3", "text": "dollar fell", "match": [["dollar"], ["fell", "fall"]]},
]


def _label(**over: Any) -> dict[str, Any]:
    return {
        "id": "bbc-business-001",
        "corpus": "bbc",
        "path": "business/001.txt",
        "genre": "business",
        "publisher": "bbc",
        "split": "dev",
        "facts": FACTS,
    } | over


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpora" / "bbc" / "business"
    folder.mkdir(parents=True)
    (folder / "001.txt").write_text(ARTICLE)
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path / "corpora"))
    return tmp_path


def _result(headline: str, summary: str, points: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "summary": {
            "headline": headline,
            "summary": summary,
            "key_points": [{"text": p} for p in points],
            "claim_ids": ["c1"],
        },
        "claims": [{"id": "c1", "speaker": "the article", "text": summary}],
    }


def test_load_set_checks_ids_and_fact_counts(tmp_path: Path) -> None:
    (tmp_path / "bbc-business-001.yaml").write_text(yaml.safe_dump(_label()))
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(_label(id="x", split="test")))
    with pytest.raises(ValueError, match="is not the file's name"):
        load_set(tmp_path)
    (tmp_path / "other.yaml").unlink()
    assert [a.id for a in load_set(tmp_path, split="dev")] == ["bbc-business-001"]
    assert load_set(tmp_path, split="test") == []
    with pytest.raises(ValidationError):
        BriefArticle.model_validate(_label(facts=FACTS[:2]))  # a brief needs 3-6 facts


def test_the_committed_set_loads_with_a_test_split() -> None:
    articles = load_set()
    assert len(articles) >= 48
    assert 0.25 <= sum(a.split == "test" for a in articles) / len(articles) <= 0.4


def test_a_fact_counts_only_within_the_first_n_words() -> None:
    article = BriefArticle.model_validate(_label())
    result = _result("Rates rise", "The bank raised interest rates to 2.25%. The dollar fell.")
    short = score_brief(article, ARTICLE, result, 9)  # "2.25%." is word 9
    assert short["ours"] == ["f1", "f2"]
    assert score_brief(article, ARTICLE, result, 40)["ours"] == ["f1", "f2", "f3"]


def test_lead_n_leaves_the_title_out() -> None:
    assert lead_text(ARTICLE, 3) == "The central bank"
    article = BriefArticle.model_validate(_label())
    # The title's "rise" would otherwise pass for f1's second group with "interest rate".
    assert score_brief(article, ARTICLE, None, 6)["lead"] == ["f1"]
    assert score_brief(article, ARTICLE, None, 4)["lead"] == []


def test_headline_cut_mid_word_or_on_a_function_word() -> None:
    text = "The photographic gallery in Tate Modern opened with a show of Turner."
    assert "mid-word 'T'" in str(headline_cut("Show opens at photographic gallery, T", text))
    assert "ends on 'of'" in str(headline_cut("Gallery opens with a show of", text))
    assert "ellipsis" in str(headline_cut("Gallery opens with a show…", text))
    assert headline_cut("Tate Modern gallery opens Turner show", text) is None
    assert headline_cut("Gallery unveils exhibition", text) is None  # model words, not cut
    assert headline_cut("Show opens: Tate", "Tate's gallery opened.") is None  # possessive


def test_captions_and_credits_are_found() -> None:
    found = furniture(
        [
            "Pedro Mendes (right) celebrates his goal.",
            "Follow AWR Hawkins on Twitter: @AWRHawkins.",
            "Clark Boyd is technology correspondent for The World.",
        ]
    )
    assert len(found) >= 3
    assert furniture(["Mendes shot from 50 yards; the keeper was right to dive."]) == []


class _Scripted:
    """A summarizer whose results are given in order (the engine's shape)."""

    def __init__(self, results: list[Any]) -> None:
        self.results = results
        self.words: list[int] = []

    def summarize(self, article: Any) -> Any:
        self.words.append(article.max_words)
        return self.results.pop(0)


def test_evaluate_reports_per_group_and_skips_an_absent_corpus(
    corpus: Path, tmp_path: Path
) -> None:
    from service.pipeline.models import ArticleInput, SummaryResult

    engine = Engine(Settings(cache_dir=tmp_path / "cache"), backend=make_backend())
    real = engine.summarize(ArticleInput(text=ARTICLE, max_words=25))
    assert isinstance(real, SummaryResult)
    present = BriefArticle.model_validate(_label())
    absent = BriefArticle.model_validate(_label(id="polnear-nyt-x", corpus="polnear"))
    scripted = _Scripted([real, real])
    report, records, skipped = evaluate(scripted, [present, absent], (10, 40))
    assert skipped == ["polnear-nyt-x"] and scripted.words == [10, 40]
    assert list(report["table"]) == ["bbc-business", "all"]
    assert report["table"]["all"]["10"]["lead"] == pytest.approx(
        2 / 3, abs=1e-3
    )  # f1, f2 by word 10
    assert report["briefs"] == 2 and report["errors"] == 0
    path = write_run(tmp_path / "runs", "dev", (10, 40), report, records)
    again, _ = rescore(path, [present])
    assert again["table"] == report["table"]
    assert json.loads(path.read_text())["split"] == "dev"


def test_aggregate_counts_headlines_cuts_and_furniture() -> None:
    run = {
        "coverage": 1.0,
        "lead_coverage": 0.5,
        "ours": ["f1"],
        "headline": "",
        "headline_by_model": False,
        "headline_cut": None,
        "furniture": ["(right)"],
        "terms": 2,
        "ungrounded": ["Bush"],
    }
    records = [{"group": "bbc-sport", "lengths": {"25": run}}]
    report = aggregate(records, [25])
    assert report["headline_present"] == 0.0 and report["furniture"] == ["(right)"]
    assert report["grounded_terms"] == 0.5
    assert report["table"]["bbc-sport"]["25"] == {"ours": 1.0, "lead": 0.5, "top_fact": 1.0}
