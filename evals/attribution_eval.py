"""`summarizer eval attribution`: PolNeAR's annotated attributions against the claims the
service makes (`Engine.claims`: the same reading and claim stages as a summary, no brief).

Each annotated attribution (content, cue, source) is scored through the claim carrying its
content (attribution_scoring.py). Categories:
- **quote**: the content is a direct quotation (quotation marks of any style around it);
- **speech**: the cue is speech or writing: a cue verb's CoreNLP lemma (or the verb less an
  inflection: CoreNLP leaves some "said" as is) is in SPEECH_CUES (a noun or adverb of
  the same stem, "complaints", "comments", "allegedly", is no speech verb), or the cue is
  "according to" or a bare colon or dash. The list is the speech-or-writing
  lemmas among the 150 most frequent cues of PolNeAR train (said, told, according to,
  wrote, added, asked, called, noted, reported, announced, tweeted, ...) plus common
  synonyms; it is the eval's definition and does not follow the pipeline's language pack.
  An article without a CoreNLP file (one in dev) has its sources 'unknown' (neither name
  nor pronoun);
- **all**: every attribution, beliefs, plans and "polls show" included.
The source is a **name** when it holds a proper noun (CoreNLP NNP/NNPS, not a nationality,
title or other MISC class) not after a preposition, not a possessive ("Trump's running
mate" is no name; nor is a bracketed "(D-S.C.)") and not a modifier of a common noun ("Snyder
spokesman Dave Murray" is Dave Murray, "Clinton aides" no name); the expected name is the
first such run CoreNLP tags PERSON (its PERSON words: "Sens. Jon Tester" -> "Jon Tester"),
else the last run ("longtime Democratic pollster Pat Caddell" -> "Pat Caddell"). A
**pronoun** source is only PRP/PRP$ tokens; any other source is a **description** (a role
noun, "officials", "polls"). For those two, the right names are the named mentions of the
source's CoreNLP coreference chain. A nested attribution ("X said Y wants Z": Z's cue inside
X's content) also counts as right when its claim is credited to the enclosing source X, who
states it in the article (`by_outer` in the run file).
`speech_right` guards the detection shares against any speaker at all ("Twelve percent",
"problems in the Middle East"): over speech attributions with a source, the claim credits
the right one: the name matches, the pronoun or role noun was resolved right, or was kept
in the source's own words (its last word among the speaker's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evals.attribution_report import Metric, Outcome, tables
from evals.attribution_scoring import (
    as_written,
    attributed,
    by_outlet,
    carrier,
    in_quotes,
    resolution,
)
from evals.attribution_scoring import speaker_matches as matches
from evals.claims_run import ClaimsRun
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


def _sourced_speech(o: Outcome) -> bool:
    return bool(o["speech"] and o["kind"] in ("name", *NON_NAME))


METRICS = [
    Metric("quotes", lambda o: o["quote"], lambda o: o["detected"], 0.95),
    Metric("speech", lambda o: o["speech"], lambda o: o["detected"], 0.90),
    Metric("all", lambda o: True, lambda o: o["detected"], 0.70),
    Metric("speech_outlet", lambda o: o["speech"], lambda o: o["outlet"], 0.03, above=False),
    Metric("speech_right", _sourced_speech, lambda o: o["credited_right"]),
    Metric(
        "name_match", lambda o: o["kind"] == "name" and o["detected"], lambda o: o["match"], 0.95
    ),
    Metric("name_other", lambda o: o["kind"] == "name" and o["detected"], lambda o: o["other"]),
    Metric("pr_right", lambda o: o["checkable"], lambda o: o["resolution"] == "right"),
    Metric("pr_unresolved", lambda o: o["checkable"], lambda o: o["resolution"] == "unresolved"),
    Metric("pr_wrong", lambda o: o["checkable"], lambda o: o["resolution"] == "wrong"),
    Metric("pr_named_nochain", lambda o: o["unchecked"], lambda o: o["resolution"] == "named"),
]


def _inside(tokens: Sequence[Token], spans: Spans) -> list[Token]:
    return [t for t in tokens if any(s <= t.start and t.end <= e for s, e in spans.fragments)]


def name_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Runs of proper nouns that name the phrase's own referent (see the module doc); a
    bracketed aside ("(D-S.C.)") names none."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    after_preposition, depth = False, 0
    for t in [*tokens, Token(0, 0, "", "", "END", "O")]:
        if t.pos in ("NNP", "NNPS") and t.ner not in _NOT_NAMES and depth == 0:
            current.append(t)
            continue
        if current and not after_preposition and t.pos != "POS":
            runs.append(current)
        current = []
        after_preposition = after_preposition or t.pos in ("IN", "TO")
        depth += (t.pos == "-LRB-") - (t.pos == "-RRB-")
    return runs


def names_in(tokens: Sequence[Token]) -> list[str]:
    return [" ".join(t.word for t in run) for run in name_runs(tokens)]


def _modifies(run: Sequence[Token], tokens: Sequence[Token]) -> bool:
    """A name right before a common noun names whom the noun belongs to, not the source:
    "Snyder spokesman Dave Murray" (the source is Dave Murray), "Clinton aides". A
    capitalised "noun" is a name CoreNLP mistagged ("Ban Ki-moon", "The Daily Beast")."""
    after = [t for t in tokens if t.start >= run[-1].end][:1]
    return bool(after) and after[0].pos in ("NN", "NNS") and after[0].word[:1].islower()


def the_name(tokens: Sequence[Token]) -> str | None:
    """The phrase's person when CoreNLP tags one ("Charlotte-Mecklenburg Police Chief Kerr
    Putney" -> "Kerr Putney"), else its last name run; a name that modifies a noun
    ("Snyder spokesman") is not the phrase's own."""
    runs = [r for r in name_runs(tokens) if not _modifies(r, tokens)]
    person = [_person(r) for r in runs if any(t.ner == "PERSON" for t in r)]
    chosen = person[0] if person else runs[-1] if runs else None
    return " ".join(t.word for t in chosen) if chosen else None


