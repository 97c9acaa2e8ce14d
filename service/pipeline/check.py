"""The faithfulness checker: the probability the model gives to "yes" when asked whether the
article states a claim or key point, read from one forward pass on the cached article prefix.

Opt-in at run time (SUMMARIZER_CHECK_FAITHFULNESS): it flags the claims and key points it
doubts, with their probability, and never drops them: a doubt is for the analyst to read.
The threshold is fitted by `summarizer eval calibrate` for one model and one prompt version;
any other pair is reported as uncalibrated instead of silently borrowing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from service.llm.errors import LLMError
from service.pipeline.context import RunContext
from service.pipeline.models import Claim, KeyPoint, Summary
from service.pipeline.prompt_names import ARTICLE
from service.prompts import PromptLibrary, conversation

CHECK_PROMPT = "check"
CALIBRATION = Path(__file__).resolve().parent.parent / "data" / "check-calibration.json"
UNCALIBRATED_THRESHOLD = 0.5  # "more likely no than yes", used only when nothing was fitted


@dataclass(frozen=True)
class Checker:
    threshold: float
    calibrated: bool


def load_checker(
    model_id: str,
    prompts: PromptLibrary,
    threshold: float | None = None,
    path: Path = CALIBRATION,
) -> Checker:
    """The fitted threshold when the calibration is for this model and prompt text."""
    if threshold is not None:
        return Checker(threshold, calibrated=False)
    if path.exists():
        cal = json.loads(path.read_text())
        if cal.get("model") == model_id and cal.get("sha256") == prompts.get(CHECK_PROMPT).sha256:
            return Checker(float(cal["threshold"]), calibrated=True)
    return Checker(UNCALIBRATED_THRESHOLD, calibrated=False)


def statement_of(text: str, speaker: str) -> str:
    """A claim as one self-contained statement, its speaker included (the checker is asked
    about the speaker too)."""
    if speaker.lower() in ("article", "the article"):
        return text
    return f"According to {speaker}: {text}"


def support_probability(ctx: RunContext, article: str, statement: str) -> float | None:
    """P(yes) for "does the article state this?", or None when the model call failed."""
    task = ctx.prompt(CHECK_PROMPT)
    messages = conversation(
        ctx.prompt(ARTICLE), task, {"article": article}, {"statement": statement}
    )
    try:
        answer = ctx.backend.yes_probability(messages, label=task.name, prompt_version=task.ref)
    except LLMError:
        return None  # unscored, not flagged: the result says the probability is unknown
    ctx.calls.append(answer.usage)
    return answer.probability


def key_point_probability(probabilities: list[float | None]) -> float | None:
    """A key point is the text of its claims: it is as doubtful as its most doubtful claim
    (and costs no model call of its own)."""
    known = [p for p in probabilities if p is not None]
    return min(known) if known and len(known) == len(probabilities) else None


def check_result(
    ctx: RunContext,
    checker: Checker,
    article: str,
    claims: list[Claim],
    summary: Summary,
) -> None:
    """Score every claim on the numbered article, and every key point by its claims; flag
    those below the threshold (in place), and say so in the warnings."""
    flagged = 0
    for claim in claims:
        p = support_probability(ctx, article, statement_of(claim.text, claim.speaker))
        flagged += _flag(checker, claim, p)
    by_id = {c.id: c.support_probability for c in claims}
    for point in summary.key_points:
        flagged += _flag(
            checker, point, key_point_probability([by_id.get(i) for i in point.claim_ids])
        )
    if flagged:
        note = "" if checker.calibrated else " (threshold not calibrated for this model)"
        ctx.warnings.append(
            f"{flagged} claim(s) or key point(s) flagged: the faithfulness checker doubts the "
            f"article states them (probability below {checker.threshold:.2f}){note}"
        )


def _flag(checker: Checker, item: Claim | KeyPoint, probability: float | None) -> int:
    item.support_probability = None if probability is None else round(probability, 4)
    item.flagged = probability is not None and probability < checker.threshold
    return int(item.flagged)
