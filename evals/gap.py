"""`summarizer eval pronouns`: the GAP coreference suite (google-research-datasets/
gap-coreference), scored on the decision the standalone stage makes.

Each GAP row is a Wikipedia passage, a pronoun (by offset) and two names A and B, each
marked as the pronoun's referent or not. The passage goes through the claim stage exactly
as an article would (clean, split, build the claims: the rules, no model), and the row is
read back from the claims: was the pronoun at that offset replaced, and by which name? A
replacement is right when the name is the referent's (one's words inside the other's:
"Kathleen" for "Kathleen Nott"); wrong when it names someone else, or replaces a pronoun
whose referent is neither A nor B by A or B; unjudged when the referent is neither and the
name is a third person GAP does not label. The bar (issue 22): of the pronouns replaced,
>= 0.97 replaced by the right name. The nearest-name baseline replaces every pronoun with
the nearest preceding of A and B.

Tune on gap-validation.tsv; gap-development.tsv is where the bar is reported; gap-test.tsv
is never tuned on. The passages are third-party text: the run file keeps row ids, pronouns
and names, never the passages.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.corpora import corpus
from service.pipeline.language import english
from service.pipeline.models import Claim

_BRACKETS = re.compile(r"^\[|\]$")
_POSSESSIVE = re.compile(r"[’']s?$")


@dataclass(frozen=True)
class Row:
    """One GAP line: a passage, its pronoun and the two names it may stand for."""

    id: str
    text: str
    pronoun: str
    offset: int
    a: str
    a_offset: int
    a_coref: bool
    b: str
    b_offset: int
    b_coref: bool

    @property
    def gold(self) -> str | None:
        """The name the pronoun stands for; None when it is neither A nor B."""
        return self.a if self.a_coref else self.b if self.b_coref else None

    @property
    def gender(self) -> str:
        return english().gender_of(self.pronoun) or "unknown"


@dataclass(frozen=True)
class Reading:
    """What the pipeline did with one row's pronoun."""

    replaced_by: str | None  # the name written in its place, less brackets and "'s"
    candidates: tuple[str, ...] = ()  # when recorded unresolved


def load(path: Path, limit: int | None = None) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [
            Row(
                r["ID"],
                r["Text"],
                r["Pronoun"],
                int(r["Pronoun-offset"]),
                r["A"],
                int(r["A-offset"]),
                r["A-coref"].upper() == "TRUE",
                r["B"],
                int(r["B-offset"]),
                r["B-coref"].upper() == "TRUE",
            )
            for r in reader
        ]
    return rows[:limit] if limit else rows


def claims_of(text: str) -> list[Claim]:
    """The claim stage on a passage, as the service runs it (no model: rules only)."""
    from service.pipeline.claims.build import build_claims  # loads the parser: only here
    from service.pipeline.reading.budget import article_sentences
    from service.pipeline.reading.clean import clean_text

    doc = clean_text(text)
    sentences, _cut = article_sentences(doc)
    return build_claims(doc, sentences, "gap")


def _name(replacement: str) -> str:
    return _POSSESSIVE.sub("", _BRACKETS.sub("", replacement.strip()))


def read_back(claims: list[Claim], offset: int) -> Reading:
    """The substitution (or unresolved record) covering the pronoun at `offset`."""
    for claim in claims:
        for sub in claim.substitutions:
            if sub.span is not None and sub.span.start <= offset < sub.span.end:
                return Reading(_name(sub.replacement))
    for claim in claims:
        for left in claim.unresolved:
            if left.span.start <= offset < left.span.end:
                return Reading(None, tuple(left.candidates))
    return Reading(None)


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.casefold())}


def same_person(written: str, labelled: str) -> bool:
    """One's words inside the other's: "Kathleen" is "Kathleen Nott"; "Jane Smith" is not
    "John Smith" (a shared surname is not enough to call a replacement right)."""
    a, b = _words(written), _words(labelled)
    return bool(a and b) and (a <= b or b <= a)


def verdict(row: Row, name: str | None) -> str:
    """right, wrong, unjudged (a third person where GAP labels neither) or kept."""
    if name is None:
        return "kept"
    gold = row.gold
    if gold is not None:
        return "right" if same_person(name, gold) else "wrong"
    if same_person(name, row.a) or same_person(name, row.b):
        return "wrong"
    return "unjudged"