def _person(run: Sequence[Token]) -> Sequence[Token]:
    """The run's first stretch tagged PERSON: a title-case headline runs a name into the
    words after it ("Elizabeth Warren Hammers Wells Fargo CEO"), a plural title into it
    ("Sens. Jon Tester")."""
    first = next(i for i, t in enumerate(run) if t.ner == "PERSON")
    end = next((i for i in range(first, len(run)) if run[i].ner != "PERSON"), len(run))
    return run[first:end]


def source_kind(article: Article, source: Spans | None) -> tuple[str, str | None]:
    """('name', the name) | ('pronoun', None) | ('description', None) | ('none', None) |
    ('unknown', None) for an article without CoreNLP annotation."""
    if source is None:
        return "none", None
    if not article.tokens:
        return "unknown", None  # no CoreNLP file: neither names nor pronouns are read
    tokens = _inside(article.tokens, source)
    if tokens and all(t.pos in ("PRP", "PRP$") for t in tokens):
        return "pronoun", None
    name = the_name(tokens)
    return ("name", name) if name else ("description", None)


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


_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write"}
_IRREGULAR |= {"spoke": "speak", "spoken": "speak"}
PUNCTUATION_CUES = frozenset(":―—–")  # a bare colon or dash introducing a quotation


def lemma_guess(word: str) -> set[str]:
    """Candidate lemmas of an inflected verb (over-generous: only members of SPEECH_CUES
    count)."""
    w = word.lower()
    cut = {w, w[:-1], w[:-2], w[:-3], w[:-3] + "e", w[:-3] + "y"}
    return {_IRREGULAR.get(w, w)} | cut


def is_speech(article: Article, cue: Spans | None) -> bool:
    """A speech verb among the cue's verbs (CoreNLP VB*): a noun or adverb of the same stem
    ("complaints", "his comments on", "allegedly") is no speech verb. Without CoreNLP tokens
    every word of the cue is taken for a verb."""
    if cue is None:
        return False
    text = cue.text(article.text).lower().strip()
    tokens = _inside(article.tokens, cue)
    verbs = [t for t in tokens if t.pos.startswith("VB")]
    words = [t.word.lower() for t in verbs] if tokens else re.findall(r"[a-z]+", text)
    lemmas = {t.lemma.lower() for t in verbs} | set().union(*map(lemma_guess, words))
    if text and set(text) <= PUNCTUATION_CUES:
        return True
    return "according to" in text or not lemmas.isdisjoint(SPEECH_CUES)


