"""Claim scorers on hand-made predicted claims against the real cases: standalone claims,
attribution by cue, reported speech given to the outlet, speaker kinds, evidence precision;
and the labels they read (cue, evidence, importance, lead) on every seed case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.cases import Case, CaseError, load_case, load_cases
from evals.claim_scorers import (
    attribution_accuracy,
    claim_scorers,
    evidence_precision,
    reported_speech_to_outlet,
    speaker_kind_valid,
    standalone,
)
from evals.matching import matches, speaker_ok
from evals.scorers import METRICS
from evals.standalone import dependencies, is_name
from service.limits import REPORTED_CUES

CASES_DIR = Path(__file__).resolve().parent.parent / "evals" / "cases"


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {c.id: c for c in load_cases(CASES_DIR)}


def claim(
    case: Case,
    cid: str,
    text: str,
    quotes: tuple[str, ...] = (),
    speaker: str = "Kyrylo Budanov",
    cue: str | None = None,
) -> dict[str, Any]:
    """A predicted claim citing `quotes` at their real places in the case's article."""
    spans = []
    for quote in quotes:
        start = case.article_text.index(quote)
        spans.append({"start": start, "end": start + len(quote), "quote": quote})
    made: dict[str, Any] = {"id": cid, "text": text, "speaker": speaker, "evidence": spans}
    if cue is not None:
        made["attribution"] = {"cue": cue, "cue_span": None}
    return made


def result(claims: list[dict[str, Any]], outlet: str | None = None) -> dict[str, Any]:
    return {"source": {"outlet": outlet}, "claims": claims, "summary": {}}


# --- labels ------------------------------------------------------------------------------


def test_every_labelled_claim_has_speaker_cue_evidence_and_importance(
    cases: dict[str, Case],
) -> None:
    for case in cases.values():
        for expected in case.claims:
            assert expected.speaker and expected.cue and expected.evidence, expected.id
            assert expected.importance in (1, 2, 3), expected.id
        assert any(e.importance == 3 for e in case.claims), case.id
        assert 1 <= len(case.summary.lead) <= 2, case.id
        # A lead the article itself does not state could never be met.
        for fact in case.summary.lead:
            assert matches(fact, case.article_text, case), (case.id, fact)


def test_reported_speech_labels_never_accept_the_outlet(cases: dict[str, Case]) -> None:
    """A claim the article credits only to someone else must not list the outlet as speaker."""
    for case in cases.values():
        for e in case.claims:
            if set(e.cue) <= REPORTED_CUES:
                assert "outlet" not in e.speaker, (case.id, e.id)


def test_cues_and_speakers_agree(cases: dict[str, Case]) -> None:
    """The outlet speaks exactly where the article narrates; "unattributed" is a speaker
    exactly where it is a cue."""
    for case in cases.values():
        for e in case.claims:
            assert ("narration" in e.cue) == ("outlet" in e.speaker), (case.id, e.id)
            assert ("unattributed" in e.cue) == ("unattributed" in e.speaker), (case.id, e.id)


def test_a_snippet_not_in_the_article_fails_at_load(tmp_path: Path) -> None:
    data = yaml.safe_load((CASES_DIR / "seed_004_unnamed.yaml").read_text())
    data["article"]["path"] = str((CASES_DIR / data["article"]["path"]).resolve())
    data["claims"][0]["evidence"] = ["a sentence the article never wrote"]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CaseError, match="claims/0/evidence: not in the article"):
        load_case(path)


def test_unattributed_speaker_accepts_only_the_literal(cases: dict[str, Case]) -> None:
    case = cases["seed_001"]
    assert speaker_ok("unattributed", ["outlet", "unattributed"], case, None)
    assert speaker_ok("Unattributed", ["gur", "unattributed"], case, None)
    assert not speaker_ok("the article", ["gur", "unattributed"], case, None)
    assert not speaker_ok("unattributed", ["kyrylo-budanov"], case, None)


