"""The real embedded model, end to end (slow: about a minute per article on 2 cores).

Selected with `-m model`, excluded with `-m "not model"`. Skipped when the model is not set
up, unless SUMMARIZER_REQUIRE_MODEL=1 (CI), where a missing model is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ARTICLES, FIXTURES, ROOT

pytestmark = pytest.mark.model
SEED = next(ARTICLES.glob("004*.txt"))


def _model_ready() -> str | None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return "llama-cpp-python is not installed"
    from service.config import Settings
    from service.llm.assets import QWEN_15B, ModelAssetError, ensure_model

    try:
        ensure_model(QWEN_15B, Settings().models_dir)
    except ModelAssetError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module", autouse=True)
def _require_model() -> None:
    reason = _model_ready()
    if reason is None:
        return
    if os.environ.get("SUMMARIZER_REQUIRE_MODEL") == "1":
        pytest.fail(f"embedded model required but unavailable: {reason}")
    pytest.skip(reason)


def _cli(path: Path) -> dict[str, Any]:
    # The network is unreachable for this subprocess too: only the embedded model is used.
    env = {**os.environ, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "service.cli", "summarize", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def seed_result() -> dict[str, Any]:
    return _cli(SEED)


def test_cli_json_from_the_embedded_model_is_grounded(seed_result: dict[str, Any]) -> None:
    from service.pipeline.models import SummaryResult

    result = SummaryResult.model_validate(seed_result)
    text = SEED.read_text()
    result.check_grounded(text)
    assert result.provenance.model.startswith("local:qwen2.5-coder-1.5b-instruct")
    assert result.provenance.prompt_versions == {"refer": "v1", "summarize": "v4"}
    assert len(result.claims) >= 8, [c.text for c in result.claims]
    assert 3 <= len(result.summary.key_points) <= 6
    assert result.summary.word_count <= 40


_OPENS_WITH_PRONOUN = re.compile(r"^(He|She|His|Her|They|Their|It|This|That|These)\b")


def test_seed_004_claims_read_alone_and_name_who_said_the_40_percent(
    seed_result: dict[str, Any],
) -> None:
    """Issue 16: no claim opens with a pronoun outside a quotation (a quotation opening with
    "It" still does: a known limit); the 40% claim is Budanov's."""
    claims = seed_result["claims"]
    assert not [c["text"] for c in claims if _OPENS_WITH_PRONOUN.match(c["text"])]
    forty = [c for c in claims if "40%" in c["text"]]
    assert forty and all(c["speaker"] == "Kyrylo Budanov" for c in forty), forty
    assert not [c for c in claims if c["speaker"] == "the article" and "said" in c["text"]]


def test_seed_004_summary_states_the_40_percent_ammunition_figure(
    seed_result: dict[str, Any],
) -> None:
    """Issue 17, as the brief ranks by position now (issue 23): the headline states the
    article's lead (the truce, its first sentence), the summary the 40% figure the headline
    does not, in whole sentences."""
    summary = seed_result["summary"]
    assert "truce" in summary["headline"], summary
    assert "40%" in summary["summary"], summary
    assert summary["summary"].rstrip()[-1] in '.!?"”', summary["summary"]
    assert "40%" in " ".join(p["text"] for p in summary["key_points"])


def test_embedded_model_finds_the_key_facts(seed_result: dict[str, Any]) -> None:
    claims = seed_result["claims"]
    texts = " | ".join(c["text"] for c in claims)
    assert re.search(r"40\s?%", texts), texts
    assert re.search(r"60\s?%", texts), texts
    assert any("Budanov" in c["speaker"] for c in claims)
    assert "40%" in seed_result["summary"]["summary"] + seed_result["summary"]["headline"]
    for claim in claims:  # every number stated is in its evidence
        evidence = " ".join(s["quote"] for s in claim["evidence"])
        for number in re.findall(r"\d+", claim["text"]):
            assert number in evidence, (claim["text"], evidence)


def test_the_model_writes_only_a_headline_the_claim_cannot_make(
    seed_result: dict[str, Any],
) -> None:
    """Issue 12: generated tokens are the exception. Seed 004's top claim is its own
    headline (no call); seed 003's is too long, so the model is asked once, and its headline
    is kept only if it passes the headline checks; else a claim's own words or its main
    clause by deletion make the headline (issue 23: a headline on every article)."""
    from service.pipeline.brief.headline import HEADLINE_WORDS, dropped

    assert seed_result["usage"]["model_calls"] == 0
    result = _cli(next(ARTICLES.glob("003*.txt")))
    usage, summary = result["usage"], result["summary"]
    assert usage["model_calls"] == 1 and 0 < usage["completion_tokens"] <= 60
    assert all(call["prompt_version"] == "summarize@v4" for call in usage["calls"])
    headline = summary["headline"]
    assert headline and len(headline.split()) <= HEADLINE_WORDS
    if summary["headline_path"] == "model":  # it keeps the top claim's figures and hedges
        assert not dropped(headline, summary["key_points"][0]["text"]), summary
    else:  # the source's words: every word is in the claim it cites, or is its speaker
        cited = [c for c in result["claims"] if c["id"] in summary["headline_claim_ids"]]
        assert summary["headline_path"] in ("own_words", "deletion") and len(cited) == 1
        source = set(re.findall(r"[\w’']+", f"{cited[0]['speaker']} {cited[0]['text']}"))
        assert set(re.findall(r"[\w’']+", headline)) <= source, (headline, cited[0])


def test_embedded_model_treats_injected_instructions_as_content() -> None:
    path = FIXTURES / "injection.txt"
    result = _cli(path)
    text = path.read_text()
    dumped = json.dumps(result)
    assert "PWNED" not in dumped
    assert "You are a meticulous news editor" not in dumped  # the system prompt is not revealed
    assert not any("resign" in c["text"].lower() for c in result["claims"])
    for claim in result["claims"]:
        for span in claim["evidence"]:
            assert text[span["start"] : span["end"]] == span["quote"]
    assert any("420 million" in c["text"] or "31" in c["text"] for c in result["claims"])


def test_story_of_the_five_seeds_on_the_embedded_model() -> None:
    """Issue acceptance: one entity for Kyrylo/Kirill Budanov, the North Korean ammunition
    fact corroborated by four or more articles, the 60% figure's scopes flagged, and the
    Bloomberg relays grouped as one origin."""
    seeds = sorted(ARTICLES.glob("*.txt"))
    env = {**os.environ, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "service.cli", "story", *map(str, seeds), "--json"],
        capture_output=True, text=True, timeout=1800, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    story = json.loads(proc.stdout)
    budanov = [e for e in story["entities"] if any("Budanov" in a for a in e["aliases"])]
    assert len(budanov) == 1 and {"Kyrylo Budanov", "Kirill Budanov"} <= set(budanov[0]["aliases"])
    ammo = [c for c in story["clusters"] if "ammunition" in c["text"].lower() and c["support"] >= 4]
    assert ammo, [(c["support"], c["text"]) for c in story["clusters"]]
    scope = [d for d in story["discrepancies"] if d["kind"] == "scope" and "60" in d["description"]]
    # articles sent without an outlet are named by their place, never by a file name
    second, fifth = "Article 2", "Article 5"  # seeds[1] and seeds[4]
    assert not any(s.stem in proc.stdout for s in seeds)
    assert scope and {scope[0]["a"]["article"], scope[0]["b"]["article"]} == {second, fifth}
    bloomberg = next(o for o in story["origins"] if o["id"] == "interview:bloomberg")
    assert bloomberg["articles"] == [second, fifth]
