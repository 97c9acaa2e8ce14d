"""Slack verdicts to eval cases: `summarizer eval flags-to-cases`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from evals.cases import load_case, load_cases
from evals.cli import app
from evals.flags import format_errors, match_groups
from evals.matching import matches
from evals.scorers import claim_recall, forbidden_leakage
from service.store.store import Store
from tests.conftest import ARTICLES

SEED = next(ARTICLES.glob("004*.txt")).read_text()
OTHER = next(ARTICLES.glob("002*.txt")).read_text()


def sentences(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"[A-Z][^.!?\n]{20,}[.!?]", text)]


def claim(
    text: str, start: int, quote: str, i: int, speaker: str = "Kyrylo Budanov"
) -> dict[str, Any]:
    numbers = re.findall(r"\d+%?", quote)
    return {
        "id": f"c{i}",
        "text": quote,
        "speaker": speaker,
        "kind": "statistic" if numbers else "statement",
        "numbers": numbers,
        "evidence": [{"start": start, "end": start + len(quote), "quote": quote}],
    }


def flag_article(store: Store, text: str, right: int, wrong: int) -> list[dict[str, Any]]:
    claims = [claim(text, s, q, i) for i, (s, q) in enumerate(sentences(text)[: right + wrong])]
    assert len(claims) == right + wrong
    for i, c in enumerate(claims):
        assert text[c["evidence"][0]["start"] : c["evidence"][0]["end"]] == c["text"]
        verdict = "right" if i < right else "wrong"
        store.flags.add(article_text=text, claim=c, verdict=verdict, job_id=None, user="UBOB")
    return claims


def run(tmp_path: Path, url: str) -> str:
    result = CliRunner().invoke(
        app, ["flags-to-cases", "--out", str(tmp_path / "cases"), "--db", url]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_match_groups_pick_out_the_statement() -> None:
    text = "Budanov said up to 40% of Russia's ammunition is supplied by North Korea."
    groups = match_groups(text, 3)
    assert groups[0] == ["40%"] and len(groups) == 3
    assert matches(groups, text)
    assert matches(groups, "North Korea supplies up to 40 percent of the ammunition Russia uses")
    assert not matches(groups, "North Korea supplies 60% of the shells")


def test_flags_become_a_ready_case_and_a_draft(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    store.migrate()
    confirmed = flag_article(store, SEED, right=10, wrong=1)
    flag_article(store, OTHER, right=2, wrong=0)

    output = run(tmp_path, url)
    assert "1 ready, 1 drafts" in output

    # complete labels: a case the nightly run loads as it loads the hand-written ones
    (case,) = load_cases(tmp_path / "cases")
    assert case.article_text == SEED  # exact bytes: evidence offsets stay valid
    assert len(case.claims) == 10 and len(case.forbidden) == 1
    assert case.claims[0].speaker == ("kyrylo-budanov",) and case.forbidden[0].reason == "invented"
    assert case.summary.must_mention == (("Kyrylo Budanov",),)

    # the labels score a result the way the reviewer judged it
    found = {"claims": confirmed[:10], "summary": {}, "source": {}}
    assert claim_recall()(case, found).value == 1.0
    assert forbidden_leakage()(case, found).value == 0.0
    assert (
        forbidden_leakage()(case, {**found, "claims": confirmed}).value == 1.0
    )  # the wrong one is back

    # too few labels: a draft next to the cases, saying what a labeller must add
    (draft,) = (tmp_path / "drafts").glob("*.yaml")
    head = draft.read_text()
    assert "8 more expected claims" in head and "a forbidden fact" in head
    data = yaml.safe_load(head)
    assert format_errors(data, complete=False) == []
    assert (draft.parent / data["article"]["path"]).read_text() == OTHER
    moved = tmp_path / "cases" / draft.name  # after moving it, the article path still resolves
    assert (moved.parent / data["article"]["path"]).resolve() == (
        draft.parent / data["article"]["path"]
    ).resolve()


def test_written_cases_are_never_overwritten(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    store.migrate()
    flag_article(store, SEED, right=10, wrong=1)
    run(tmp_path, url)
    (path,) = (tmp_path / "cases").glob("*.yaml")
    path.write_text(path.read_text() + "# a labeller's edit\n")
    assert "0 ready, 0 drafts, 1 already written" in run(tmp_path, url)
    assert path.read_text().endswith("# a labeller's edit\n")
    load_case(path)
