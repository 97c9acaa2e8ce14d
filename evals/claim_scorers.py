"""Claim scorers for decontextualised, attributed claims: does each claim read alone, is it
attributed the way the article attributes it, and does it cite only the sentences it needs.

Predicted fields these read (all optional: a result without them skips, like the others):
`attribution.cue`, `speaker`, `evidence[].quote`. Labels: each expected claim's `cue` (the
first is its primary cue) and `evidence` snippets (one per sentence the claim needs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from evals.cases import OUTLET, UNATTRIBUTED, Case
from evals.matching import mentions, normalize, speaker_ok
from evals.scoring import (
    METRICS,
    Metric,
    Out,
    Result,
    Scorer,
    _claims,
    _outlet_label,
    _pairs,
    _scorer,
    metric,
)
from evals.standalone import dependencies, is_name
from service.limits import CUES, REPORTED_CUES

LABELLED_CUES = ("quote", "said", "according_to", "narration")  # the per-cue breakdown


def _cue(claim: dict[str, Any]) -> str | None:
    attribution = claim.get("attribution")
    cue = attribution.get("cue") if isinstance(attribution, dict) else None
    return cue if cue in CUES else None


@metric("higher", 0.95, "predicted claims that read alone (no dangling pronoun or role noun)")
def standalone() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims = _claims(result)
        if not claims:
            return None, {"reason": "no predicted claims"}
        leaning = {c.id: r for c in claims if (r := dependencies(c.text, c.speaker, case))}
        return 1 - len(leaning) / len(claims), {"claims": len(claims), "dependent": leaning}

    return _scorer("standalone", body)


def _attribution(name: str, only: str | None) -> Scorer:
    """Matched claims whose predicted cue is one the label accepts; `only`: those whose
    primary labelled cue is that one (the per-cue breakdown)."""

    def body(case: Case, result: Result) -> Out:
        raw = [c for c in result.get("claims") or [] if isinstance(c, dict)]
        if not any(_cue(c) for c in raw):
            return None, {"reason": "the result carries no attribution cues"}
        claims = _claims(result)
        pairs = [(i, case.claims[j]) for i, j in _pairs(case, claims) if case.claims[j].cue]
        pairs = [(i, e) for i, e in pairs if only is None or e.cue[0] == only]
        if not pairs:
            return None, {"reason": "no matched claim with this labelled cue"}
        per_cue: dict[str, list[int]] = {}
        wrong = []
        for i, expected in pairs:
            ok = _cue(raw[i]) in expected.cue
            per_cue.setdefault(expected.cue[0], [0, 0])[ok] += 1
            if not ok:
                wrong.append({"expected": expected.id, "cue": _cue(raw[i]), "want": expected.cue})
        breakdown = {k: {"pairs": v[0] + v[1], "correct": v[1]} for k, v in per_cue.items()}
        return 1 - len(wrong) / len(pairs), {"per_cue": breakdown, "wrong": wrong}

    return _scorer(name, body, lambda c: any(e.cue for e in c.claims), "cues")


@metric("higher", None, "matched claims whose attribution cue is one the label accepts")
def attribution_accuracy() -> Scorer:
    return _attribution("attribution_accuracy", None)


# One metric per primary cue, so `eval compare` shows which kind of attribution moved.
PER_CUE = [partial(_attribution, f"attribution_{cue}", cue) for cue in LABELLED_CUES]
for _cue_name in LABELLED_CUES:
    METRICS[f"attribution_{_cue_name}"] = Metric(
        "higher", None, f"attribution accuracy over matched claims labelled '{_cue_name}'"
    )


@metric(
    "lower", 0.0, "matched reported-speech claims (quote, said, according to) given to the outlet"
)
def reported_speech_to_outlet() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, outlet = _claims(result), _outlet_label(result)
        reported = [
            (claims[i], case.claims[j])
            for i, j in _pairs(case, claims)
            if case.claims[j].cue and set(case.claims[j].cue) <= REPORTED_CUES
        ]
        if not reported:
            return None, {"reason": "no matched reported-speech claim"}
        # The outlet's own voice; a labelled speaker that is the outlet itself is not this.
        to_outlet = [
            {"expected": e.id, "predicted": c.id, "speaker": c.speaker}
            for c, e in reported
            if speaker_ok(c.speaker, [OUTLET], case, outlet)
            and not speaker_ok(c.speaker, e.speaker, case, outlet)
        ]
        return float(len(to_outlet)), {"reported": len(reported), "to_outlet": to_outlet}

    return _scorer("reported_speech_to_outlet", body, lambda c: any(e.cue for e in c.claims))


def _names_entity(speaker: str, case: Case) -> bool:
    """A person's name ("Kyrylo Budanov, head of the GUR" too), or a speaker that is itself
    a name and names an organisation ("Ukrainian intelligence", not "the DIU chief")."""
    for entity in case.entities:
        names = [a for a in {entity.name, *entity.aliases} if is_name(a)]
        named = any(mentions(n, speaker) for n in names)
        if named and (entity.type == "person" or is_name(speaker)):
            return True
    return False


@metric("higher", 1.0, "predicted speakers that are a named entity, the outlet or 'unattributed'")
def speaker_kind_valid() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, outlet = _claims(result), _outlet_label(result)
        if not claims:
            return None, {"reason": "no predicted claims"}
        invalid = [
            {"id": c.id, "speaker": c.speaker}
            for c in claims
            if normalize(c.speaker) != UNATTRIBUTED
            and not speaker_ok(c.speaker, [OUTLET], case, outlet)
            and not _names_entity(c.speaker, case)
        ]
        return 1 - len(invalid) / len(claims), {"invalid": invalid}

    return _scorer("speaker_kind_valid", body)


@metric("higher", 0.95, "cited evidence spans of matched claims that the claim needs")
def evidence_precision() -> Scorer:
    def body(case: Case, result: Result) -> Out:
        claims, cited, needed, extra = _claims(result), 0, 0, []
        for i, j in _pairs(case, claims):
            snippets = [normalize(s) for s in case.claims[j].evidence]
            if not snippets:
                continue
            for quote in claims[i].quotes:
                cited += 1
                if any(s in normalize(quote) for s in snippets):
                    needed += 1
                else:
                    extra.append({"expected": case.claims[j].id, "quote": quote[:120]})
        if not cited:
            return None, {"reason": "no matched claim with labelled evidence cites a span"}
        return needed / cited, {"cited": cited, "needed": needed, "unneeded": extra}

    return _scorer("evidence_precision", body, lambda c: any(e.evidence for e in c.claims))


def claim_scorers() -> list[Scorer]:
    factories: list[Callable[[], Scorer]] = [standalone, attribution_accuracy, *PER_CUE]
    factories += [reported_speech_to_outlet, speaker_kind_valid, evidence_precision]
    return [factory() for factory in factories]
