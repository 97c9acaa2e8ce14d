"""The story scorers on hand-made story JSON: each metric can fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.story_eval import evaluate
from evals.story_labels import STORIES, load_story_label
from evals.story_scorers import score_story

LABEL_YAML = """
id: two-outlets
description: test
articles:
  - {label: a, path: a.txt}
  - {label: b, path: b.txt}
  - {label: c, path: c.txt}
facts:
  - id: ammo
    description: North Korea supplies ammunition
    match: [[North Korea], [ammunition]]
    articles: [a, b, c]
    min_articles: 3
  - id: ammo-40
    description: 40% of the ammunition
    match: [[North Korea], [ammunition]]
    numbers: ["40%"]
    articles: [a, b]
    min_articles: 2
discrepancies:
  - id: role
    kind: role
    description: a calls him military chief
    articles: [a, "*"]
    side_a: [[military chief]]
    side_b: [[intelligence]]
shared:
  - {articles: [a, c], min_clusters: 1}
forbidden_entities: [Kyiv Saturday]
"""


def _support(article: str, text: str, quote: str) -> dict[str, Any]:
    return {
        "article": article,
        "text": text,
        "evidence": [{"start": 0, "end": len(quote), "quote": quote}],
    }


def _story(figure_supporters: list[tuple[str, str]]) -> dict[str, Any]:
    general = "North Korea supplies ammunition."
    return {
        "articles": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
        "entities": [{"name": "Kyiv", "aliases": ["Kyiv", "Kyiv Saturday", "Jan"]}],
        "clusters": [
            {
                "id": "k1",
                "text": general,
                "articles": [_support(x, general, general) for x in "ABC"],
                "specific": [
                    {
                        "id": "k1.1",
                        "text": "North Korea supplies 40% of the ammunition.",
                        "articles": [_support(x, "40%", q) for x, q in figure_supporters],
                        "specific": [],
                    }
                ],
            }
        ],
        "single_source": [],
        "discrepancies": [
            {
                "id": "d1",
                "description": "role",
                "a": {"article": "A", "text": "Military chief Budanov", "evidence": [{"quote": "Military chief Budanov"}]},
                "b": {"article": "C", "text": "intelligence chief Budanov", "evidence": [{"quote": "intelligence chief"}]},
            },
            {"id": "d2", "description": "noise", "a": {"article": "A", "text": "x", "evidence": []},
             "b": {"article": "B", "text": "y", "evidence": []}},
        ],
        "summary_sentences": [{"text": "A, B and C report it.", "cluster_ids": ["k1"]}],
    }  # fmt: skip


def test_story_scorers_count_what_they_claim(tmp_path: Path) -> None:
    path = tmp_path / "label.yaml"
    path.write_text(LABEL_YAML)
    label = load_story_label(path)
    good = score_story(label, _story([("A", "up to 40% of"), ("B", "nearly 40 percent of")]))
    assert good["false_supports"].value == 0 and good["corroboration_recall"].value == 1.0
    # C states the fact without the figure: supporting the figure is a false support, and
    # the three-article figure no longer proves anything the label asks.
    bad = score_story(
        label, _story([("A", "40%"), ("B", "40%"), ("C", "large amounts"), ("C", "x")])
    )
    assert bad["false_supports"].value == 2 and bad["duplicate_members"].value == 1
    assert good["entity_fragments"].value == 2  # "Kyiv Saturday" and the date word "Jan"
    assert good["discrepancy_recall"].value == 1.0 and good["discrepancy_precision"].value == 0.5
    assert good["discrepancy_evidence"].value == 0.5
    assert good["shared_clusters"].value == 1.0 and good["multi_clusters"].value == 2.0
    assert good["summary_agreement"].value == 1.0
    lost = _story([("A", "40%"), ("B", "40%")])
    lost["summary_sentences"][0]["text"] = "A and B report it."
    assert score_story(label, lost)["summary_agreement"].value == 0.0


def test_the_seed_story_labels_load_and_gate() -> None:
    label = load_story_label(STORIES / "budanov-north-korea.yaml")
    assert len(label.facts) >= 10 and all(a.path.exists() for a in label.articles)
    empty: dict[str, Any] = {
        "articles": [],
        "clusters": [],
        "single_source": [],
        "discrepancies": [],
        "entities": [],
    }
    report = evaluate(label, empty)
    assert not report["passed"] and report["metrics"]["corroboration_recall"]["value"] == 0.0
