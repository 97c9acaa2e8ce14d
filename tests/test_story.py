"""Story logic on hand-made claim sets: no model involved."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from service.story.build import build_story
from service.story.entities import canonicalize
from service.story.quantities import conflicts, quantities, resolve_dates
from tests.story_claims import result

PEOPLE = [("Kyrylo Budanov", "person", ["Kyrylo Budanov", "Budanov"])]
KIRILL = [("Kirill Budanov", "person", ["Kirill Budanov", "Budanov"])]
NK = ("North Korea", "place", ["North Korea", "Pyongyang"])


def test_transliterations_acronyms_and_short_forms_are_one_entity() -> None:
    mentions = [("a", "Kyrylo Budanov", "person"), ("b", "Kirill Budanov", "person"), ("c", "Budanov", "person"),
                ("a", "GUR", "organization"), ("b", "DIU", "organization"), ("c", "HUR", "organization"),
                ("c", "Defence Intelligence of Ukraine", "organization"), ("a", "Sergei Lavrov", "person"), ("b", "Sergei Shoigu", "person")]  # fmt: skip
    entities = {e.id: e for e in canonicalize(mentions)}
    assert set(entities["kyrylo-budanov"].aliases) == {
        "Kyrylo Budanov",
        "Kirill Budanov",
        "Budanov",
    }
    assert set(entities["defence-intelligence-of-ukraine"].aliases) == {
        "GUR",
        "DIU",
        "HUR",
        "Defence Intelligence of Ukraine",
    }
    assert (
        "sergei-lavrov" in entities and "sergei-shoigu" in entities
    )  # same first name, different people


@settings(max_examples=30, deadline=None)
@given(
    st.permutations(
        [
            ("a", "Kyrylo Budanov", "person"),
            ("b", "Kirill Budanov", "person"),
            ("c", "Budanov", "person"),
            ("a", "North Korea", "place"),
            ("b", "South Korea", "place"),
            ("c", "Korea", "place"),
            ("b", "DIU", "organization"),
            ("a", "GUR", "organization"),
        ]
    )
)
def test_canonicalisation_is_order_independent(mentions: list[tuple[str, str, str]]) -> None:
    ids = [(e.id, tuple(e.aliases)) for e in canonicalize(mentions)]
    assert ids == [(e.id, tuple(e.aliases)) for e in canonicalize(sorted(mentions))]
    assert ("korea", ("Korea",)) in ids  # ambiguous short form joins neither Korea


def test_general_fact_and_its_figure_are_nested_clusters_with_their_own_support() -> None:
    results = [
        result("A", [("Kyrylo Budanov", "North Korea supplies up to 40% of Russia's artillery ammunition.")], [*PEOPLE, NK]),
        result("B", [("Kirill Budanov", "North Korea supplies nearly 40 percent of Russia's artillery ammunition.")], [*KIRILL, NK]),
        result("C", [("Budanov", "North Korea supplies huge amounts of Russia's artillery ammunition.")], [*PEOPLE, NK]),
        result("D", [("Budanov", "North Korea supplies large amounts of artillery ammunition to Russia.")], [*PEOPLE, NK]),
        result("E", [("Budanov", "The weather in Kyiv was cold on Saturday.")], PEOPLE),
    ]  # fmt: skip
    story = build_story(results, [""] * 5, embed=None)
    (top,) = story.clusters
    # The general fact: every article that says North Korea supplies the ammunition.
    assert top.support == 4 and [s.article for s in top.articles] == ["A", "B", "C", "D"]
    assert not top.numbers and "40" not in top.text
    # The figure: only the articles that state it ("up to 40%" and "nearly 40 percent" agree).
    (figure,) = top.specific
    assert figure.parent == top.id and figure.numbers and figure.support == 2
    assert [s.article for s in figure.articles] == ["A", "B"]
    assert [c.articles[0].article for c in story.single_source] == ["E"]
    assert not [d for d in story.discrepancies if d.kind == "number"]


def test_different_numbers_for_one_measure_conflict_and_do_not_merge() -> None:
    results = [
        result(
            "A",
            [("Budanov", "North Korea supplies 40% of Russia's artillery ammunition.")],
            [*PEOPLE, NK],
        ),
        result(
            "B",
            [("Budanov", "North Korea supplies 60% of Russia's artillery ammunition.")],
            [*PEOPLE, NK],
        ),
    ]
    story = build_story(results, ["", ""], embed=None)
    assert not story.clusters and len(story.single_source) == 2
    (d,) = story.discrepancies
    assert d.kind == "number" and "40%" in d.description and "60%" in d.description
    assert {d.a.article, d.b.article} == {"A", "B"} and d.a.evidence and d.b.evidence


def test_same_number_with_different_scope_is_flagged_not_merged() -> None:
    results = [
        result(
            "A",
            [
                (
                    "Ukrainian intelligence",
                    "60% of the losses in military intelligence units over the past three months were caused by North Korean artillery.",
                )
            ],
            [NK],
        ),
        result(
            "B",
            [
                (
                    "Budanov",
                    "North Korean artillery contributed to up to 60 percent of recent casualty figures.",
                )
            ],
            [*PEOPLE, NK],
        ),
    ]
    story = build_story(results, ["", ""], embed=None)
    scope = [d for d in story.discrepancies if d.kind == "scope"]
    assert len(scope) == 1 and "60" in scope[0].description
    assert not story.clusters


def test_relayed_interview_counts_once() -> None:
    a = "Budanov said this in an interview with Bloomberg. North Korea supplies up to 40% of Russia's ammunition."
    b = "In a recent conversation with Bloomberg, Budanov disclosed that North Korea supplies nearly 40 percent of Russia's ammunition."
    c = "Speaking at an event in Kyiv, Budanov said North Korea supplies 40% of Russia's ammunition."
    results = [
        result(
            "A",
            [("Budanov", "North Korea supplies up to 40% of Russia's ammunition.")],
            [*PEOPLE, NK],
            a,
        ),
        result(
            "B",
            [("Budanov", "North Korea supplies nearly 40 percent of Russia's ammunition.")],
            [*PEOPLE, NK],
            b,
        ),
        result(
            "C", [("Budanov", "North Korea supplies 40% of Russia's ammunition.")], [*PEOPLE, NK], c
        ),
    ]
    story = build_story(results, [a, b, c], embed=None)
    (top,) = story.clusters
    assert top.support == 3 and top.independent_support == 2
    bloomberg = next(o for o in story.origins if o.id == "interview:bloomberg")
    assert bloomberg.articles == ["A", "B"]
    assert "relay the same interview with Bloomberg" in story.summary


def test_attribution_conflict() -> None:
    results = [
        result(
            "A",
            [
                (
                    "Kyrylo Budanov",
                    "Russia struck Ukraine with North Korean ballistic missiles in January.",
                )
            ],
            [*PEOPLE, NK],
        ),
        result(
            "B",
            [
                (
                    "John Kirby",
                    "Russia struck Ukraine with North Korean ballistic missiles in January.",
                )
            ],
            [*PEOPLE, NK],
        ),
    ]
    # each article names its source (only two named entities can be two sources)
    texts = [f"{r.claims[0].text} {r.claims[0].speaker} said so on Monday." for r in results]
    kirby = ("John Kirby", "person", ["John Kirby"])
    results = [r.model_copy(update={"entities": [*r.entities, *result("x", [], [kirby]).entities]})
               for r in results]  # fmt: skip
    kinds = {d.kind for d in build_story(results, texts, embed=None).discrepancies}
    assert "attribution" in kinds


def test_relative_dates_resolve_against_publication() -> None:
    assert resolve_dates(
        "Putin visited Pyongyang last June; Lavrov came on Saturday.", date(2025, 7, 14)
    ) == {
        "last June": "2025-06",
        "on Saturday": "2025-07-12",
    }
    assert resolve_dates("last June", None) == {}


def test_quantities_keep_hedges_and_units() -> None:
    (q,) = quantities("up to 40 percent of shells")
    assert (q.value, q.unit, q.hedge) == (40.0, "%", "up to")
    assert quantities("in 2024") == []
    assert [x.unit for x in quantities("24 years and 3 months")] == ["years", "months"]


def test_a_lower_bound_met_by_the_other_figure_is_no_conflict() -> None:
    # "more than $700 million" and "$702 million" say the same; "$650 million" is below it
    bound = quantities("The firm lost more than $700 million last year.")
    assert bound[0].hedge == "more than"
    assert conflicts(bound, quantities("The firm lost $702 million last year.")) == []
    assert conflicts(quantities("The firm lost $702 million."), bound) == []
    assert conflicts(bound, quantities("The firm lost $650 million last year."))
    assert conflicts(quantities("It lost $700 million."), quantities("It lost $702 million."))


def test_article_order_does_not_change_the_story() -> None:
    base = [
        result(
            "A",
            [("Budanov", "North Korea supplies up to 40% of Russia's artillery ammunition.")],
            [*PEOPLE, NK],
        ),
        result(
            "B",
            [
                (
                    "Kirill Budanov",
                    "Pyongyang provides nearly 40 percent of the artillery ammunition Russia uses.",
                )
            ],
            [*KIRILL, NK],
        ),
        result(
            "C",
            [("Budanov", "North Korea supplies 60% of Russia's artillery ammunition.")],
            [*PEOPLE, NK],
        ),
    ]
    shapes = set()
    for perm in itertools.permutations(base):
        story = build_story(list(perm), [""] * 3, embed=None)
        shapes.add(
            (
                tuple(
                    sorted(
                        (c.support, tuple(sorted(s.article for s in c.articles)))
                        for c in story.clusters
                    )
                ),
                len(story.discrepancies),
            )
        )
    assert len(shapes) == 1


def test_outlets_own_voice_is_no_attribution_conflict_and_claims_keep_their_order() -> None:
    same = "Russia struck Ukraine with North Korean ballistic missiles in January."
    many = [
        ("A", f"Claim number {i} about shells and missiles in Kharkiv region.")
        for i in range(1, 12)
    ]
    results = [result("A", [("A", same), *many], [NK]), result("B", [("B", same)], [NK])]
    story = build_story(results, ["", ""], embed=None)
    assert not [d for d in story.discrepancies if d.kind == "attribution"]
    assert story.clusters[0].speaker == "A" and story.clusters[0].support == 2
    ids = [c.articles[0].claim_id for c in story.single_source if c.articles[0].article == "A"]
    assert ids == sorted(ids, key=lambda i: int(i[1:]))
