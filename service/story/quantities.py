"""Numbers with their hedges and units, and relative dates resolved against publication.

"up to 40%" and "nearly 40 percent" agree (same unit, same value, both hedged upper bounds);
"40%" and "60%" conflict. Dates: "last June" or "on Saturday" in an article published on a
known day become calendar dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from service.pipeline.language import english

_HEDGES = (
    r"(?P<hedge>up to|nearly|almost|about|around|approximately|roughly|more than|over|at least|"
    r"less than|some|an estimated)"
)
_UNITS = (
    r"(?P<unit>%|percent|per cent|million|billion|thousand|years?|months?|days?|weeks?|km|"
    r"kilometres?|kilometers?|troops|people|shells|missiles)"
)
# a currency sign may stand between the hedge and the figure: "more than $915 million"
_QUANTITY = re.compile(rf"(?:{_HEDGES}\s+)?[$€£]?(?P<value>\d+(?:[.,]\d+)*)\s*{_UNITS}?", re.I)
_UNIT_FOLD = {"percent": "%", "per cent": "%", "year": "years", "month": "months", "day": "days", "week": "weeks",
              "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km"}  # fmt: skip
_YEAR = re.compile(r"^(19|20)\d\d$")
# Right before a number: a month ("Jan. 21", "June 5"), or a model name ("KN-23").
_DATE_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s*$"
)
_NAME_BEFORE = re.compile(r"[A-Za-z]-$")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    hedge: str | None
    text: str
    scope: str = ""  # what it measures: "40% of <Russia's ammunition>"


_SCOPE = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?(?P<scope>[^,.;:()]{3,80})")
_SCOPE_STOP = re.compile(
    r"\b(?:was|were|is|are|has|have|had|will|would|could|may|caused|supplied|came|come|from|by|which|that)\b"
)


def _scope_after(text: str, end: int) -> str:
    m = _SCOPE.match(text, end)
    if not m:
        return ""
    scope = m.group("scope")
    cut = _SCOPE_STOP.search(scope)
    return (scope[: cut.start()] if cut else scope).strip()


def quantities(text: str) -> list[Quantity]:
    out = []
    for m in _QUANTITY.finditer(text):
        raw = m.group("value").replace(",", "")
        unit = (m.group("unit") or "").lower()
        before = text[: m.start()]
        if _NAME_BEFORE.search(before):
            continue  # "KN-23" is a name
        if not unit and (_YEAR.match(raw) or _DATE_BEFORE.search(before)):
            continue  # a year or a day is a date, compared elsewhere
        try:
            value = float(raw)
        except ValueError:
            continue
        out.append(
            Quantity(
                value,
                _UNIT_FOLD.get(unit, unit),
                (m.group("hedge") or "").lower() or None,
                m.group(0),
                _scope_after(text, m.end()),
            )
        )
    return out


def agree(a: Quantity, b: Quantity) -> bool:
    """Same unit and value; hedges may differ ("up to 40%" ~ "nearly 40 percent")."""
    return a.unit == b.unit and abs(a.value - b.value) <= 1e-9 * max(1.0, abs(a.value))


def _at_least(q: Quantity, other: Quantity) -> bool:
    """q is a lower bound ("more than $915 million", hedge family "lower bound" of the
    language pack) that the other figure meets: "$916 million" does not contradict it."""
    bound = english().hedges.get("lower bound")
    # the pack's patterns expect the hedge right before a number ("over 5", not "over it")
    said = f"{q.hedge} {q.value:g}"
    return bool(q.hedge and bound and bound.match(said)) and other.value >= q.value


def consistent(a: Quantity, b: Quantity) -> bool:
    """The same figure, or one a bound the other meets: no disagreement to report."""
    return agree(a, b) or (a.unit == b.unit and (_at_least(a, b) or _at_least(b, a)))


def conflicts(a: list[Quantity], b: list[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """Pairs with the same unit whose values differ, when no same-unit pair is consistent
    (equal, or a bound the other meets)."""
    out: list[tuple[Quantity, Quantity]] = []
    for qa in a:
        same_unit = [qb for qb in b if qb.unit == qa.unit and qa.unit]
        if same_unit and not any(consistent(qa, qb) for qb in same_unit):
            out.extend((qa, qb) for qb in same_unit)
    return out


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]  # fmt: skip
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = re.compile(
    rf"\b(?:(last|this past|on|in) )?({'|'.join(_MONTHS + _DAYS)}|yesterday|today)\b", re.I
)


def resolve_dates(text: str, published: date | None) -> dict[str, str]:
    """Relative date expressions -> ISO dates (the most recent such day before publication)."""
    if published is None:
        return {}
    out: dict[str, str] = {}
    for m in _RELATIVE.finditer(text):
        word = m.group(2).lower()
        if word == "yesterday":
            out[m.group(0)] = (published - timedelta(days=1)).isoformat()
        elif word == "today":
            out[m.group(0)] = published.isoformat()
        elif word in _DAYS:
            back = (published.weekday() - _DAYS.index(word)) % 7 or 7
            out[m.group(0)] = (published - timedelta(days=back)).isoformat()
        elif m.group(1) and m.group(1).lower() in ("last", "this past", "in"):
            month = _MONTHS.index(word) + 1
            year = published.year if month < published.month else published.year - 1
            out[m.group(0)] = f"{year:04d}-{month:02d}"
    return out