def enclosing(ann: Annotated, anns: Sequence[Annotated]) -> list[Annotated]:
    """Attributions whose content holds this one's cue: PolNeAR nests "X said Y wants Z"."""
    if ann.cue is None:
        return []
    at = ann.cue.start
    return [o for o in anns if o is not ann and any(s <= at < e for s, e in o.content.fragments)]


def names_of(article: Article, source: Spans | None) -> list[str]:
    """The source's name, else the named mentions of its coreference chain."""
    _kind, name = source_kind(article, source)
    if name:
        return [name]
    return chain_names(article, source) if source is not None else []


def score_attribution(
    article: Article, ann: Annotated, claims: Sequence[Claim], outlet: str
) -> Outcome:
    carried = carrier(ann.content.fragments, claims)
    claim = carried.claim if carried else None
    kind, name = source_kind(article, ann.source)
    detected = claim is not None and attributed(claim, outlet)
    expected = ann.source.text(article.text) if ann.source else ""
    names = chain_names(article, ann.source) if ann.source and kind in NON_NAME else []
    got = claim.speaker if claim and detected else None
    outer = [n for o in enclosing(ann, article.attributions) for n in names_of(article, o.source)]
    by_outer = got is not None and any(matches(got, n) for n in outer)
    res = resolution(got, expected, names) if got and kind in NON_NAME else None
    if res == "wrong" and by_outer:
        res = "right"
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
        "outer": outer,
        "got": claim.speaker if claim else None,
        "claim": claim.id if claim else None,
        "covered": round(carried.covered, 3) if carried else 0.0,
        "detected": detected,
        "outlet": claim is not None and by_outlet(claim, outlet),
        "match": (match := bool(got and name and (matches(got, name) or by_outer))),
        "other": bool(got and name and not match and not as_written(got, expected)),
        "by_outer": by_outer,
        "resolution": res,
        "checkable": res is not None and bool(names),
        "unchecked": res is not None and not names,
        "credited_right": bool(
            got
            and (
                match
                or res == "right"
                or (kind in NON_NAME and res != "wrong" and matches(got, expected))
            )
        ),
    }


def why(o: Outcome) -> str | None:
    if not o["detected"]:
        return "not in any claim" if o["claim"] is None else "not attributed"
    if o["kind"] == "name" and not o["match"]:
        return "wrong speaker" if o["other"] else "speaker as written, not the name"
    return "wrong name" if o["resolution"] == "wrong" else None


def missed_cues(outcomes: Sequence[Outcome], top: int = 30) -> list[tuple[str, int]]:
    """The cues (lower case) of speech attributions no claim credits to anyone, most first."""
    missed = Counter(o["cue"].lower() for o in outcomes if o["speech"] and not o["detected"])
    return missed.most_common(top)


def run_polnear(
    runner: ClaimsRun,
    root: Path,
    split: str = "dev",
    limit: int | None = None,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Every article of the split through the runner; outcomes, tables, failures."""
    from service.pipeline.models import ArticleInput

    outcomes: list[Outcome] = []
    for i, article in enumerate(load_split(root, split, limit), 1):
        progress(f"[{i}] {article.name}")
        claims = runner.claims(
            article.name, ArticleInput(text=article.text, outlet=article.publisher)
        )
        if claims is not None:
            outcomes += [
                score_attribution(article, a, claims, article.publisher)
                for a in article.attributions
            ]
    table = tables(outcomes, METRICS, "publisher")
    record = runner.record()
    return {
        "suite": "attribution-polnear",
        "split": split,
        "articles": len({o["article"] for o in outcomes}),
        "attributions": len(outcomes),
        "tables": table,
        "passed": all(s["pass"] is not False for s in table["all"].values())
        and not record["errors"],
        "failures": [o | {"why": w} for o in outcomes if (w := why(o)) is not None],
        "missed_cues": missed_cues(outcomes),
        "outcomes": outcomes,
    } | record
