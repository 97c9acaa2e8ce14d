"""The claim, grounding and leakage scorers, and the default set a run scores with (these,
the per-cue claim scorers and the summary scorers). The rules every scorer shares and the
metric registry are in evals/scoring.py; importing this module registers every metric.
"""

from __future__ import annotations

from pydantic import ValidationError

from evals.cases import Case
from evals.claim_scorers import claim_scorers
from evals.matching import (
    contains_line,
    line_spans,
    matches,
    normalize,
    numbers_in,
    speaker_ok,
)

# METRICS and metric_of are read through here: importing this module (which imports every
# scorer module) registers every metric. Score, Metric and Scorer are named here for callers.
from evals.scoring import METRICS as METRICS
from evals.scoring import Metric as Metric
from evals.scoring import (
    Out,
    Result,
    _claims,
    _outlet_label,
    _pairs,
    _scorer,
    _source_text,
    _summary_texts,
    metric,
)
from evals.scoring import Score as Score
from evals.scoring import Scorer as Scorer
from evals.scoring import metric_of as metric_of
from evals.summary_scorers import summary_length, summary_scorers
from service.pipeline.models import SummaryResult


@metric("higher", 0.5, "matched expected claims / expected claims (one-to-one)")
def claim_recall() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims = _claims(result)
        found = {j: claims[i].id for i, j in _pairs(case, claims)}
        items = [
            {"id": e.id, "status": "matched" if j in found else "missed", "predicted": found.get(j)}
            for j, e in enumerate(case.claims)
        ]
        return len(found) / len(case.claims), {"claims": items}

    return _scorer("claim_recall", body, lambda c: c.claims, "claims")


@metric("higher", 0.5, "matched predicted claims / predicted claims (one-to-one)")
def claim_precision() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims = _claims(result)
        if not claims:  # an empty answer is not precise, it is empty
            return 0.0, {"reason": "no predicted claims"}
        matched = {i for i, _ in _pairs(case, claims)}
        unmatched = [c.id for i, c in enumerate(claims) if i not in matched]
        return len(matched) / len(claims), {"unmatched": unmatched}

    return _scorer("claim_precision", body)


@metric("higher", 0.8, "matched claims attributed to an acceptable speaker")
def speaker_accuracy() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, outlet = _claims(result), _outlet_label(result)
        pairs = _pairs(case, claims)
        if not pairs:  # recall counts the misses; with no pair there is no speaker to judge
            return None, {"reason": "no matched claims"}
        wrong = [
            {"expected": case.claims[j].id, "predicted": claims[i].id, "speaker": claims[i].speaker}
            for i, j in pairs
            if not speaker_ok(claims[i].speaker, case.claims[j].speaker, case, outlet)
        ]
        return 1 - len(wrong) / len(pairs), {"pairs": len(pairs), "wrong": wrong}

    return _scorer("speaker_accuracy", body)


@metric("higher", 1.0, "claims with numbers whose every number is in their evidence")
def number_fidelity() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        checked, errors = 0, []
        for claim in _claims(result):
            wanted = numbers_in(claim.text)
            if not wanted:
                continue  # nothing to get wrong; counting it would dilute the rate
            checked += 1
            have = set(numbers_in(" ".join(claim.quotes), spelled=True))
            # A bare "40" may shorten "40%"; a "%" the evidence lacks is an error.
            missing = [n for n in wanted if n not in have and f"{n}%" not in have]
            if missing:
                errors.append({"id": claim.id, "missing": missing})
        if not checked:
            return None, {"reason": "no predicted claim carries a number"}
        return 1 - len(errors) / checked, {"checked": checked, "errors": errors}

    return _scorer("number_fidelity", body)


@metric("higher", 0.8, "matched hedged claims that keep the hedge ('up to', 'may', ...)")
def hedge_fidelity() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims = _claims(result)
        pairs = [(i, j) for i, j in _pairs(case, claims) if case.claims[j].hedge]
        if not pairs:
            return None, {"reason": "no hedged claim was matched"}
        lost = [  # a stem ("estimat") is enough: a substring of the normalized claim
            {
                "expected": case.claims[j].id,
                "predicted": claims[i].id,
                "hedge": case.claims[j].hedge,
            }
            for i, j in pairs
            # "a|b": the article hedges the same fact two ways; either one keeps it.
            if not any(
                normalize(h) in normalize(claims[i].text)
                for h in (case.claims[j].hedge or "").split("|")
            )
        ]
        return 1 - len(lost) / len(pairs), {"pairs": len(pairs), "lost": lost}

    return _scorer("hedge_fidelity", body, lambda c: any(e.hedge for e in c.claims), "hedges")


