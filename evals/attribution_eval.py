"""`summarizer eval attribution`: PolNeAR's annotated attributions against the claims the
service makes (`Engine.claims`: the same reading and claim stages as a summary, no brief).

Each annotated attribution (content, cue, source) is scored through the claim carrying its
content (attribution_scoring.py). Categories:
- **quote**: the content is a direct quotation (quotation marks of any style around it);
- **speech**: the cue is speech or writing: a cue word's CoreNLP lemma is in SPEECH_CUES, or
  the cue is "according to" or a bare colon. The list is the speech-or-writing lemmas among
  the 150 most frequent cues of PolNeAR train (said, told, according to, wrote, added,
  asked, called, noted, reported, announced, tweeted, ...) plus their common synonyms; it is
  the eval's definition and does not follow the pipeline's language pack;
- **all**: every attribution, beliefs, plans and "polls show" included.
The source is a **name** when it holds a proper noun (CoreNLP NNP/NNPS, not a nationality,
title or other MISC class) not after a preposition and not a possessive ("Trump's running
mate" is no name); the expected name is the last such run ("longtime Democratic pollster
Pat Caddell" -> "Pat Caddell"). A **pronoun** source is only PRP/PRP$ tokens; any other
source is a **description** (a role noun, "officials", "polls"). For those two, the right
names are the named mentions of the source's CoreNLP coreference chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evals.attribution_report import Metric, Outcome, tables
from evals.attribution_scoring import attributed, by_outlet, carrier, in_quotes, resolution
from evals.attribution_scoring import speaker_matches as matches
from evals.polnear import Annotated, Article, Spans, Token, load_split
from service.pipeline.models import Claim

SPEECH_CUES = frozenset(
    """say tell write add ask call note report announce suggest argue describe tweet post
    continue explain declare acknowledge criticize criticise accuse urge recall respond reply
    propose claim conclude praise state warn promise insist reveal question predict vow
    pledge denounce dismiss reject deny blame stress mention point charge decry comment
    testify speak remark admit confirm joke complain cite emphasize emphasise quip boast
    answer assert allege retort counter concede reiterate repeat quote read""".split()
)
_NOT_NAMES = frozenset(
    "MISC NATIONALITY TITLE DATE NUMBER ORDINAL RELIGION IDEOLOGY DURATION TIME SET MONEY "
    "PERCENT CAUSE_OF_DEATH CRIMINAL_CHARGE".split()
)
NON_NAME = ("pronoun", "description")

METRICS = [
    Metric("quotes", lambda o: o["quote"], lambda o: o["detected"], 0.95),
    Metric("speech", lambda o: o["speech"], lambda o: o["detected"], 0.90),
    Metric("all", lambda o: True, lambda o: o["detected"], 0.70),
    Metric("speech_outlet", lambda o: o["speech"], lambda o: o["outlet"], 0.03, above=False),
    Metric(
        "name_match", lambda o: o["kind"] == "name" and o["detected"], lambda o: o["match"], 0.95
    ),
    Metric("pr_right", lambda o: o["checkable"], lambda o: o["resolution"] == "right"),
    Metric("pr_unresolved", lambda o: o["checkable"], lambda o: o["resolution"] == "unresolved"),
    Metric("pr_wrong", lambda o: o["checkable"], lambda o: o["resolution"] == "wrong"),
    Metric("pr_named_nochain", lambda o: o["unchecked"], lambda o: o["resolution"] == "named"),
]


def _inside(tokens: Sequence[Token], spans: Spans) -> list[Token]:
    return [t for t in tokens if any(s <= t.start and t.end <= e for s, e in spans.fragments)]


def names_in(tokens: Sequence[Token]) -> list[str]:
    """Runs of proper nouns that name the phrase's own referent (see the module doc)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    after_preposition = False
    for t in [*tokens, Token(0, 0, "", "", "END", "O")]:
        if t.pos in ("NNP", "NNPS") and t.ner not in _NOT_NAMES:
            current.append(t)
            continue
        if current and not after_preposition and t.pos != "POS":
            runs.append(current)
        current = []
        after_preposition = after_preposition or t.pos in ("IN", "TO")
    return [" ".join(t.word for t in run) for run in runs]


