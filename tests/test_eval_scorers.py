"""Eval scorers on fixed predicted/expected pairs: hand-built results against the real cases."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.cases import Case, CaseError, load_case, load_cases
from evals.matching import assign, matches, normalize, numbers_in, speaker_ok
from evals.scorers import (
    METRICS,
    boilerplate_leakage,
    claim_precision,
    claim_recall,
    default_scorers,
    forbidden_leakage,
    grounding_rate,
    hedge_fidelity,
    latency,
    number_fidelity,
    schema_validity,
    speaker_accuracy,
    summary_mentions,
)
from evals.summary_scorers import summary_length

CASES_DIR = Path(__file__).resolve().parent.parent / "evals" / "cases"


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {c.id: c for c in load_cases(CASES_DIR)}


def claim(
    case: Case, cid: str, text: str, quote: str, speaker: str = "Kyrylo Budanov"
) -> dict[str, Any]:
    """A predicted claim whose evidence is `quote` at its real place in the case's article."""
    start = case.article_text.index(quote)
    return {
        "id": cid,
        "text": text,
        "speaker": speaker,
        "kind": "statement",
        "numbers": [],
        "sentence_ids": [1],
        "evidence": [{"start": start, "end": start + len(quote), "quote": quote}],
        "repairs": [],
    }


def result(
    claims: list[dict[str, Any]],
    summary: str = "Budanov spoke.",
    headline: str = "Budanov",
    outlet: str | None = None,
) -> dict[str, Any]:
    """A SummaryResult-shaped dict, valid unless a test breaks it on purpose."""
    return {
        "source": {
            "input_type": "text",
            "outlet": outlet,
            "sha256": "0" * 64,
            "offsets_refer_to": "input",
        },
        "summary": {
            "headline": headline,
            "summary": summary,
            "key_points": [{"text": c["text"], "claim_ids": [c["id"]]} for c in claims[:1]],
            "word_count": len(summary.split()),
        },
        "claims": claims,
        "entities": [],
        "removed": [],
        "dropped": [],
        "usage": {
            "article_tokens": 500,
            "prompt_tokens": 900,
            "cached_prompt_tokens": 100,
            "completion_tokens": 200,
            "computed_tokens": 1000,
            "model_calls": 2,
            "model_seconds": 3.0,
            "prefill_seconds": 1.0,
            "decode_seconds": 2.0,
            "wall_seconds": 3.5,
            "calls": [],
        },
        "provenance": {
            "model": "scripted",
            "prompt_versions": {},
            "prompt_sha256": {},
            "pipeline_version": "test",
            "created_at": "2026-01-01T00:00:00Z",
        },
    }


# --- cases -------------------------------------------------------------------------------


def test_all_five_real_cases_load_and_validate(cases: dict[str, Case]) -> None:
    assert sorted(cases) == ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004"]
    for case in cases.values():
        assert case.article_path.is_file() and case.article_text.strip()
        assert 10 <= len(case.claims) <= 15 and case.forbidden
        assert all(len(e.match) >= 2 for e in case.claims)
    assert cases["seed_000"].outlet == "ICARO Media Group"
    assert cases["seed_004"].claims[2].hedge == "up to"
    assert "Kirill Budanov" in cases["seed_000"].alias_sets()["kyrylo-budanov"]


def _write_case(tmp_path: Path, edit: Any) -> Path:
    """A copy of a real case, edited, written elsewhere (its article path made absolute)."""
    data = yaml.safe_load((CASES_DIR / "seed_004_unnamed.yaml").read_text())
    data["article"]["path"] = str((CASES_DIR / data["article"]["path"]).resolve())
    edit(data)
    path = tmp_path / "broken_case.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_schema_violation_names_file_and_path(tmp_path: Path) -> None:
    path = _write_case(tmp_path, lambda d: d["claims"][1].update(kind="rumour"))
    with pytest.raises(CaseError, match=r"broken_case\.yaml: claims/1/kind"):
        load_case(path)


def test_dangling_speaker_id_is_an_error(tmp_path: Path) -> None:
    path = _write_case(tmp_path, lambda d: d["claims"][0].update(speaker=["kyrylo-budanof"]))
    with pytest.raises(CaseError, match="kyrylo-budanof"):
        load_case(path)


