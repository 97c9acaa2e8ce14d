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
from service.pipeline.checks.check import Checker, Verdict, check_result, load_checker
from service.pipeline.context import RunContext
from service.pipeline.models import ArticleInput, Claim, KeyPoint, Span, Summary
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
    from service.prompts import standalone

    task = prompts.get("check")
    messages = standalone(task, {"passage": "A.", "statement": "A."})
    got = backend.yes_probability(messages, label="check", prompt_version=task.ref)
    assert got.probability == pytest.approx(math.e**3 / (math.e**3 + math.e))
    assert (got.usage.prompt_tokens, got.usage.cached_prompt_tokens) == (120, 100)
    assert got.usage.completion_tokens == 0  # no decoding


SENTENCES = [
    "Kyrylo Budanov said North Korea supplies up to 40% of Russia's ammunition.",
    "Donald Trump met reporters in Washington on Monday.",
    "The shipments may include ballistic missiles, officials said.",
]


STARTS = [sum(len(s) + 1 for s in SENTENCES[:i]) for i in range(len(SENTENCES))]


def _claim(cid: str, text: str, speaker: str, sentence: int) -> Claim:
    s, at = SENTENCES[sentence - 1], STARTS[sentence - 1]
    return Claim(id=cid, text=text, speaker=speaker, kind="statement",
                 sentence_ids=[sentence], evidence=[Span(start=at, end=at + len(s), quote=s)])  # fmt: skip


def _summary(headline: str, by_model: bool) -> Summary:
    points = [
        KeyPoint(text="Budanov said North Korea supplies Russia's ammunition.", claim_ids=["c1"])
    ]
    return Summary(headline=headline, summary="", key_points=points, word_count=0,
                   headline_claim_ids=["c1"], headline_by_model=by_model)  # fmt: skip


def test_run_time_check_flags_what_the_sentences_do_not_say_and_drops_nothing(
    prompts: PromptLibrary,
) -> None:
    backend, chat = logits_backend(lambda s: [0, 2.0, 0, -2.0, 0, 0])  # the model: "yes"
    claims = [
        _claim("c1", "North Korea supplies up to 40% of Russia's ammunition.", "Kyrylo Budanov", 1),
        _claim("c2", "North Korea supplies up to 40% of Russia's ammunition.", "Donald Trump", 1),
        _claim("c3", "The shipments include ballistic missiles.", "officials", 3),
    ]
    summary = _summary("Budanov: North Korea supplies 40% of Russia's ammunition", by_model=True)
    ctx = RunContext(backend, prompts)
    check_result(ctx, Checker(0.5, calibrated=True), SENTENCES, STARTS, claims, summary)
    assert [c.flagged for c in claims] == [False, True, True]  # nothing dropped
    assert claims[1].check_failures == ["credits Donald Trump"]
    assert claims[2].check_failures == ["drops a hedge (possibility)"]
    assert all(c.support_probability is None for c in claims)  # exact checks only: no model
    # The key point drops "up to": the sentence's hedge governs the words it keeps.
    assert summary.key_points[0].flagged
    assert summary.key_points[0].check_failures == ["drops a hedge (approximation)"]
    # The headline is the model's: asked once; "yes" at 0.98, but it dropped "up to" too.
    head = summary.headline_check
    assert head is not None and head.flagged and head.check_failures
    assert head.support_probability is not None and head.support_probability < 0.5
    assert len(chat.checked) == 1 and chat.checked[0].startswith("Budanov:")
    assert any("flagged" in w for w in ctx.warnings)
    assert [c.label for c in ctx.calls] == ["check"] and ctx.calls[0].completion_tokens == 0


def test_a_headline_in_the_claims_own_words_costs_no_model_call(prompts: PromptLibrary) -> None:
    backend, chat = logits_backend(lambda s: [0, 2.0, 0, -2.0, 0, 0])
    claims = [
        _claim("c1", "North Korea supplies up to 40% of Russia's ammunition.", "Kyrylo Budanov", 1)
    ]
    summary = _summary("Budanov: North Korea supplies up to 40% of Russia's ammunition", False)
    check_result(
        RunContext(backend, prompts), Checker(0.5, True), SENTENCES, STARTS, claims, summary
    )
    assert chat.checked == [] and summary.headline_check is None and not claims[0].flagged


def test_the_exact_checks_lower_the_models_probability() -> None:
    clean = Verdict(0.9, ())
    assert clean.probability == pytest.approx(0.9) and not clean.doubted(0.5)
    one = Verdict(0.9, ("number 60",))
    assert one.probability is not None and one.probability < 0.35 and one.doubted(0.5)
    assert Verdict(None, ("number 60",)).doubted(0.5)  # no model asked: the failure flags
    assert not Verdict(None, ()).doubted(0.5) and Verdict(None, ()).probability is None


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


def test_a_failed_check_leaves_the_headline_unscored_not_flagged(prompts: PromptLibrary) -> None:
    def fail(_s: str) -> list[float]:
        raise LLMError("boom")

    backend, _ = logits_backend(fail)
    claims = [
        _claim("c1", "North Korea supplies up to 40% of Russia's ammunition.", "Kyrylo Budanov", 1)
    ]
    summary = _summary("Budanov: North Korea supplies up to 40% of ammunition", by_model=True)
    check_result(
        RunContext(backend, prompts), Checker(0.5, False), SENTENCES, STARTS, claims, summary
    )
    head = summary.headline_check
    assert head is not None and head.support_probability is None and not head.flagged


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


