"""Alignment and support on hand-made claim sets: paraphrases, number conflicts, general vs
specific, one article per cluster, outlet names, the summary. No model: meaning comes
from a scripted embedder that gives the listed texts the listed directions."""

from __future__ import annotations

import math
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from evals.matching import numbers_in
from service.pipeline.claims.entities import rule_entities
from service.story.build import build_story
from service.story.entities import canonicalize
from service.story.models import Cluster, Story
from tests.story_claims import result

BUDANOV = [("Kyrylo Budanov", "person", ["Kyrylo Budanov", "Budanov"])]
NK = [("North Korea", "place", ["North Korea", "Pyongyang"]), ("Russia", "place", ["Russia"])]


class Directions:
    """A scripted embedder: each text containing a key phrase points along that phrase's
    axis; texts with no key phrase get axes of their own (unrelated to everything)."""

    def __init__(self, axes: dict[str, int]) -> None:
        self.axes = axes
        self.calls = 0

    def __call__(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        size = max(self.axes.values(), default=0) + len(texts) + 1
        out = []
        for n, text in enumerate(texts):
            v = [0.0] * size
            hits = [axis for key, axis in self.axes.items() if key.lower() in text.lower()]
            for axis in hits or [max(self.axes.values(), default=0) + 1 + n]:
                v[axis] += 1.0
            norm = math.sqrt(sum(x * x for x in v))
            out.append([x / norm for x in v])
        return out


def all_clusters(story: Story) -> list[Cluster]:
    top = story.clusters + story.single_source
    return top + [s for c in top for s in c.specific]


def test_paraphrases_join_by_meaning_not_by_shared_words() -> None:
    results = [
        result("A", [("Budanov", "North Korea is the largest supplier of weapons to Russia.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "The Kremlin's most important ally during the war is Pyongyang.")], [*BUDANOV, *NK]),
        result("C", [("Budanov", "Russia struggles to recruit enough soldiers.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    words_only = build_story(results, ["", "", ""], embed=None)
    assert not words_only.clusters  # they share almost no words
    meaning = Directions({"largest supplier": 0, "most important ally": 0})
    story = build_story(results, ["", "", ""], embed=meaning)
    (c,) = story.clusters
    assert meaning.calls == 1 and {s.article for s in c.articles} == {"A", "B"}


def test_conflicting_numbers_never_merge_however_alike() -> None:
    same = Directions({"of Russia's ammunition": 0})
    results = [
        result("A", [("Budanov", "North Korea supplies 40% of Russia's ammunition.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "North Korea supplies 60% of Russia's ammunition.")], [*BUDANOV, *NK]),
        result("C", [("Budanov", "North Korea supplies a large part of Russia's ammunition.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, ["", "", ""], embed=same)
    (number,) = [d for d in story.discrepancies if d.kind == "number"]
    assert {number.a.article, number.b.article} == {"A", "B"}
    for c in all_clusters(story):
        arts = {s.article for s in c.articles}
        assert not {"A", "B"} <= arts or not c.numbers  # 40% and 60% never support one figure


def test_a_general_claim_never_supports_a_figure_and_a_figure_supports_the_general_fact() -> None:
    axis = Directions({"ammunition": 0})
    results = [
        result("A", [("Budanov", "Up to 40% of Russia's ammunition comes from North Korea.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "North Korea supplies substantial amounts of ammunition.")], [*BUDANOV, *NK]),
        result("C", [("Budanov", "North Korea sent a significant amount of artillery ammunition.")], [*BUDANOV, *NK]),
        result("D", [("Budanov", "Nearly 40 percent of the ammunition Russia uses is North Korean.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 4, embed=axis)
    (general,) = story.clusters
    assert general.support == 4 and not general.numbers and not numbers_in(general.text)
    (figure,) = general.specific
    assert [s.article for s in figure.articles] == ["A", "D"] and figure.numbers
    assert "4 articles" not in story.summary and "Only A and D give" in story.summary


def test_a_figure_only_in_the_claim_wording_supports_nothing_specific() -> None:
    text_b = "Budanov said North Korea supplies a lot of ammunition."
    results = [
        result("A", [("Budanov", "North Korea supplies up to 40% of Russia's ammunition.")], [*BUDANOV, *NK]),
        # the claim says 40%, its evidence does not: the number is the model's, not B's
        result("B", [("Budanov", "North Korea supplies up to 40% of Russia's ammunition.")], [*BUDANOV, *NK], text=text_b),
        result("C", [("Budanov", "North Korea supplies up to 40% of Russia's ammunition.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, ["", text_b, ""], embed=None)
    for c in all_clusters(story):
        for s in c.articles:
            shown = set(numbers_in(" ".join(e.quote for e in s.evidence)))
            assert set(numbers_in(c.text)) <= shown, (c.id, s.article)
    figure = next(c for c in all_clusters(story) if c.numbers)
    assert [s.article for s in figure.articles] == ["A", "C"]


def test_an_article_counts_once_per_cluster_with_all_its_evidence() -> None:
    results = [
        result("A", [("Budanov", "North Korea supplies artillery shells to Russia."),
                     ("Budanov", "Russia receives artillery shells from North Korea."),
                     ("Budanov", "North Korea supplies artillery shells to Russia, Budanov repeated.")], [*BUDANOV, *NK]),
        result("B", [("Budanov", "North Korea supplies artillery shells to Russia.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, ["", ""], embed=Directions({"artillery shells": 0}))
    (c,) = story.clusters
    assert c.support == 2 and [s.article for s in c.articles] == ["A", "B"]
    (a,) = [s for s in c.articles if s.article == "A"]
    assert a.claim_ids == ["c1", "c2", "c3"] and len(a.evidence) == 3


FIGURES = ["up to 40%", "nearly 40 percent", "60%", "3 million", "a large share", "many", "40%"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FIGURES), min_size=1, max_size=3), min_size=2, max_size=5))
def test_no_false_support_and_no_duplicate_members_whatever_the_figures(
    per_article: list[list[str]],
) -> None:
    results = [
        result(f"O{n}", [("Budanov", f"North Korea supplies {f} of Russia's shells.") for f in figs], [*BUDANOV, *NK])
        for n, figs in enumerate(per_article)
    ]  # fmt: skip
    story = build_story(results, [""] * len(results), embed=Directions({"shells": 0}))
    for c in all_clusters(story):
        assert len({s.article for s in c.articles}) == len(c.articles) == c.support
        for s in c.articles:
            shown = set(numbers_in(" ".join(e.quote for e in s.evidence)))
            assert set(numbers_in(c.text)) <= shown


def test_outlets_come_from_the_request_url_or_masthead_never_a_file_name() -> None:
    masthead = "Spy chief warns on arms\nICARO Media Group\nNorth Korea supplies shells to Russia, Budanov said."
    credit = "North Korea supplies shells to Russia.\nRead the original article on The New Voice of Ukraine"
    plain = "North Korea supplies shells to Russia."
    claim = [("Budanov", "North Korea supplies shells to Russia.")]
    results = [
        result("Reuters", claim, NK, text=plain),
        result(None, claim, NK, text=plain, url="https://www.kyivindependent.com/x"),
        result(None, claim, NK, text=masthead),
        result(None, claim, NK, text=credit),
        result(None, claim, NK, text=plain),
    ]
    story = build_story(
        results, [plain, plain, masthead, credit, plain], ["a", "b", "c", "d", "004_file"]
    )
    assert [a.id for a in story.articles] == ["Reuters", "kyivindependent.com", "ICARO Media Group",
                                              "The New Voice of Ukraine", "Article 5"]  # fmt: skip
    assert [a.named_from for a in story.articles] == [
        "request",
        "url",
        "masthead",
        "masthead",
        "position",
    ]
    assert "004_file" not in story.summary


def test_summary_names_outlets_and_agrees_with_the_cluster_counts() -> None:
    results = [
        result("Reuters", [("Budanov", "He also said that up to 40% of Russia's ammunition comes from North Korea.")], [*BUDANOV, *NK]),
        result("Bloomberg", [("Budanov", "North Korea supplies substantial amounts of ammunition to Russia.")], [*BUDANOV, *NK]),
        result("Kyiv Independent", [("Budanov", "North Korea sends huge amounts of ammunition to Russia.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    story = build_story(results, [""] * 3, embed=Directions({"ammunition": 0}))
    by_id = {c.id: c for c in all_clusters(story)}
    assert story.summary == " ".join(s.text for s in story.summary_sentences)
    cited = [s for s in story.summary_sentences if s.cluster_ids]
    assert cited
    for sentence in cited:
        for cid in sentence.cluster_ids:
            for s in by_id[cid].articles:
                assert s.article in sentence.text
    assert f"{len(story.clusters)} fact" in story.summary.replace("One fact", "1 fact")
    assert not any(s.text.startswith("He ") for s in story.summary_sentences)
    assert "Kyrylo Budanov also said" in story.summary or "He also" not in story.summary
    assert "1 discrepancies" not in story.summary


def test_dates_model_numbers_and_weekdays_are_not_entities() -> None:
    text = (
        "Budanov said in an interview published on Jan. 21 that Moscow received KN-23 missiles. "
        "Speaking at an event in Kyiv Saturday, Kyrylo Budanov said more. Kyiv is calm. "
        "Vladimir Putin’s Russia needs shells, and Budanov agreed."
    )
    found = [f for candidate in rule_entities(text) for f in candidate.forms]
    assert not {"Jan", "KN", "Kyiv Saturday", "Vladimir Putin Russia"} & set(found)
    assert "Kyrylo Budanov" in found and "Budanov" in found and "Kyiv" in found
    entities = canonicalize(
        [("a", "Kyiv Saturday", "place"), ("b", "Jan", "other"), ("b", "Kyiv", "place")]
    )
    assert [(e.name, e.aliases) for e in entities] == [("Kyiv", ["Kyiv"])]


def test_a_role_no_other_article_gives_is_a_discrepancy_with_both_quotes() -> None:
    texts = [
        "Military chief Kirill Budanov reports that North Korea supplies shells.",
        "Ukraine's military intelligence chief, Kyrylo Budanov, said North Korea supplies shells.",
        "The head of Ukraine's military intelligence agency GUR, Kyrylo Budanov, spoke.",
    ]
    people = [("Kyrylo Budanov", "person", ["Kyrylo Budanov", "Kirill Budanov", "Budanov"])]
    results = [
        result(o, [("Budanov", t)], people, text=t) for o, t in zip("ABC", texts, strict=True)
    ]
    story = build_story(results, texts, embed=None)
    (role,) = [d for d in story.discrepancies if d.kind == "role"]
    assert role.a.article == "A" and role.a.evidence[0].quote == "Military chief Kirill Budanov"
    assert "intelligence" in role.b.evidence[0].quote and role.b.article in {"B", "C"}
    for side, text in ((role.a, texts[0]), (role.b, texts["ABC".index(role.b.article)])):
        span = side.evidence[0]
        assert text[span.start : span.end] == span.quote


def test_a_summary_sentence_that_leaves_out_a_supporting_outlet_is_rejected() -> None:
    import pytest
    from pydantic import ValidationError

    claim = [("Budanov", "North Korea supplies shells to Russia.")]
    story = build_story([result("Reuters", claim, NK), result("Bloomberg", claim, NK)], ["", ""])
    (c,) = story.clusters
    data = story.model_dump()
    data["summary_sentences"] = [{"text": "Reuters reports the shells.", "cluster_ids": [c.id]}]
    with pytest.raises(ValidationError, match="does not name"):
        Story.model_validate(data)


def test_unlike_claims_of_one_article_never_share_a_cluster() -> None:
    # Y says two facts in one claim; X says them in two. Without the rule average linkage
    # joins the concern pair (X, Y) and the shells pair (X, Z) into one mixed cluster. Y's
    # claim supports both facts, each through its own clause (clauses.py).
    concern = "North Korea's military aid is the top concern among Moscow's allies"
    shells = "North Korea supplies huge amounts of artillery shells"
    results = [
        result("X", [("Budanov", f"{concern}."), ("Budanov", f"{shells}.")], [*BUDANOV, *NK]),
        result("Y", [("Budanov", f"{concern}, as they supply huge amounts of artillery shells.")], [*BUDANOV, *NK]),
        result("Z", [("Budanov", f"{shells}.")], [*BUDANOV, *NK]),
    ]  # fmt: skip
    # meaning ties "they supply" to "North Korea supplies": words alone do not (core.py)
    meaning = Directions({"artillery shells": 0, "top concern": 1})
    story = build_story(results, [""] * 3, embed=meaning)
    own = [[(s.article, c) for s in cl.articles for c in s.claim_ids] for cl in story.clusters]
    assert not any({("X", "c1"), ("X", "c2")} <= set(members) for members in own)
    assert sorted(sorted(a for a, _ in members) for members in own) == [
        ["X", "Y"],
        ["X", "Y", "Z"],
    ]
