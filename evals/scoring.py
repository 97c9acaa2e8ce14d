"""What every scorer shares, in the style of inspect_ai: each factory returns a closure
scoring one case.

A scorer takes the labelled case and the pipeline's result JSON (None when the pipeline
failed). "No expectation" is a skip, never a failure; a failed pipeline is a failure: the
worst value of every quality metric. Each metric's direction and default threshold is
registered on its factory with @metric, so METRICS and the factories cannot drift apart.
The scorer modules (scorers, claim_scorers, summary_scorers) build on this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

from evals.cases import Case
from evals.matching import assign

Result = dict[str, Any]
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Score:
    name: str
    value: float | None  # None (with skipped=True): no expectation, so nothing to judge
    details: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False


Scorer = Callable[[Case, Result | None], Score]
Factory = TypeVar("Factory", bound=Callable[[], Scorer])


@dataclass(frozen=True)
class Metric:
    direction: Direction
    threshold: float | None  # None: reported, never gating (latency, tokens)
    description: str

    def passed(self, value: float | None) -> bool | None:
        if value is None or self.threshold is None:
            return None
        return value >= self.threshold if self.direction == "higher" else value <= self.threshold


METRICS: dict[str, Metric] = {}


def metric_of(name: str) -> Metric | None:
    """A metric by name; a per-length one ("lead_stated@25") inherits its base's unless it
    is registered itself."""
    return METRICS.get(name) or METRICS.get(name.partition("@")[0])


def metric(
    direction: Direction, threshold: float | None, about: str
) -> Callable[[Factory], Factory]:
    """Register the factory's metric, named after the factory, in METRICS."""

    def register(factory: Factory) -> Factory:
        METRICS[factory.__name__] = Metric(direction, threshold, about)
        return factory

    return register


Out = tuple[float | None, dict[str, Any]]  # (value, details); a None value is a skip
Body = Callable[[Case, Result], Out]


def _scorer(
    name: str, body: Body, labelled: Callable[[Case], object] = lambda c: True, what: str = ""
) -> Scorer:
    """The rules every scorer shares: a case without the labels the metric needs is a skip,
    never a failure; a failed pipeline gets the worst value, so an error never passes a gate."""

    def score(case: Case, result: Result | None) -> Score:
        if not labelled(case):
            return Score(name, None, {"reason": f"no {what} labelled"}, True)
        if result is None:
            meta = metric_of(name)
            worst = 0.0 if meta is None or meta.direction == "higher" else 1.0
            return Score(name, worst, {"reason": "pipeline failed"})
        value, details = body(case, result)
        return Score(name, value, details, value is None)

    return score


@dataclass(frozen=True)
class _Claim:
    """A predicted claim read defensively: a malformed result must score, not crash."""

    id: str
    text: str
    speaker: str
    spans: tuple[tuple[int | None, int | None, str], ...]

    @property
    def quotes(self) -> list[str]:
        return [quote for _, _, quote in self.spans]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _claims(result: Result) -> list[_Claim]:
    claims = [c for c in result.get("claims") or [] if isinstance(c, dict)]
    return [
        _Claim(
            str(c.get("id")),
            str(c.get("text") or ""),
            str(c.get("speaker") or ""),
            tuple(
                (_int(s.get("start")), _int(s.get("end")), str(s.get("quote") or ""))
                for s in c.get("evidence") or []
                if isinstance(s, dict)
            ),
        )
        for c in claims
    ]


def _pairs(case: Case, claims: list[_Claim]) -> list[tuple[int, int]]:
    return assign([c.text for c in claims], case.claims, case)


def _outlet_label(result: Result) -> str | None:
    """The label the pipeline gives the article's own voice: the outlet, else the URL host."""
    source = result.get("source") or {}
    if source.get("outlet"):
        return str(source["outlet"])
    host = urlparse(str(source.get("url") or "")).hostname
    return host.removeprefix("www.") if host else None


def _source_text(case: Case, result: Result) -> str:
    """What evidence offsets index: the article, or the pipeline's extracted text when it
    says its offsets refer to that (HTML input)."""
    source = result.get("source") or {}
    extracted = source.get("extracted_text")
    if source.get("offsets_refer_to") == "extracted_text" and isinstance(extracted, str):
        return extracted
    return case.article_text


def _summary_texts(result: Result) -> dict[str, str]:
    summary = result.get("summary") or {}
    texts = {k: str(summary.get(k) or "") for k in ("headline", "summary")}
    for i, point in enumerate(summary.get("key_points") or []):
        texts[f"key_point_{i}"] = str(point.get("text") or "") if isinstance(point, dict) else ""
    return texts
