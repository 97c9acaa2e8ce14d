"""Story labels on corpus articles (`corpus` + `path`), splits, and the corroboration
precision scorers: each judgement on hand-made story JSON, no model, no corpus needed
(the check of the shipped labels against PolNeAR skips without it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evals.corpora import corpus
from evals.story_eval import evaluate, pooled, run_story_evals
from evals.story_labels import STORIES, load_story_label, load_story_labels, unanchored
from evals.story_precision import bad_speaker, cut_name, duplicate_clusters
from evals.story_scorers import score_story

LABEL_YAML = """
id: one-event
description: test
split: {split}
send_outlets: true
articles:
  - {{label: a, corpus: mini, path: text/a.txt, outlet: Alpha News}}
  - {{label: b, corpus: mini, path: text/b.txt, outlet: Beta Post}}
  - {{label: c, corpus: mini, path: text/c.txt, outlet: Gamma}}
facts:
  - id: won-ohio
    description: Kasich won Ohio
    match: [[Kasich], [Ohio]]
    articles: [a, b, c]
    min_articles: 2
  - id: rubio-out
    description: Rubio ended his campaign
    match: [[Rubio], [ended, suspended]]
    articles: [a, b]
    min_articles: 2
different:
  - id: cruz-vs-sanders-oklahoma
    description: Cruz won Oklahoma vs Sanders won Oklahoma
    articles: [a, b]
    side_a: [[Cruz], [Oklahoma]]
    side_b: [[Sanders], [Oklahoma]]
