"""Nothing wrong carried into the story: doubtful referents compared and shown in the
article's words, entities only from names the parser tags, no pronoun as a speaker, no file
name as an outlet. Hand-made claims, parser only, no model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from service.llm.calls import CallUsage, Probability
from service.pipeline.models import Claim, SummaryResult
from service.prompts import PromptLibrary
from service.story.build import build_story
from service.story.same import Judge, ModelJudge
from service.story.wording import UNNAMED, compared_text, own_words
from tests.story_claims import result

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


class YesBackend:
    """Answers every yes/no question with one probability, counting the questions."""

    def __init__(self, p: float) -> None:
        self.p, self.asked = p, 0

    def yes_probability(
        self, messages: list[BaseMessage], *, label: str, prompt_version: str
    ) -> Probability:
        self.asked += 1
        return Probability(self.p, CallUsage(label=label, prompt_version=prompt_version, model="x"))


def _claim(text: str, subs: list[tuple[str, str, bool]], unresolved: bool = False) -> Claim:
    """subs: (original, replacement, found by the rules in the source: has a span)."""
    span = {"start": 0, "end": 2, "quote": "He"}
    return Claim.model_validate(
        {
            "id": "c1",
            "text": text,
            "speaker": "the article",
            "kind": "statement",
            "sentence_ids": [1],
            "evidence": [span],
            "substitutions": [
                {"original": o, "replacement": r, "antecedent": span}
                | ({"span": span} if s else {})
                for o, r, s in subs
            ],
            "unresolved": [{"original": "he", "span": span, "reason": "several"}]
            if unresolved
            else [],
        }
    )


def test_own_words_put_back_each_replacement_in_order() -> None:
    claim = _claim("Donald Trump said Donald Trump would win.", [("He", "Donald Trump", True)] * 2)
    assert own_words(claim) == "He said He would win."


def test_a_claim_is_compared_in_its_own_words_only_when_a_referent_is_in_doubt() -> None:
    sure = _claim("Budanov said shells arrive.", [("He", "Budanov", True)])
    assert compared_text(sure) == "Budanov said shells arrive."
    open_pronoun = _claim("Budanov said he saw shells.", [("He", "Budanov", True)], True)
    assert compared_text(open_pronoun) == "He said he saw shells."
    guessed = _claim(
        "[Artillery ammunition] allowed Russia to breathe.",
        [("This", "[Artillery ammunition]", False)],
    )
    assert compared_text(guessed) == "This allowed Russia to breathe."  # fmt: skip


def _with(res: SummaryResult, **fields: Any) -> SummaryResult:
    """The result with `fields` set on every claim, validated (model_copy would keep the
    dicts unvalidated and warn when dumped)."""
    claims = [Claim.model_validate(c.model_dump() | fields) for c in res.claims]
    return res.model_copy(update={"claims": claims})


def test_a_doubtful_name_is_neither_shown_nor_compared() -> None:
    text = "The market sees Clinton as unknown because of Trump's penchant for controversy."
    wrong = "The market sees Clinton as unknown because of Clinton's penchant for controversy."
    a = result("A", [("the article", wrong)], [])
    claim = a.claims[0]
    span = claim.evidence[0]
    a = _with(
        a,
        substitutions=[
            {"original": "his", "replacement": "Clinton's", "antecedent": span, "span": span}
        ],
        unresolved=[{"original": "he", "span": span, "reason": "several"}],
    )
    b = result("B", [("the article", text)], [])
    story = build_story([a, b], ["", ""], embed=None)
    shown = [c.text for c in story.clusters + story.single_source]
    assert not any("Clinton's penchant" in t for t in shown)
    assert any("his penchant" in t for t in shown)


def test_entities_only_from_names_the_parser_tags() -> None:
    text = (
        "Donald Trump Makes A Pledge\n"
        "Attorney General Loretta Lynch said Tuesday that Donald Trump Jr. met officials. "
        "Lynch spoke in Washington."
    )
    forms = ["Donald Trump Makes", "Attorney General Loretta", "Trump Jr", "Loretta Lynch", "Lynch"]
    res = result("A", [("the article", "Lynch spoke in Washington.")], [("Lynch", "person", forms)])
    story = build_story([res, res.model_copy()], [text, text], embed=None)
    aliases = {a for e in story.entities for a in e.aliases}
    assert "Loretta Lynch" in aliases
    assert not {"Donald Trump Makes", "Attorney General Loretta", "Trump Jr"} & aliases


def test_a_pronoun_is_no_clusters_speaker_nor_a_rival_source() -> None:
    fact = "North Korea supplies most of the artillery shells Russia fires at Ukraine."
    results = [
        result("A", [("I", fact)], []),
        result("B", [("he", fact)], []),
        result("C", [("Kyrylo Budanov", fact)], []),
    ]
    story = build_story(results, ["", "", ""], embed=None)
    (c,) = story.clusters
    assert c.speaker == "Kyrylo Budanov"
    assert {s.speaker for s in c.articles} == {UNNAMED, "Kyrylo Budanov"}
    assert not [d for d in story.discrepancies if d.kind == "attribution"]


def test_the_judge_decides_every_link_similarity_proposes_between_articles() -> None:
    fact = "North Korea supplies most of the artillery shells Russia fires at Ukraine."
    results = [result("A", [("A", fact)], []), result("B", [("B", fact)], [])]
    asked: list[tuple[str, str]] = []

    def judge(p: float) -> Judge:
        def ask(a: str, b: str) -> float | None:
            asked.append((a, b))
            return p

        return ask

    assert build_story(results, ["", ""], embed=None, judge=judge(0.9)).clusters
    assert asked == [(fact, fact)]
    assert not build_story(results, ["", ""], embed=None, judge=judge(0.1)).clusters
    assert not build_story(results, ["", ""], embed=None, judge=lambda a, b: None).clusters


def test_the_model_judge_asks_once_per_pair_and_counts_its_calls() -> None:
    backend = YesBackend(0.8)
    judge = ModelJudge(backend, PromptLibrary(PROMPTS))
    assert judge("A said x.", "B said x.") == 0.8
    assert judge("B said x.", "A said x.") == 0.8
    assert len(judge.calls) == 1 and backend.asked == 1