def test_calibrate_fits_on_one_half_and_reports_the_other(
    prompts: PromptLibrary, tmp_path: Path
) -> None:
    items = yaml.safe_load(CALIBRATION_LABELS.read_text())["items"]
    fresh = tmp_path / "judge" / "fresh.yaml"
    fresh.parent.mkdir()
    fresh_items = [{**i, "id": "f" + i["id"][1:]} for i in items[:6]]
    fresh.write_text(yaml.safe_dump({"items": fresh_items}))
    (tmp_path / "data").symlink_to(CALIBRATION_LABELS.parent.parent / "data")
    truth = {i["sentence"]: i["faithful"] for i in items}
    # A model that sees every error but wrong speakers.
    speakers = {i["sentence"] for i in items if i.get("error_type") == "wrong_speaker"}
    backend, _ = logits_backend(
        lambda s: [0, 2.0, 0, 0, 0, 0] if truth[s] or s in speakers else [0, 0, 0, 2.0, 0, 0]
    )
    result = calibrate(backend, prompts, fresh=fresh)
    held, alone = result["held_out"], result["model_alone"]["held_out"]
    assert alone["recall_by_error_type"]["wrong_speaker"]["recall"] == 0.0
    # The exact checks see some of what the model missed: who is credited.
    assert held["recall_by_error_type"]["wrong_speaker"]["recall"] > 0.0
    assert held["recall_by_error_type"]["changed_number"]["recall"] == 1.0
    assert held["roc_auc"] < 1.0 and result["model"] == "scripted:logits"
    assert {r["split"] for r in result["items_detail"]} == {"calibration", "held_out", "fresh"}
    assert result["fresh"]["items"] == 6 and "fresh_sha256" in result
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
        lambda s: [0, -3.0, 0, 3.0, 0, 0] if "hit" in s else [0, 3.0, 0, -3.0, 0, 0]
    )
    case = load_case(Path(__file__).parent.parent / "evals" / "cases" / "seed_004_unnamed.yaml")
    result = summarize_article(ArticleInput(text=case.article_text), backend, prompts)
    raw = result.model_dump(mode="json")
    points = raw["summary"]["key_points"]
    assert len(points) >= 2
    points[1]["text"] = "Budanov said a truce would hit Russia."  # the model says "no"
    score = faithfulness(backend, prompts, 0.5)(case, raw)
    rows = score.details["statements"]
    kinds = [r["kind"] for r in rows]
    assert kinds == ["claim"] * len(raw["claims"]) + ["key_point"] * len(points)
    doubted = [r["text"] for r in rows if r["kind"] == "key_point" and not r["supported"]]
    assert doubted == ["Budanov said a truce would hit Russia."]
    assert score.value == (len(points) - 1) / len(points)  # below 1.0: the gate fails
    # The outlet's narration is not "according to" the outlet: no speaker to check.
    narrated = [c for c in result.claims if c.attribution and c.attribution.cue == "narration"]
    assert narrated and all(
        r["text"] == c.text for c in narrated for r in rows if r["text"] == c.text
    )
    assert all(not r["failures"] for r in rows if r["kind"] == "claim")
    assert YES[0] == "yes"


def test_a_speaker_named_sentences_before_their_pronoun_is_credited(
    prompts: PromptLibrary,
) -> None:
    from service.pipeline.models import Attribution, Substitution

    # The pipeline resolved "He" through "the spy chief" to the name two sentences before.
    text = ["Kyrylo Budanov spoke in Kyiv.", "The hall was full.", "The spy chief was calm.",
            "It rained.", "He said Moscow could face problems."]  # fmt: skip
    starts = [sum(len(s) + 1 for s in text[:i]) for i in range(len(text))]
    at = starts[2] + text[2].index("chief")
    name = Span(start=at, end=at + 5, quote="chief")
    claim = Claim(
        id="c1", text="Kyrylo Budanov said Moscow could face problems.",
        speaker="Kyrylo Budanov", kind="statement", sentence_ids=[5],
        evidence=[Span(start=starts[4], end=starts[4] + len(text[4]), quote=text[4])],
        attribution=Attribution(cue="said", cue_span=Span(start=starts[4], end=starts[4] + 7, quote="He said")),
        substitutions=[Substitution(original="He", replacement="Kyrylo Budanov", antecedent=name)],
    )  # fmt: skip
    summary = Summary(headline="", summary="", key_points=[], word_count=0)
    backend, _ = logits_backend(lambda s: [0, 2.0, 0, -2.0, 0, 0])
    check_result(RunContext(backend, prompts), Checker(0.5, True), text, starts, [claim], summary)
    assert claim.check_failures == [] and not claim.flagged
    bare = claim.model_copy(update={"substitutions": [], "check_failures": []})
    check_result(RunContext(backend, prompts), Checker(0.5, True), text, starts, [bare], summary)
    assert bare.check_failures == ["credits Kyrylo Budanov"]  # no antecedent: not credited


def test_the_cli_shows_the_checkers_doubts_and_a_missing_headline(prompts: PromptLibrary) -> None:
    from service.cli import _render

    backend, _ = logits_backend(lambda s: [0, 2.0, 0, -2.0, 0, 0])
    result = summarize_article(ArticleInput(text=SENTENCES[0]), backend, prompts)
    result.summary.headline = ""
    result.claims[0].flagged, result.claims[0].check_failures = True, ["credits Donald Trump"]
    result.warnings.append("1 claim(s) flagged")
    text = _render(Path("a.txt"), result)
    assert text.startswith("# (no headline)\n")
    assert "      ⚠ Checker doubts this: credits Donald Trump" in text.splitlines()
    assert text.count("Checker doubts this") == 1 and "! 1 claim(s) flagged" in text