# --- standalone --------------------------------------------------------------------------

STANDALONE = [
    # (claim text, reads alone?)
    ("Kyrylo Budanov said up to 40% of Russia's ammunition is supplied by North Korea.", True),
    ("He also said that up to 40% of Russia's ammunition is supplied by North Korea.", False),
    ('Budanov said of Donald Trump: "His position is consistent."', True),
    ('Budanov said: "His position is consistent."', False),  # "His" is not the speaker
    ('Budanov said: "[Donald Trump\'s] position is consistent."', True),
    ('Budanov said: "It is realistic. It is not difficult."', False),
    ('Budanov said a truce with Russia "is realistic. It is not difficult."', True),
    ("It requires at least three parties - Ukraine, Russia and the United States.", False),
    ("The DIU chief said security cooperation with the United States will not stop.", False),
    ("The DIU chief Kyrylo Budanov said security cooperation will not stop.", True),
    ("According to the chief of the GUR, Kim Jong-un's regime sends Russia missiles.", False),
    ("This is precisely what motivates Russia's search for weapons in other countries.", False),
    ("Budanov said this is precisely what motivates Russia's search for weapons.", False),
    ("Budanov said that Russia is losing as many troops as it can recruit.", True),
    ("Budanov said that without their help the situation would have been catastrophic.", False),
    (
        "Russia would avoid outside help as 'this has always been considered beneath them, it's an indignity'.",
        True,
    ),
    ("North Korea's production runs around the clock to meet its ally's demand.", True),
    ("They have transferred a significant amount of artillery ammunition.", False),
    ("Budanov said it was also boosting its capacity to produce glide bombs.", False),
    ("Russia has secured missiles from Iran, and Budanov said it was boosting its capacity.", True),
    ("Trump criticized Putin's actions, labeling them devastating.", True),  # "actions"
    (
        '"I don\'t see any signs that our security cooperation will stop," the DIU chief said.',
        False,
    ),
]


@pytest.mark.parametrize(("text", "alone"), STANDALONE)
def test_standalone_pairs(cases: dict[str, Case], text: str, alone: bool) -> None:
    assert (dependencies(text, "Kyrylo Budanov", cases["seed_004"]) == []) is alone