def nearest_name(row: Row) -> str:
    """The baseline: the nearest of A and B before the pronoun (the nearer if both follow)."""
    before = [(o, n) for o, n in ((row.a_offset, row.a), (row.b_offset, row.b)) if o < row.offset]
    if before:
        return max(before)[1]
    return min(
        ((abs(o - row.offset), n) for o, n in ((row.a_offset, row.a), (row.b_offset, row.b)))
    )[1]


def tally(verdicts: list[tuple[Row, str]]) -> dict[str, Any]:
    """Precision (right of right+wrong), coverage (replaced of all), counts; per gender."""

    def one(items: list[str]) -> dict[str, Any]:
        c = Counter(items)
        judged = c["right"] + c["wrong"]
        replaced = judged + c["unjudged"]
        return {
            "rows": len(items),
            "right": c["right"],
            "wrong": c["wrong"],
            "unjudged": c["unjudged"],
            "kept": c["kept"],
            "precision": round(c["right"] / judged, 4) if judged else None,
            "coverage": round(replaced / len(items), 4) if items else None,
        }

    out = one([v for _, v in verdicts])
    genders = sorted({r.gender for r, _ in verdicts})
    out["by_gender"] = {g: one([v for r, v in verdicts if r.gender == g]) for g in genders}
    return out


def evaluate(rows: list[Row]) -> dict[str, Any]:
    ours: list[tuple[Row, str]] = []
    baseline: list[tuple[Row, str]] = []
    failures: list[dict[str, Any]] = []
    unresolved = 0
    for row in rows:
        reading = read_back(claims_of(row.text), row.offset)
        v = verdict(row, reading.replaced_by)
        ours.append((row, v))
        baseline.append((row, verdict(row, nearest_name(row))))
        unresolved += bool(reading.candidates)
        if v == "wrong":
            failures.append(
                {"id": row.id, "pronoun": row.pronoun, "replaced_by": reading.replaced_by}
                | {"gold": row.gold or "neither", "a": row.a, "b": row.b}
            )
    result: dict[str, Any] = {"rules": tally(ours), "nearest_name": tally(baseline)}
    result["rules"]["recorded_unresolved"] = unresolved
    result["failures"] = failures
    return result


def run(split: str, limit: int | None, out_dir: Path) -> tuple[dict[str, Any], Path] | None:
    """Score one split; None (and nothing written) when the corpus is absent."""
    root = corpus("gap")
    path = root / f"gap-{split}.tsv" if root else None
    if path is None or not path.is_file():
        return None
    result = {"split": split, "limit": limit} | evaluate(load(path, limit))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"gap-{split}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result, out


def lines(result: dict[str, Any]) -> list[str]:
    """The readable report: ours and the baseline, overall and per gender."""

    def fmt(name: str, t: dict[str, Any]) -> str:
        return (
            f"{name:<22} precision {t['precision']}  coverage {t['coverage']}  "
            f"right {t['right']}  wrong {t['wrong']}  unjudged {t['unjudged']}  kept {t['kept']}"
        )

    out = [f"GAP {result['split']} ({result['rules']['rows']} rows)"]
    for key in ("rules", "nearest_name"):
        out.append(fmt(key, result[key]))
        out += [fmt(f"  {g}", t) for g, t in result[key]["by_gender"].items()]
    out.append(f"recorded unresolved: {result['rules']['recorded_unresolved']}")
    return out


def pronouns(split: str = "validation", limit: int | None = None, out: Path = Path("runs")) -> None:
    """`summarizer eval pronouns`: the GAP suite on one split (tune on validation; the bar is
    read on development; test only once, never tuned on). Skips when the corpus is absent."""
    import typer

    if split not in ("development", "validation", "test"):
        raise typer.BadParameter("--split development|validation|test")
    found = run(split, limit, out)
    if found is None:
        typer.echo("GAP corpus absent ($SUMMARIZER_CORPORA/gap): skipped", err=True)
        return
    result, path = found
    typer.echo("\n".join(lines(result)))
    typer.echo(f"run: {path}")


def nightly(out: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """The nightly run's pronoun figures on GAP development (reported beside the gate, not
    part of it); says so and skips when the corpus is absent."""
    found = run("development", None, out)
    if found is None:
        say("GAP corpus absent: pronoun suite skipped")
        return {"skipped": "GAP corpus absent"}
    result, path = found
    for line in lines(result):
        say(line)
    return {"rules": result["rules"], "nearest_name": result["nearest_name"], "run": str(path)}