@metric("higher", 1.0, "claims whose every evidence span is the exact source slice")
def grounding_rate() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, text = _claims(result), _source_text(case, result)
        if not claims:
            return None, {"reason": "no predicted claims"}
        ungrounded = [
            c.id
            for c in claims
            if not c.spans
            or not all(s is not None and e is not None and text[s:e] == q for s, e, q in c.spans)
        ]
        return 1 - len(ungrounded) / len(claims), {"ungrounded": ungrounded}

    return _scorer("grounding_rate", body)


@metric("lower", 0.0, "forbidden (sibling or invented) facts stated by any predicted claim")
def forbidden_leakage() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, leaked = _claims(result), []
        for fact in case.forbidden:
            ids = [c.id for c in claims if matches(fact.match, c.text, case)]
            if ids:
                leaked.append({"id": fact.id, "reason": fact.reason, "claims": ids})
        return len(leaked) / len(case.forbidden), {"leaked": leaked}

    return _scorer("forbidden_leakage", body, lambda c: c.forbidden, "forbidden facts")


@metric("lower", 0.0, "boilerplate lines that reach a claim, its evidence or the summary")
def boilerplate_leakage() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        source, claims, items = _source_text(case, result), _claims(result), []
        removed = [str(r.get("text")) for r in result.get("removed") or [] if isinstance(r, dict)]
        for line in case.boilerplate:
            where = [k for k, text in _summary_texts(result).items() if contains_line(text, line)]
            places = line_spans(source, line)
            for c in claims:
                # Offsets over the line's place catch it even when the quote does not
                # show it as a line of its own.
                overlaps = any(
                    s is not None and e is not None and s < pe and ps < e
                    for s, e, _ in c.spans
                    for ps, pe in places
                )
                if overlaps or any(contains_line(t, line) for t in [c.text, *c.quotes]):
                    where.append(c.id)
            cleaned = any(contains_line(r, line) for r in removed)
            items.append({"line": line, "leaked_in": where, "removed": cleaned})
        return sum(bool(i["leaked_in"]) for i in items) / len(items), {"lines": items}

    return _scorer("boilerplate_leakage", body, lambda c: c.boilerplate, "boilerplate")


@metric("higher", 1.0, "the result validates as SummaryResult")
def schema_validity() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        try:
            SummaryResult.model_validate(result)
        except ValidationError as exc:
            return 0.0, {"errors": [f"{e['loc']}: {e['msg']}" for e in exc.errors()[:5]]}
        return 1.0, {}

    return _scorer("schema_validity", body)


@metric("higher", 0.75, "must_mention groups hit and must_not_mention groups absent")
def summary_mentions() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        must, must_not = case.summary.must_mention, case.summary.must_not_mention
        texts = _summary_texts(result)
        text = f"{texts['headline']}\n{texts['summary']}"
        missing = [list(g) for g in must if not matches([g], text, case)]
        present = [list(g) for g in must_not if matches([g], text, case)]
        value = 1 - (len(missing) + len(present)) / (len(must) + len(must_not))
        return value, {"missing": missing, "forbidden_present": present}

    mentions = lambda c: c.summary.must_mention or c.summary.must_not_mention  # noqa: E731
    return _scorer("summary_mentions", body, mentions, "summary mentions")


def _measured(name: str, key: str) -> Scorer:
    # A measurement, not a quality: a failed run has none to report, so it skips.
    def score(case: Case, result: Result | None) -> Score:
        value = ((result or {}).get("usage") or {}).get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            reason = "pipeline failed" if result is None else "no usage reported"
            return Score(name, None, {"reason": reason}, True)
        return Score(name, float(value), {key: value})

    return score


@metric("lower", None, "wall-clock seconds of the pipeline run")
def latency() -> Scorer:
    return _measured("latency", "wall_seconds")


@metric("lower", None, "tokens the model computed (uncached prompt + completion)")
def tokens() -> Scorer:
    return _measured("tokens", "computed_tokens")


def default_scorers() -> list[Scorer]:
    factories = [claim_recall, claim_precision, speaker_accuracy, number_fidelity, hedge_fidelity]
    factories += [grounding_rate, forbidden_leakage, boilerplate_leakage, schema_validity]
    factories += [summary_length, summary_mentions, latency, tokens]
    extra = claim_scorers() + summary_scorers()
    return [factory() for factory in factories] + extra
