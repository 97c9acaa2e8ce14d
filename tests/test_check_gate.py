"""The nightly gate on the faithfulness checker, end to end on scripted models: a
deliberately unfaithful summary prompt (tests/fixtures/prompts_unfaithful: a headline that
reverses who does what, in the claim's own words, so every headline check passes) fails the
eval run; the released prompt passes it. The model writes a headline only where neither
the claim's own words nor deletion can, so the run is on an article whose top claim no
deletion shortens (tests/fixtures/gate_case: every phrase of it is under "did not")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from evals.cases import load_cases
from evals.judge import KEY_POINTS_SUPPORTED, faithfulness
from evals.runner import RunConfig, run_eval
from service.compose import build_eval_engines
from service.config import Settings
from service.llm.backend import ChatModelBackend
from service.llm.factory import local_binder
from service.llm.probability import YesNo
from service.prompts import PromptLibrary
from tests.conftest import FIXTURES, ROOT
from tests.fakes import ScriptedChatModel, reader_responder

_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def reversed_in(statement: str, passage: str) -> bool:
    """Every passage sentence naming the statement's first two names names them the other
    way round (and at least one names both)."""
    names = list(dict.fromkeys(_NAME.findall(statement)))[:2]
    if len(names) < 2:
        return False
    a, b = names
    both = [s for s in re.split(r"(?<=[.!?])\s+", passage) if a in s and b in s]
    return bool(both) and all(s.find(b) < s.find(a) for s in both)


class OrderReader(ScriptedChatModel):
    """A crude but real checker: "no" when the passage names the statement's actors in the
    other order (a reversal of who does what), "yes" otherwise."""

    def answer_logprobs(
        self, messages: list[BaseMessage], yes: tuple[str, ...], no: tuple[str, ...]
    ) -> tuple[YesNo, tuple[int, int]]:
        user = str(messages[-1].content)
        passage = user.split("<passage>", 1)[1].split("</passage>", 1)[0]
        statement = user.split("Statement:", 1)[1].split("\n", 1)[0]
        doubt = reversed_in(statement, passage)
        return YesNo(-3.0, -0.1) if doubt else YesNo(-0.1, -3.0), (100, 0)


def _gated_run(tmp_path: Path, prompts_root: Path) -> tuple[dict[str, Any], str]:
    backend = ChatModelBackend(
        OrderReader(responder=reader_responder),
        model_id="scripted:order",
        context_tokens=4096,
        binder=local_binder,
    )
    prompts = PromptLibrary(prompts_root)
    config = RunConfig(
        out_dir=tmp_path / "runs",
        thresholds={"faithfulness": KEY_POINTS_SUPPORTED, "claim_recall": 0.0},
        extra_scorers=[faithfulness(backend, prompts, 0.5)],
    )
    settings = Settings(cache_dir=tmp_path / "cache", prompts_dir=prompts_root)
    engines = build_eval_engines(settings, backend=backend, responses=False)
    summary, (record,) = run_eval(load_cases(FIXTURES / "gate_case"), engines, config)
    head = record["result"]["summary"]
    assert head["headline_path"] == "model", head  # the headline the gate is to judge
    return summary, head["headline"]


def test_an_unfaithful_summary_prompt_fails_the_gate(tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", root)
    shutil.copytree(FIXTURES / "prompts_unfaithful" / "summarize", root / "summarize",
                    dirs_exist_ok=True)  # fmt: skip
    good, faithful = _gated_run(tmp_path / "good", ROOT / "prompts")
    bad, reversed_ = _gated_run(tmp_path / "bad", root)
    assert faithful.startswith("Germany did not sign") and reversed_.startswith("France")
    assert good["metrics"]["faithfulness"]["status"] == "pass"
    assert bad["prompt_versions"]["summarize"] == "v99"
    assert bad["metrics"]["faithfulness"]["status"] == "fail"
    assert bad["metrics"]["faithfulness"]["mean"] < good["metrics"]["faithfulness"]["mean"]
    assert not bad["passed"]