def test_standalone_rate_names_the_dependent_claims(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    claims = [
        claim(case, "c1", STANDALONE[0][0]),
        claim(case, "c2", STANDALONE[1][0]),
        claim(case, "c3", STANDALONE[2][0]),
    ]
    score = standalone()(case, result(claims))
    assert score.value == pytest.approx(2 / 3)
    assert list(score.details["dependent"]) == ["c2"]
    assert "'He'" in score.details["dependent"]["c2"][0]
    assert standalone()(case, result([])).skipped


def test_role_aliases_are_not_names() -> None:
    assert is_name("Kyrylo Budanov") and is_name("GUR") and is_name("Ukrainian intelligence")
    assert not is_name("spy chief") and not is_name("DIU chief") and not is_name("GUR head")


# --- attribution -------------------------------------------------------------------------


def _seed_004_attributed(case: Case) -> list[dict[str, Any]]:
    return [
        claim(
            case,
            "c1",
            "Budanov said up to 40% of Russia's ammunition comes from North Korea.",
            cue="said",
        ),
        claim(
            case,
            "c2",
            'Budanov said a truce "is realistic. It requires at least three parties".',
            cue="said",
        ),
        claim(case, "c3", "Budanov said of Trump: 'His position is consistent'.", cue="quote"),
        claim(
            case,
            "c4",
            "Putin and Kim signed a strategic partnership agreement last June.",
            speaker="the article",
            cue="narration",
        ),
    ]


def test_attribution_accuracy_overall_and_per_cue(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    out = result(_seed_004_attributed(case))
    score = attribution_accuracy()(case, out)
    assert score.value == pytest.approx(3 / 4)
    assert score.details["per_cue"] == {
        "said": {"pairs": 1, "correct": 1},
        "quote": {"pairs": 2, "correct": 1},
        "narration": {"pairs": 1, "correct": 1},
    }
    assert score.details["wrong"] == [
        {"expected": "truce-three-parties-realistic", "cue": "said", "want": ("quote",)}
    ]
    by_name = {s.name: s for s in (f(case, out) for f in claim_scorers())}
    assert by_name["attribution_quote"].value == 0.5
    assert by_name["attribution_said"].value == 1.0
    assert by_name["attribution_according_to"].skipped  # none of that cue was matched
    assert METRICS["attribution_quote"].direction == "higher"


def test_attribution_accepts_any_labelled_cue_and_skips_results_without_cues(
    cases: dict[str, Case],
) -> None:
    case = cases["seed_004"]
    text = "In return, Moscow provides Pyongyang with money and technology."
    for cue in ("according_to", "narration"):  # labelled [according_to, narration]
        assert attribution_accuracy()(case, result([claim(case, "c1", text, cue=cue)])).value == 1.0
    assert attribution_accuracy()(case, result([claim(case, "c1", text, cue="quote")])).value == 0.0
    assert attribution_accuracy()(case, result([claim(case, "c1", text)])).skipped


def test_reported_speech_given_to_the_outlet_is_counted(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    claims = [
        claim(
            case,
            "c1",
            "Up to 40% of Russia's ammunition is supplied by North Korea.",
            speaker="the article",
        ),
        claim(
            case,
            "c2",
            "Putin and Kim signed a strategic partnership agreement last June.",
            speaker="the article",
        ),
        claim(
            case,
            "c3",
            "Moscow provides Pyongyang with money and technology.",
            speaker="the article",
        ),
        claim(case, "c4", "Budanov said of Trump: 'His position is consistent'."),
    ]
    score = reported_speech_to_outlet()(case, result(claims))
    # c2 is narration; c3 may be read as narration; c4 has its speaker.
    assert score.value == 1.0 and [x["predicted"] for x in score.details["to_outlet"]] == ["c1"]
    icaro = cases["seed_000"]
    told = claim(
        icaro,
        "c1",
        "North Korean aid posed the most significant concern among Moscow's allies.",
        speaker="ICARO Media Group",
    )
    assert reported_speech_to_outlet()(icaro, result([told], "ICARO Media Group")).value == 1.0


def test_speaker_kind_valid(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    speakers = [
        "Kyrylo Budanov",
        "the article",
        "unattributed",
        "Ukrainian intelligence",
        "the DIU chief",
        "he",
    ]
    claims = [claim(case, f"c{i}", "Budanov spoke.", speaker=s) for i, s in enumerate(speakers)]
    score = speaker_kind_valid()(case, result(claims))
    assert score.value == pytest.approx(4 / 6)
    assert [x["speaker"] for x in score.details["invalid"]] == ["the DIU chief", "he"]


# --- evidence precision ------------------------------------------------------------------


def test_evidence_precision_counts_cited_sentences_the_claim_needs(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    fact = "He also said that up to 40% of Russia’s ammunition is supplied by North Korea."
    bloomberg = "Kirill Budanov said this in an interview with Bloomberg."
    quote = "“It is realistic. It is not difficult."
    claims = [
        claim(
            case,
            "c1",
            "Budanov said up to 40% of Russia's ammunition comes from North Korea.",
            (fact, bloomberg),
        ),
        claim(
            case,
            "c2",
            'Budanov said a truce "is realistic. It requires at least three parties".',
            (quote,),
        ),
    ]
    score = evidence_precision()(case, result(claims))
    assert score.value == pytest.approx(2 / 3)
    assert score.details["unneeded"] == [{"expected": "nk-ammo-share", "quote": bloomberg}]
    no_spans = [dict(c, evidence=[]) for c in claims]
    assert evidence_precision()(case, result(no_spans)).skipped
    assert evidence_precision()(case, None).value == 0.0  # a failed run never passes