"""

TEXTS = {
    "a": "Kasich Wins Big.\n\nKasich won Ohio. Rubio ended his campaign. Cruz won Oklahoma.",
    "b": "Ohio Result.\n\nJohn Kasich carried Ohio. Rubio suspended his bid. Sanders won Oklahoma.",
    "c": "Ohio.\n\nKasich took Ohio on Tuesday, said Attorney General Loretta Lynch.",
}


@pytest.fixture
def labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "corpora"
    (root / "mini" / "text").mkdir(parents=True)
    for name, text in TEXTS.items():
        (root / "mini" / "text" / f"{name}.txt").write_text(text)
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(root))
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "one-event.yaml").write_text(LABEL_YAML.format(split="test"))
    return folder


def _support(article: str, text: str, claim: str = "c1") -> dict[str, Any]:
    return {"article": article, "text": text, "speaker": "Alpha News",
            "claim_ids": [claim], "evidence": []}  # fmt: skip


def _cluster(cid: str, *supports: dict[str, Any], parent: str | None = None) -> dict[str, Any]:
    return {"id": cid, "text": supports[0]["text"], "speaker": "Alpha News",
            "articles": list(supports), "parent": parent, "specific": []}  # fmt: skip


def _pair(cid: str, first: str, said: str, second: str, says: str) -> dict[str, Any]:
    return _cluster(cid, _support(first, said), _support(second, says))


def _story(*clusters: dict[str, Any]) -> dict[str, Any]:
    return {
        "articles": [{"id": "Alpha News"}, {"id": "Beta Post"}, {"id": "Gamma"}],
        "entities": [],
        "clusters": list(clusters),
        "single_source": [],
        "discrepancies": [],
    }


def test_a_corpus_article_resolves_under_the_corpora_folder(labels: Path) -> None:
    label = load_story_label(labels / "one-event.yaml")
    assert label.articles[0].path == corpus("mini") / "text" / "a.txt"  # type: ignore[operator]
    assert label.articles[1].source == "mini:text/b.txt"
    assert label.split == "test" and label.send_outlets and not label.missing
    assert [d.id for d in label.different] == ["cruz-vs-sanders-oklahoma"]


def test_an_absent_corpus_skips_the_set_without_building_it(
    labels: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path / "nowhere"))
    label = load_story_label(labels / "one-event.yaml")
    assert label.missing == ["mini:text/a.txt", "mini:text/b.txt", "mini:text/c.txt"]

    class NoEngine:
        def summarize(self, _article: Any) -> Any:
            raise AssertionError("a skipped set is not built")

    reports = run_story_evals(NoEngine(), labels)
    assert reports[0]["skipped"].startswith("corpus absent") and reports[0]["passed"]


def test_the_split_filter_keeps_one_part(labels: Path) -> None:
    assert [s.id for s in load_story_labels(labels, "test")] == ["one-event"]
    assert load_story_labels(labels, "dev") == []


def test_unanchored_names_a_fact_its_article_does_not_state(labels: Path) -> None:
    path = labels / "one-event.yaml"
    assert unanchored(load_story_label(path)) == []
    path.write_text(path.read_text().replace("articles: [a, b]\n", "articles: [a, b, c]\n", 1))
    assert unanchored(load_story_label(path)) == ["fact rubio-out in c"]


def _scores(labels: Path, *clusters: dict[str, Any]) -> dict[str, Any]:
    return score_story(load_story_label(labels / "one-event.yaml"), _story(*clusters))


def test_a_cluster_whose_members_state_one_fact_is_right(labels: Path) -> None:
    right = _pair("k1", "Alpha News", "Kasich won Ohio.", "Gamma", "Kasich took Ohio on Tuesday.")
    scores = _scores(labels, right)
    assert scores["corroboration_precision"].value == 1.0
    assert scores["corroboration_precision"].details["right"] == 1


def test_members_stating_different_labelled_facts_make_a_wrong_cluster(labels: Path) -> None:
    mixed = _pair("k1", "Alpha News", "Kasich won Ohio.", "Beta Post", "Rubio suspended his bid.")
    scores = _scores(labels, mixed)
    assert scores["corroboration_precision"].value == 0.0
    assert (
        scores["corroboration_precision"].details["wrong_clusters"][0]["why"].startswith("members")
    )


def test_a_labelled_different_pair_in_one_cluster_is_counted(labels: Path) -> None:
    joined = _pair("k1", "Alpha News", "Cruz won Oklahoma.", "Beta Post", "Sanders won Oklahoma.")
    scores = _scores(labels, joined)
    assert scores["different_joined"].value == 1.0
    assert scores["corroboration_precision"].value == 0.0


def test_an_unlabelled_cluster_is_unjudged_but_counts_against_strict_precision(
    labels: Path,
) -> None:
    right = _pair("k1", "Alpha News", "Kasich won Ohio.", "Beta Post", "John Kasich carried Ohio.")
    other = _pair("k2", "Alpha News", "The weather was fine.", "Gamma", "It was sunny.")
    scores = _scores(labels, right, other)
    assert scores["corroboration_precision"].value == 1.0
    assert scores["corroboration_precision_strict"].value == 0.5
    assert scores["corroboration_precision"].details["unjudged"] == 1


def test_a_member_whose_article_does_not_state_the_fact_makes_a_wrong_cluster(
    labels: Path,
) -> None:
    # c is not among rubio-out's articles: whatever its member says, it is another fact
    outside = _pair(
        "k1", "Alpha News", "Rubio ended his campaign.", "Gamma", "The campaign was over."
    )
    worded = _pair("k2", "Alpha News", "Kasich won Ohio.", "Gamma", "He carried the state.")
    scores = _scores(labels, outside, worded)
    assert scores["corroboration_precision"].details["wrong"] == 1
    assert scores["corroboration_precision"].details["unjudged"] == 1


def test_a_cluster_repeating_anothers_members_is_a_duplicate() -> None:
    a, b = _support("Alpha News", "x", "c1"), _support("Beta Post", "y", "c9")
    first, again = _cluster("k1", a, b), _cluster("k2", a, b)
    refined = _cluster("k3", a, b, parent="k1")
    assert duplicate_clusters(_story(first, again)) == ["k2"]
    first["specific"] = [refined]
    assert duplicate_clusters(_story(first)) == []


def test_pronouns_and_file_names_are_no_speakers() -> None:
    pronouns = frozenset({"he", "she", "they"})
    assert bad_speaker("I", pronouns) and bad_speaker("they", pronouns)
    assert bad_speaker("001_4030ccd61a577e0f", pronouns)
    assert bad_speaker("huff-post_2016-08-29_anthony-weiner", pronouns)
    assert not bad_speaker("Kasich", pronouns) and not bad_speaker("Beta Post", pronouns)


def test_speaker_faults_count_a_pronoun_speaker_and_an_article_named_by_file(
    labels: Path,
) -> None:
    cluster = _pair("k1", "Alpha News", "Kasich won Ohio.", "Gamma", "Kasich took Ohio.")
    cluster["speaker"] = "I"
    story = _story(cluster)
    story["articles"][2]["named_from"] = "file"
    score = score_story(load_story_label(labels / "one-event.yaml"), story)["speaker_faults"]
    assert score.value == 2.0 and score.details["speakers"] == ["I"]


def test_cut_names_headline_words_titles_without_surname_and_suffixes() -> None:
    bodies = [text.split("\n", 1)[1] for text in TEXTS.values()]
    assert cut_name("Kasich Wins", bodies) == "only in a headline"
    assert cut_name("Attorney General Loretta", bodies) == "always part of a longer name"
    assert cut_name("Trump Jr", bodies) == "surname and suffix only"
    assert cut_name("Kasich", bodies) is None and cut_name("Loretta Lynch", bodies) is None


def test_pooled_figures_add_the_sets_of_a_split(labels: Path) -> None:
    label = load_story_label(labels / "one-event.yaml")
    right = _pair("k1", "Alpha News", "Kasich won Ohio.", "Gamma", "Kasich took Ohio.")
    wrong = _pair("k2", "Alpha News", "Cruz won Oklahoma.", "Beta Post", "Sanders won Oklahoma.")
    reports = [evaluate(label, _story(right)), evaluate(label, _story(wrong))]
    test = pooled(reports)["test"]
    assert test["clusters"] == {"right": 1, "wrong": 1, "unjudged": 0}
    assert test["corroboration_precision"] == 0.5 and test["different_joined"] == 1.0
    assert test["facts"] == 4 and test["corroboration_recall"] == 0.25


def test_the_shipped_labels_load_with_a_test_part() -> None:
    sets = load_story_labels(STORIES)
    parts = {s: [x.id for x in sets if x.split == s] for s in ("seed", "dev", "test")}
    assert parts["seed"] == ["budanov-north-korea"]
    assert len(parts["dev"]) + len(parts["test"]) >= 10 and len(parts["test"]) >= 3
    assert all(x.send_outlets and x.different for x in sets if x.split != "seed")


@pytest.mark.skipif(corpus("polnear") is None, reason="PolNeAR corpus absent")
def test_every_label_is_anchored_in_its_polnear_articles() -> None:
    for label in load_story_labels(STORIES):
        assert not label.missing and unanchored(label) == [], label.id