def source_kind(article: Article, source: Spans | None) -> tuple[str, str | None]:
    """('name', the name) | ('pronoun', None) | ('description', None) | ('none', None)."""
    if source is None:
        return "none", None
    tokens = _inside(article.tokens, source)
    if tokens and all(t.pos in ("PRP", "PRP$") for t in tokens):
        return "pronoun", None
    names = names_in(tokens)
    return ("name", names[-1]) if names else ("description", None)


def chain_names(article: Article, source: Spans) -> list[str]:
    """The named mentions of the coreference chain the source is a mention of."""
    best: tuple[int, int] | None = None
    for i, chain in enumerate(article.chains):
        for m in chain:
            shared = sum(max(0, min(e, m.end) - max(s, m.start)) for s, e in source.fragments)
            if shared and (best is None or shared > best[0]):
                best = (shared, i)
    if best is None:
        return []
    found = [n for m in article.chains[best[1]] for n in names_in(m.tokens)]
    return list(dict.fromkeys(found))


def is_speech(article: Article, cue: Spans | None) -> bool:
    if cue is None:
        return False
    text = cue.text(article.text).lower().strip()
    lemmas = {t.lemma.lower() for t in _inside(article.tokens, cue)}
    return text == ":" or "according to" in text or not lemmas.isdisjoint(SPEECH_CUES)


def score_attribution(
    article: Article, ann: Annotated, claims: Sequence[Claim], outlet: str
) -> Outcome:
    carried = carrier(ann.content.fragments, claims)
    claim = carried.claim if carried else None
    kind, name = source_kind(article, ann.source)
    detected = claim is not None and attributed(claim, outlet)
    expected = ann.source.text(article.text) if ann.source else ""
    names = chain_names(article, ann.source) if ann.source and kind in NON_NAME else []
    got = claim.speaker if claim else None
    res = resolution(got, expected, names) if detected and got and kind in NON_NAME else None
    return {
        "article": article.name,
        "publisher": article.publisher,
        "content": ann.content.text(article.text)[:120],
        "cue": ann.cue.text(article.text) if ann.cue else "",
        "quote": in_quotes(article.text, ann.content.fragments),
        "speech": is_speech(article, ann.cue),
        "kind": kind,
        "expected": name or expected,
        "names": names,
        "got": got,
        "claim": claim.id if claim else None,
        "covered": round(carried.covered, 3) if carried else 0.0,
        "detected": detected,
        "outlet": claim is not None and by_outlet(claim, outlet),
        "match": bool(detected and got and name and matches(got, name)),
        "resolution": res,
        "checkable": res is not None and bool(names),
        "unchecked": res is not None and not names,
    }


def why(o: Outcome) -> str | None:
    if not o["detected"]:
        return "not in any claim" if o["claim"] is None else "not attributed"
    if o["kind"] == "name" and not o["match"]:
        return "wrong speaker"
    return "wrong name" if o["resolution"] == "wrong" else None


def run_polnear(
    engine: Any,
    root: Path,
    split: str = "dev",
    limit: int | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Every article of the split through `engine.claims`; outcomes, tables, failures."""
    from service.pipeline.models import ArticleInput

    outcomes: list[Outcome] = []
    errors: list[dict[str, str]] = []
    calls = 0
    started = time.perf_counter()
    for i, article in enumerate(load_split(root, split, limit), 1):
        progress(f"[{i}] {article.name}")
        try:
            result = engine.claims(ArticleInput(text=article.text, outlet=article.publisher))
        except Exception as exc:  # one article's failure is reported, the run goes on
            errors.append({"article": article.name, "error": f"{type(exc).__name__}: {exc}"})
            continue
        calls += len(result.ctx.calls)
        for ann in article.attributions:
            outcomes.append(score_attribution(article, ann, result.claims, article.publisher))
    failures = [o | {"why": w} for o in outcomes if (w := why(o)) is not None]
    table = tables(outcomes, METRICS, "publisher")
    return {
        "suite": "attribution-polnear",
        "split": split,
        "articles": len({o["article"] for o in outcomes}),
        "attributions": len(outcomes),
        "model_calls": calls,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "errors": errors,
        "tables": table,
        "passed": all(s["pass"] is not False for s in table["all"].values()) and not errors,
        "failures": failures,
        "outcomes": outcomes,
    }
