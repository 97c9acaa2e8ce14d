"""The faithfulness checker: does the article state this claim, key point or headline?

Two parts, combined into one probability. The model's P("yes") for a fixed question about
the passage that best states the statement (one forward pass, no decoding), and the exact
checks of fidelity.py (numbers, hedges, who is credited), which see what a 1.5B model's
probability barely moves for. Each failed exact check lowers the log-odds by PENALTY.

Opt-in at run time (SUMMARIZER_CHECK_FAITHFULNESS): it flags, never drops. Claims and key
points are composed of the source's words, so at run time they get the exact checks only
(no model call: the words are the article's, what can go wrong is the speaker or a hedge
a split left behind); the model is asked about the one text it wrote, the headline. The
threshold is fitted by `summarizer eval calibrate` for one model and one prompt version;
any other pair is reported as uncalibrated instead of silently borrowing it.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.llm.errors import LLMError
from service.pipeline.checks.fidelity import Passage, exact_failures, find_passage
from service.pipeline.context import RunContext
from service.pipeline.models import Claim, HeadlineCheck, KeyPoint, Summary
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.segment import Sentence, defuse
from service.prompts import PromptLibrary, standalone

CHECK_PROMPT = "check"
CALIBRATION = Path(__file__).resolve().parents[2] / "data" / "check-calibration.json"
UNCALIBRATED_THRESHOLD = 0.5  # "more likely no than yes", used only when nothing was fitted
# Log-odds removed per failed exact check (odds / 20): a statement with a number or a
# speaker its passage lacks is very likely unfaithful, whatever the model's probability.
PENALTY = 3.0


@dataclass(frozen=True)
class Checker:
    threshold: float
    calibrated: bool


@dataclass(frozen=True)
class Verdict:
    model: float | None  # the model's P(yes); None when not asked or the call failed
    failures: tuple[str, ...]  # what the exact checks found the passage does not say

    @property
    def probability(self) -> float | None:
        if self.model is None:
            return None
        p = min(max(self.model, 1e-6), 1 - 1e-6)
        return 1 / (1 + math.exp(PENALTY * len(self.failures) - math.log(p / (1 - p))))

    def doubted(self, threshold: float) -> bool:
        """Below the threshold, or (when the model was not asked) any exact failure."""
        p = self.probability
        return bool(self.failures) if p is None else p < threshold


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


def statement_of(claim: Claim) -> str:
    """A claim as one self-contained statement with its speaker (the checker is asked about
    the speaker too), unless its words already name them; the outlet's own narration is the
    article speaking, no one it credits."""
    narration = claim.attribution is not None and claim.attribution.cue == "narration"
    named = any(w in claim.text for w in claim.speaker.split() if len(w) > 2)
    if narration or named or claim.speaker.lower() in ("article", "the article"):
        return claim.text
    return f"According to {claim.speaker}: {claim.text}"


def sentence_texts(doc: CleanDoc, sentences: Sequence[Sentence]) -> tuple[list[str], list[int]]:
    """Each sentence's text, and where it starts in the source (where evidence offsets
    point): what `claims_passage` and `check_result` read."""
    texts = [doc.text[s.start : s.end] for s in sentences]
    return texts, [doc.to_source(s.start, s.end)[0] for s in sentences]


def claims_passage(
    claims: Sequence[Claim], sentences: Sequence[str], starts: Sequence[int]
) -> Passage:
    """The claims' own sentences, with those where their attribution and the referents of
    their substituted pronouns stand. `starts`: each sentence's offset in the source."""
    best = sorted({i - 1 for c in claims for i in c.sentence_ids if 0 < i <= len(sentences)})
    spans = [s.antecedent for c in claims for s in c.substitutions]
    spans += [c.attribution.cue_span for c in claims if c.attribution and c.attribution.cue_span]
    context = {bisect.bisect_right(starts, span.start) - 1 for span in spans}
    for c in claims:  # a referent named by role ("the spy chief"): back to where it is named
        for sub in c.substitutions:
            at = bisect.bisect_right(starts, sub.antecedent.start) - 1
            context.add(_named_before(sub.replacement, sentences, at))
    return Passage(best or [0], sentences, tuple(sorted(i for i in context if i >= 0)))


def _named_before(name: str, sentences: Sequence[str], at: int) -> int:
    """The nearest sentence at or before `at` that uses the name's last word, or -1."""
    last = name.split()[-1] if name.split() else ""
    return next((i for i in range(at, -1, -1) if last and last in sentences[i]), -1)


def model_probability(ctx: RunContext, passage: Passage, statement: str) -> float | None:
    """P(yes) for "does the passage state this?", or None when the model call failed."""
    task = ctx.prompt(CHECK_PROMPT)
    values = {"passage": defuse(passage.shown), "statement": defuse(statement)}
    messages = standalone(task, values)
    try:
        answer = ctx.backend.yes_probability(messages, label=task.name, prompt_version=task.ref)
    except LLMError:
        return None  # unscored: the result says the probability is unknown
    ctx.calls.append(answer.usage)
    return answer.probability


def verdict(
    ctx: RunContext | None,
    sentences: Sequence[str],
    statement: str,
    passage: Passage | None = None,
) -> Verdict:
    """Exact checks against the passage (found when not given); the model too with `ctx`."""
    passage = passage or find_passage(statement, sentences)
    failures = tuple(exact_failures(statement, passage))
    model = None if ctx is None else model_probability(ctx, passage, statement)
    return Verdict(model, failures)


def check_result(
    ctx: RunContext,
    checker: Checker,
    sentences: Sequence[str],
    starts: Sequence[int],
    claims: list[Claim],
    summary: Summary,
) -> None:
    """Exact checks of every claim on its own sentences and of every key point on its
    claims' sentences; the model's probability for the headline. Flags in place and says
    so in the warnings. `sentences`: the article's sentences, index = sentence id - 1;
    `starts`: where each begins in the source."""
    by_id = {c.id: c for c in claims}

    def passage(ids: list[str]) -> Passage:
        return claims_passage([by_id[i] for i in ids if i in by_id], sentences, starts)

    flagged = 0
    for claim in claims:
        got = verdict(None, sentences, statement_of(claim), passage([claim.id]))
        flagged += _flag(checker, claim, got)
    for point in summary.key_points:
        got = verdict(None, sentences, point.text, passage(point.claim_ids))
        flagged += _flag(checker, point, got)
    if summary.headline_by_model and summary.headline_claim_ids:
        got = verdict(ctx, sentences, summary.headline, passage(summary.headline_claim_ids))
        summary.headline_check = HeadlineCheck(
            support_probability=_rounded(got.probability),
            flagged=got.doubted(checker.threshold),
            check_failures=list(got.failures),
        )
        flagged += int(summary.headline_check.flagged)
    if flagged:
        note = "" if checker.calibrated else " (threshold not calibrated for this model)"
        ctx.warnings.append(
            f"{flagged} claim(s), key point(s) or headline flagged: the faithfulness checker "
            f"doubts the article states them (a number, hedge or speaker its sentences lack, "
            f"or a probability below {checker.threshold:.2f}){note}"
        )


def _rounded(p: float | None) -> float | None:
    return None if p is None else round(p, 4)


def _flag(checker: Checker, item: Claim | KeyPoint, got: Verdict) -> int:
    item.support_probability = _rounded(got.probability)
    item.check_failures = list(got.failures)
    item.flagged = got.doubted(checker.threshold)
    return int(item.flagged)
