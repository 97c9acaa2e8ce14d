"""The faithfulness checker without a model: scripted logits and scripted log-probabilities
drive the probability path, the run-time stage, the calibration figures and the gate."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from evals.judge import CALIBRATION_LABELS, calibrate, faithfulness
from evals.judge_metrics import figures, fit_threshold, roc_auc, split_of
from service.llm.backend import ChatModelBackend
from service.llm.errors import LLMError
from service.llm.factory import local_binder
from service.llm.probability import YES, LogprobsUnsupported, YesNo, from_logits
from service.pipeline.check import Checker, load_checker
from service.pipeline.models import ArticleInput
from service.pipeline.run import summarize_article
from service.prompts import PromptLibrary
from tests.fake_openai import FakeOpenAI, completion, openai_settings, serve
from tests.fakes import ScriptedChatModel, reader_responder

VOCAB = ["{", "yes", "Yes", "no", "No", "maybe"]


def statement_in(messages: list[BaseMessage]) -> str:
    return str(messages[-1].content).split("Statement:", 1)[1].split("\n", 1)[0].strip()


class LogitsChatModel(ScriptedChatModel):
    """Answers JSON calls with `responder` and the check with scripted next-token logits over
    a six-token vocabulary, through the same `from_logits` the embedded model uses."""

    logits_for: Any = None  # statement -> logits over VOCAB
    checked: list[str] = Field(default_factory=list)

    def answer_logprobs(
        self, messages: list[BaseMessage], yes: tuple[str, ...], no: tuple[str, ...]
    ) -> tuple[YesNo, tuple[int, int]]:
        statement = statement_in(messages)
        self.checked.append(statement)
        ids = {word: i for i, word in enumerate(VOCAB)}
        yes_ids = [ids[w] for w in yes if w in ids]
        no_ids = [ids[w] for w in no if w in ids]
        return from_logits(self.logits_for(statement), yes_ids, no_ids), (120, 100)


def logits_backend(logits_for: Any) -> tuple[ChatModelBackend, LogitsChatModel]:
    chat = LogitsChatModel(responder=reader_responder, logits_for=logits_for)
    backend = ChatModelBackend(
        chat, model_id="scripted:logits", context_tokens=4096, binder=local_binder
    )
    return backend, chat


def test_yes_probability_is_read_from_the_answer_logits() -> None:
    # "{" dominates, yet only yes against no counts: e^2 + e^1 (yes, Yes) against e^0 (no).
    logits = [9.0, 2.0, 1.0, 0.0, -math.inf, 5.0]
    answer = from_logits(logits, [1, 2], [3, 4])
    expected = (math.e**2 + math.e) / (math.e**2 + math.e + 1)
    assert answer.probability == pytest.approx(expected)
    assert answer.yes_logprob < 0 and answer.no_logprob < answer.yes_logprob


def test_backend_reports_probability_and_cached_prefix(prompts: PromptLibrary) -> None:
    backend, _chat = logits_backend(lambda s: [0, 3.0, -math.inf, 1.0, -math.inf, 0])
    from service.prompts import conversation

    messages = conversation(
        prompts.get("article"), prompts.get("check"), {"article": "[1] A."}, {"statement": "A."}
    )
    got = backend.yes_probability(messages, label="check", prompt_version="check@v1")
    assert got.probability == pytest.approx(math.e**3 / (math.e**3 + math.e))
    assert (got.usage.prompt_tokens, got.usage.cached_prompt_tokens) == (120, 100)
    assert got.usage.completion_tokens == 0  # no decoding


def test_run_time_check_flags_doubtful_claims_and_drops_none(
    prompts: PromptLibrary, seed_text: Any
) -> None:
    doubtful = "Budanov"  # every claim naming him is scripted as "no"
    backend, chat = logits_backend(
        lambda s: [0, -2.0, 0, 2.0, 0, 0] if doubtful in s else [0, 2.0, 0, -2.0, 0, 0]
    )
    article = ArticleInput(text=seed_text("004"))
    plain = summarize_article(article, backend, prompts)
    checked = summarize_article(article, backend, prompts, check=Checker(0.5, calibrated=True))
    assert [c.text for c in checked.claims] == [c.text for c in plain.claims]  # nothing dropped
    assert all(c.support_probability is None and not c.flagged for c in plain.claims)
    for claim in checked.claims:
        assert claim.support_probability is not None
        assert claim.flagged == (doubtful in f"{claim.speaker} {claim.text}")
    assert any(c.flagged for c in checked.claims) and not all(c.flagged for c in checked.claims)
    assert all(k.support_probability is not None for k in checked.summary.key_points)
    assert any("flagged" in w for w in checked.warnings)
    assert len(chat.checked) == len(checked.claims)  # key points are scored by their claims
    for point in checked.summary.key_points:
        mine = [c for c in checked.claims if c.id in point.claim_ids]
        assert point.support_probability == min(c.support_probability or 1.0 for c in mine)
        assert point.flagged == any(c.flagged for c in mine)
    checks = [c for c in checked.usage.calls if c.label == "check"]
    assert len(checks) == len(chat.checked) and all(c.completion_tokens == 0 for c in checks)


def test_openai_backend_reads_top_logprobs(tmp_path: Path) -> None:
    from service.llm.factory import build_backend

    def handler(body: dict[str, Any]) -> dict[str, Any]:
        assert body["logprobs"] is True
        assert body.get("max_completion_tokens", body.get("max_tokens")) == 1
        reply = completion("yes", completion_tokens=1)
        reply["choices"][0]["logprobs"] = {
            "content": [
                {
                    "token": "yes",
                    "logprob": math.log(0.6),
                    "bytes": None,
                    "top_logprobs": [
                        {"token": "yes", "logprob": math.log(0.6), "bytes": None},
                        {"token": "No", "logprob": math.log(0.2), "bytes": None},
                        {"token": "{", "logprob": math.log(0.1), "bytes": None},
                    ],
                }
            ]
        }
        return reply

    fake = FakeOpenAI(handler)
    with serve(fake) as url:
        backend = build_backend(openai_settings(tmp_path, url, "k"))
        got = backend.yes_probability([AIMessage("x")], label="check", prompt_version="check@v1")
    assert got.probability == pytest.approx(0.75)
    assert fake.requests[0]["top_logprobs"] == 20


def test_openai_backend_says_plainly_when_the_server_has_no_logprobs(tmp_path: Path) -> None:
    from service.llm.factory import build_backend

    with serve(FakeOpenAI(lambda body: completion("yes"))) as url:
        backend = build_backend(openai_settings(tmp_path, url, "k"))
        with pytest.raises(LogprobsUnsupported, match="no token log-probabilities"):
            backend.yes_probability([AIMessage("x")], label="check", prompt_version="check@v1")


def test_a_failed_check_leaves_the_item_unscored_not_flagged(prompts: PromptLibrary) -> None:
    def fail(_s: str) -> list[float]:
        raise LLMError("boom")

    backend, _ = logits_backend(fail)
    result = summarize_article(
        ArticleInput(text="Alpha Corp said on Monday it hired 12 people in Oslo."),
        backend,
        prompts,
        check=Checker(0.5, calibrated=False),
    )
    assert all(c.support_probability is None and not c.flagged for c in result.claims)


def test_labels_are_many_balanced_and_split_by_item() -> None:
    items = yaml.safe_load(CALIBRATION_LABELS.read_text())["items"]
    assert len(items) >= 150
    assert sum(i["faithful"] for i in items) * 2 == len(items)
    split = split_of(items)
    assert split == split_of(list(reversed(items)))  # by id, not by file order
    halves = {h: [i for i in items if split[i["id"]] == h] for h in ("calibration", "held_out")}
    assert abs(len(halves["calibration"]) - len(halves["held_out"])) <= 10
    kinds = {i["error_type"] for i in items if not i["faithful"]}
    assert {"changed_number", "dropped_hedge", "added_hedge", "wrong_speaker"} <= kinds
    assert {"sibling_fact", "reversed_meaning", "scope_change"} <= kinds
    counts = Counter(i["error_type"] for i in items if not i["faithful"])
    for half in halves.values():  # every type with two items or more is in both halves
        got = {i["error_type"] for i in half if not i["faithful"]}
        assert {k for k, n in counts.items() if n >= 2} <= got
    by_id = {i["id"]: i for i in items}
    for item in items:
        if "twin" in item:
            twin = by_id[item["twin"]]
            assert twin["faithful"] and not item["faithful"] and twin["article"] == item["article"]


def test_metrics_of_a_known_ranking() -> None:
    truth = [True, True, True, False, False, False]
    scores = [0.9, 0.8, 0.3, 0.4, 0.2, 0.1]
    assert roc_auc(truth, scores) == pytest.approx(8 / 9)
    threshold = fit_threshold(truth, scores)
    assert 0.2 < threshold < 0.3 or 0.4 < threshold < 0.8  # the two best cuts (kappa 2/3)
    rows = [
        {"faithful": t, "probability": s, "error_type": None if t else kind}
        for t, s, kind in zip(truth, scores, ["", "", "", "a", "b", "b"], strict=True)
    ]
    got = figures([*rows, {"faithful": False, "probability": None, "error_type": "a"}], threshold)
    assert got["accuracy"] == pytest.approx(5 / 6, abs=1e-3) and got["unscored"] == 1
    assert got["recall_by_error_type"]["b"]["recall"] == 1.0
    assert got["kappa"] == pytest.approx(2 / 3, abs=1e-3)


def test_calibrate_fits_on_one_half_and_reports_the_other(prompts: PromptLibrary) -> None:
    items = yaml.safe_load(CALIBRATION_LABELS.read_text())["items"]
    truth = {i["sentence"]: i["faithful"] for i in items}
    # A checker that sees every error but wrong speakers.
    speakers = {i["sentence"] for i in items if i.get("error_type") == "wrong_speaker"}
    backend, _ = logits_backend(
        lambda s: [0, 2.0, 0, 0, 0, 0] if truth[s] or s in speakers else [0, 0, 0, 2.0, 0, 0]
    )
    result = calibrate(backend, prompts)
    held = result["held_out"]
    assert held["recall_by_error_type"]["wrong_speaker"]["recall"] == 0.0
    assert held["recall_by_error_type"]["changed_number"]["recall"] == 1.0
    assert held["roc_auc"] < 1.0 and result["model"] == "scripted:logits"
    assert {r["split"] for r in result["items_detail"]} == {"calibration", "held_out"}
    assert result["gating"] == (held["roc_auc"] >= 0.85 and held["kappa"] >= 0.6)


def test_load_checker_uses_only_a_matching_calibration(
    prompts: PromptLibrary, tmp_path: Path
) -> None:
    path = tmp_path / "cal.json"
    sha = prompts.get("check").sha256
    path.write_text(json.dumps({"model": "m", "sha256": sha, "threshold": 0.31}))
    assert load_checker("m", prompts, path=path) == Checker(0.31, calibrated=True)
    assert load_checker("other", prompts, path=path) == Checker(0.5, calibrated=False)
    assert load_checker("m", prompts, 0.7, path=path) == Checker(0.7, calibrated=False)


def test_eval_gate_fails_a_key_point_the_checker_doubts(
    prompts: PromptLibrary, seed_text: Any
) -> None:
    from evals.cases import load_case

    backend, _ = logits_backend(
        lambda s: [0, -3.0, 0, 3.0, 0, 0] if "Trump" in s else [0, 3.0, 0, -3.0, 0, 0]
    )
    case = load_case(Path(__file__).parent.parent / "evals" / "cases" / "seed_004_unnamed.yaml")
    result = {
        "summary": {
            "key_points": [
                {"text": "Budanov said a truce is needed.", "claim_ids": ["c1"]},
                {"text": "Trump said so. Budanov said so.", "claim_ids": ["c2", "c1"]},
            ]
        },
        "claims": [
            {"id": "c1", "text": "A truce is needed.", "speaker": "Kyrylo Budanov"},
            {"id": "c2", "text": "So it is.", "speaker": "Donald Trump"},
        ],
    }
    score = faithfulness(backend, prompts, 0.5)(case, result)
    assert score.value == 0.5  # one of two key points below the threshold: the gate (1.0) fails
    rows = score.details["statements"]
    assert [r["kind"] for r in rows] == ["key_point", "key_point", "claim", "claim"]
    assert rows[0]["probability"] > 0.5 > rows[1]["probability"] == rows[3]["probability"]
    assert YES[0] == "yes"