# --- matching ----------------------------------------------------------------------------


def test_normalize_and_numbers() -> None:
    assert (
        normalize("Nearly  40 percent — “up to” 40 per cent, Russia’s")
        == 'nearly 40% - "up to" 40%, russia\'s'
    )
    assert numbers_in("nearly 40 percent") == numbers_in("up to 40%") == ["40%"]
    assert numbers_in("1,000 shells in 30 months") == ["1000", "30"]
    assert (
        numbers_in("forty percent", spelled=True) == ["40%"] and numbers_in("forty percent") == []
    )


def test_alias_name_matches_label_naming_another_spelling(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    text = "Kirill Budanov said Pyongyang ships shells."
    assert matches([["Kyrylo Budanov"], ["shells"]], text, case)
    assert not matches([["Kyrylo Budanov"], ["shells"]], text)  # only the alias set makes it match


def test_acronym_aliases_match_whole_words_and_case() -> None:
    case = load_case(CASES_DIR / "seed_004_unnamed.yaml")
    assert matches([["United States"]], "the US will keep helping", case)
    assert not matches([["United States"]], "Russia will keep fighting", case)  # "us" in "Russia"
    assert not matches([["United States"]], "he told us so", case)  # the pronoun


def test_reordered_words_still_match(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    expected = next(e for e in case.claims if e.id == "recruitment-problems-next-year")
    assert matches(
        expected.match, "Moscow could face recruitment problems by the middle of next year", case
    )
    assert matches(expected.match, "By next year, recruiting could become Moscow's problem", case)
    assert not matches(expected.match, "Moscow could face recruitment problems", case)


def test_40_percent_matches_label_written_40_percent_sign(cases: dict[str, Case]) -> None:
    labelled_percent = next(e for e in cases["seed_004"].claims if e.id == "nk-ammo-share")  # "40%"
    labelled_word = next(
        e for e in cases["seed_001"].claims if e.id == "nk-ammo-share"
    )  # "40 percent"
    assert matches(
        labelled_percent.match,
        "North Korea supplies up to 40 percent of the ammunition",
        cases["seed_004"],
    )
    assert matches(
        labelled_word.match, "North Korea supplies nearly 40% of the ammunition", cases["seed_001"]
    )
    assert matches([["40%"], ["ammunition"]], "nearly 40 percent of the ammunition")
    assert matches([["40 per cent"]], "up to 40% of shells") and not matches(
        [["40%"]], "400 shells"
    )


def test_speaker_aliases_and_outlet(cases: dict[str, Case]) -> None:
    c0, c2 = cases["seed_000"], cases["seed_002"]
    assert speaker_ok("DIU", ["gur"], c0, None)
    assert speaker_ok("Budanov", ["kyrylo-budanov"], c0, None)
    assert speaker_ok("Kyrylo Budanov, GUR head", ["kyrylo-budanov"], c0, None)
    assert not speaker_ok("Russia", ["gur"], c0, None)
    assert not speaker_ok("Volodymyr Zelensky", ["kyrylo-budanov"], c0, None)
    assert speaker_ok("ICARO Media Group", ["outlet"], c0, None)
    assert speaker_ok("the article", ["outlet"], c2, None)
    assert speaker_ok("kyivpost.com", ["outlet"], c2, "kyivpost.com")
    assert not speaker_ok("Ukraine", ["outlet"], c2, None)  # inside "The New Voice of Ukraine"


def test_assignment_is_one_to_one_and_maximum(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    zelensky = "Zelensky again asked allies for air defense"
    assert assign([zelensky, zelensky], case.claims, case) == [(0, 8)]  # the earlier copy wins
    # The first text fits recruitment (9) and mobilization (10), the second only recruitment:
    # a greedy matcher would give 9 to the first and leave the second unmatched.
    both = (
        "Facing recruitment problems next year, Moscow must choose mobilization or reduced fighting"
    )
    only = "Moscow could face recruitment challenges next year"
    assert assign([both, only], case.claims, case) == [(0, 10), (1, 9)]


# --- scorers -----------------------------------------------------------------------------


def test_duplicated_claim_counts_once(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    quote = (
        "Ukrainian President Volodymyr Zelenskiy has once again made pleas for air defense support"
    )
    text = "Zelenskiy again pleaded for air defense support"
    res = result([claim(case, "c1", text, quote), claim(case, "c2", text, quote)])
    recall, precision = claim_recall()(case, res), claim_precision()(case, res)
    assert recall.value == pytest.approx(1 / 13)
    assert [i["predicted"] for i in recall.details["claims"] if i["status"] == "matched"] == ["c1"]
    assert precision.value == 0.5 and precision.details["unmatched"] == ["c2"]


def test_speaker_accuracy_accepts_alias_and_rejects_wrong_speaker(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    quote = "He presented evidence indicating that Moscow could face recruitment challenges in the middle of next year."
    text = "Moscow could face recruitment challenges in the middle of next year"
    good = speaker_accuracy()(
        case, result([claim(case, "c1", text, quote, speaker="Kirill Budanov")])
    )
    bad = speaker_accuracy()(
        case, result([claim(case, "c1", text, quote, speaker="ICARO Media Group")])
    )
    assert good.value == 1.0 and bad.value == 0.0
    assert bad.details["wrong"][0]["expected"] == "recruitment-problems-next-year"


def test_hedge_removed_is_a_fidelity_error(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    quote = "He also said that up to 40% of Russia’s ammunition is supplied by North Korea."
    kept = claim(
        case,
        "c1",
        "Budanov said up to 40% of Russia's ammunition is supplied by North Korea",
        quote,
    )
    dropped = claim(
        case, "c1", "Budanov said 40% of Russia's ammunition is supplied by North Korea", quote
    )
    assert hedge_fidelity()(case, result([kept])).value == 1.0
    lost = hedge_fidelity()(case, result([dropped]))
    assert lost.value == 0.0 and lost.details["lost"][0]["expected"] == "nk-ammo-share"


def test_number_fidelity_treats_percent_spellings_alike(cases: dict[str, Case]) -> None:
    case = cases["seed_001"]
    quote = "Budanov disclosed that North Korean military support amounts to nearly 40 percent of the total artillery ammunition supplied to Russia for its ongoing offensive."
    same = claim(
        case, "c1", "North Korea supplies nearly 40% of Russia's artillery ammunition", quote
    )
    wrong = claim(
        case, "c2", "North Korea supplies nearly 45% of Russia's artillery ammunition", quote
    )
    assert number_fidelity()(case, result([same])).value == 1.0
    score = number_fidelity()(case, result([same, wrong]))
    assert score.value == 0.5 and score.details["errors"] == [{"id": "c2", "missing": ["45%"]}]


def test_missing_expectation_is_a_skip_not_zero(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]  # labels no boilerplate
    unhedged = dataclasses.replace(
        case, claims=tuple(dataclasses.replace(e, hedge=None) for e in case.claims)
    )
    res = result([])
    for score in (
        boilerplate_leakage()(case, res),
        hedge_fidelity()(unhedged, res),
        hedge_fidelity()(unhedged, None),
    ):
        assert score.skipped and score.value is None
    assert METRICS["hedge_fidelity"].passed(None) is None


def test_failed_pipeline_scores_worst_not_skip(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    recall = claim_recall()(case, None)
    assert recall.value == 0.0 and not recall.skipped
    assert forbidden_leakage()(case, None).value == 1.0  # "lower is better": worst is 1
    assert schema_validity()(case, None).value == 0.0
    assert latency()(case, None).skipped  # no measurement, not a quality


def test_forbidden_sibling_fact_leak_is_detected(cases: dict[str, Case]) -> None:
    case = cases["seed_000"]
    quote = "they provided substantial amounts of crucial artillery ammunition"
    clean = claim(
        case,
        "c1",
        "North Korea provides substantial amounts of artillery ammunition to Russia",
        quote,
    )
    leak = claim(
        case, "c2", "North Korea provides up to 40% of Russia's artillery ammunition", quote
    )
    assert forbidden_leakage()(case, result([clean])).value == 0.0
    score = forbidden_leakage()(case, result([clean, leak]))
    assert score.value == pytest.approx(1 / len(case.forbidden))
    assert score.details["leaked"] == [
        {"id": "leak-40-percent-ammo", "reason": "sibling", "claims": ["c2"]}
    ]


def test_boilerplate_leak_is_detected(cases: dict[str, Case]) -> None:
    case = cases["seed_002"]
    sentence = "North Korea is the largest supplier of weapons to Russia"
    fine = claim(
        case,
        "c1",
        "Kyrylo Budanov said North Korea is the largest supplier of weapons to Russia",
        sentence,
    )
    assert (
        boilerplate_leakage()(case, result([fine])).value == 0.0
    )  # the name in a sentence is no leak
    promo = claim(
        case,
        "c2",
        "Read the original article on The New Voice of Ukraine",
        "Read the original article on The New Voice of Ukraine",
    )
    byline = claim(
        case,
        "c3",
        "North Korea is the largest supplier",
        "Budanov\n\nNorth Korea is the largest supplier",  # only offsets show the byline
    )
    score = boilerplate_leakage()(case, result([fine, promo, byline]))
    leaked = {
        item["line"]: item["leaked_in"] for item in score.details["lines"] if item["leaked_in"]
    }
    assert leaked == {
        "Kyrylo Budanov": ["c3"],
        "Read the original article on The New Voice of Ukraine": ["c2"],
    }
    assert score.value == pytest.approx(2 / len(case.boilerplate))
    in_summary = boilerplate_leakage()(
        cases["seed_001"], result([], summary="Budanov spoke. Leave a Reply")
    )
    assert in_summary.value == pytest.approx(1 / 4)


def test_grounding_and_schema(cases: dict[str, Case]) -> None:
    case = cases["seed_004"]
    good = claim(
        case,
        "c1",
        "Budanov gave an interview to Bloomberg",
        "Kirill Budanov said this in an interview with Bloomberg.",
    )
    shifted = dict(
        good,
        id="c2",
        evidence=[
            {
                **good["evidence"][0],
                "start": good["evidence"][0]["start"] + 1,
                "end": good["evidence"][0]["end"] + 1,
            }
        ],
    )
    score = grounding_rate()(case, result([good, shifted]))
    assert score.value == 0.5 and score.details["ungrounded"] == ["c2"]
    assert schema_validity()(case, result([good])).value == 1.0
    assert schema_validity()(case, result([dict(good, evidence=[])])).value == 0.0


def test_summary_length_and_mentions(cases: dict[str, Case]) -> None:
    case = cases[
        "seed_004"
    ]  # max 60 words; must: Budanov, North Korea, 40%, truce; not: casualty figures, Iskander, KN-23
    ok = result(
        [],
        summary="Budanov says North Korea supplies up to 40 percent of Russia's ammunition and wants a truce.",
    )
    assert summary_length()(case, ok).value == 1.0
    assert summary_mentions()(case, ok).value == 1.0
    assert summary_length()(case, result([], summary="word " * 61)).value == 0.0
    bad = summary_mentions()(
        case,
        result(
            [],
            summary="Budanov says Iskander missiles come from North Korea.",
            headline="Spy chief",
        ),
    )
    assert bad.value == pytest.approx(1 - 3 / 7)
    assert bad.details["missing"] == [
        ["40%", "40 percent", "forty percent"],
        ["truce", "ceasefire", "cease-fire"],
    ]


def test_metrics_table_covers_default_scorers(cases: dict[str, Case]) -> None:
    names = [s(cases["seed_000"], None).name for s in default_scorers()]
    assert len(names) == len(set(names)) == 28  # 13 + 10 claim scorers + 5 summary scorers
    assert set(names) == {n for n in METRICS if "@" not in n}  # "@N": per-length overrides
    assert (
        METRICS["forbidden_leakage"].direction == "lower"
        and METRICS["forbidden_leakage"].passed(0.1) is False
    )
    assert METRICS["claim_recall"].passed(0.9) is True and METRICS["latency"].threshold is None
