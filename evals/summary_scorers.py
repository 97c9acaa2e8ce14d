"""Summary scorers: does the summary state the lead, how many key facts it carries at a
given length against the article's own first N words (the Lead-N baseline), does every
sentence end as a sentence, does the summary repeat its headline, and are its numbers and
names in the claims it cites.

Each factory takes `words`: None scores the run at the case's `max_words` under the plain
name; a number scores a run at that length as "name@words" (`eval run --lengths`).
Coverage counts importance-3 claims (key facts) only: a summary is not better for carrying
background, and the weighted share over all claims is reported in the details.
"""

from __future__ import annotations

import re

from evals.cases import Case
from evals.matching import fold, matches, mentions, normalize, numbers_in
from evals.scoring import (
    METRICS,
    Metric,
    Out,
    Result,
    Score,
    Scorer,
    _scorer,
    _summary_texts,
    metric,
)
from service.pipeline.reading.clean import clean_html, clean_text

LENGTHS = (25, 40, 60, 100)  # the lengths the nightly run scores
FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from into onto as and or but nor than that which who"
    " whom whose while because if about over under between among per via its their his her our"
    " your my this these those is are was were be been being has have had will would can could"
    " may might should must not".split()
)
# Words that are neither content (headline repetition) nor names (grounding) when capitalised.
STOP = FUNCTION_WORDS | frozenset(
    "he she it they we i you him them us also after before during according since when however"
    " yet meanwhile despite amid although though such other more most said says some many no"
    " all both each every there here what why how one".split()
)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_CLOSERS = "\"')] "
_TOKEN = re.compile(r"[\w%]+(?:[.,'-][\w%]+)*")
_TITLE_END = re.compile(r"[.!?…\"']$")


def _named(base: str, words: int | None) -> str:
    return f"{base}@{words}" if words else base


def _parts(result: Result) -> tuple[str, str, list[str]]:
    summary = result.get("summary") or {}
    points = [p.get("text") for p in summary.get("key_points") or [] if isinstance(p, dict)]
    text = str(summary.get("summary") or "")
    return str(summary.get("headline") or ""), text, [str(p) for p in points if p]


def first_words(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def lead_text(case: Case) -> str:
    """The cleaned article without its title: the first paragraph is a title when it does
    not end as a sentence (four of the five seed articles open with one; 004 does not)."""
    doc = clean_html(case.article_text) if case.format == "html" else clean_text(case.article_text)
    paragraphs = [doc.text[s:e] for s, e in doc.paragraphs]
    if len(paragraphs) > 1 and not _TITLE_END.search(fold(paragraphs[0]).rstrip()):
        paragraphs = paragraphs[1:]
    return " ".join(paragraphs)


def coverage(case: Case, text: str) -> Out:
    """Share of key facts (importance 3) whose every match group is in `text`."""
    labelled = [e for e in case.claims if e.importance]
    key = [e for e in labelled if e.importance == 3]
    if not key:
        return None, {"reason": "no key facts labelled"}
    hit = [e for e in labelled if matches(e.match, text, case)]
    weight = sum(e.importance or 0 for e in hit) / sum(e.importance or 0 for e in labelled)
    missed = [e.id for e in key if e not in hit]
    return 1 - len(missed) / len(key), {"missed": missed, "weighted": round(weight, 3)}


def _key_facts(case: Case) -> bool:
    return any(e.importance == 3 for e in case.claims)


@metric("higher", 1.0, "every lead fact stated in the headline or summary (share of lead facts)")
def lead_stated(words: int | None = None) -> Scorer:
    def body(case: Case, result: Result) -> Out:
        headline, summary, _ = _parts(result)
        text = f"{headline}\n{summary}"
        missed = [
            [list(g) for g in fact] for fact in case.summary.lead if not matches(fact, text, case)
        ]
        return 1 - len(missed) / len(case.summary.lead), {"missed": missed}

    return _scorer(_named("lead_stated", words), body, lambda c: c.summary.lead, "lead")


# A 25-word summary cannot be held to both lead facts of a two-fact lead; 40 and 60 are.
METRICS["lead_stated@25"] = Metric("higher", None, "lead_stated for a 25-word summary")


@metric("higher", None, "key facts in the first N words of headline + summary + key points")
def key_fact_coverage(words: int | None = None) -> Scorer:
    def body(case: Case, result: Result) -> Out:
        headline, summary, points = _parts(result)
        limit = words or case.summary.max_words or 60
        value, details = coverage(case, first_words(" ".join([headline, summary, *points]), limit))
        return value, details | {"words": limit}

    return _scorer(_named("key_fact_coverage", words), body, _key_facts, "key facts")


@metric("higher", None, "key facts in the article's own first N words (the Lead-N baseline)")
def lead_baseline(words: int | None = None) -> Scorer:
    name = _named("lead_baseline", words)

    def score(case: Case, result: Result | None) -> Score:  # the article's, whatever the run
        if not _key_facts(case):
            return Score(name, None, {"reason": "no key facts labelled"}, True)
        limit = words or case.summary.max_words or 60
        value, details = coverage(case, first_words(lead_text(case), limit))
        return Score(name, value, details | {"words": limit}, value is None)

    return score


def sentence_faults(summary: str, headline: str = "") -> list[str]:
    """Summary sentences that do not end as a sentence, and a headline that trails off."""
    faults = []
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(fold(summary)))):
        body = sentence.rstrip(_CLOSERS)
        tokens = _TOKEN.findall(body.casefold())
        if body.endswith(("...", "…")):
            faults.append(f"ends with an ellipsis: {sentence[-40:]}")
        elif not body.endswith((".", "!", "?")):
            faults.append(f"no terminal punctuation: {sentence[-40:]}")
        elif tokens and tokens[-1] in FUNCTION_WORDS:
            faults.append(f"ends on '{tokens[-1]}': {sentence[-40:]}")
    tail = _TOKEN.findall(fold(headline).casefold())
    trails = bool(tail) and tail[-1] in FUNCTION_WORDS and not _elided(fold(headline), tail[-1])
    if trails or headline.rstrip().endswith(("...", "…")):
        faults.append(f"headline trails off: {headline[-40:]}")
    return faults


def _elided(text: str, last: str) -> bool:
    """ "China isn't Kremlin's most important ally, North Korea is": a final verb whose
    rest is the same verb's, negated earlier, ends a clause; it is not cut off."""
    body = text.casefold().rstrip(" .!?")[: -len(last)]
    return re.search(rf"\b{re.escape(last)}(?:n['’]t|\s+not)\b", body) is not None


@metric("lower", 0.0, "summary sentences (and headline) that do not end as a sentence")
def truncated_sentences(words: int | None = None) -> Scorer:
    def body(case: Case, result: Result) -> Out:
        headline, summary, _ = _parts(result)
        faults = sentence_faults(summary, headline)
        return float(len(faults)), {"faults": faults}

    return _scorer(_named("truncated_sentences", words), body)


def content_words(text: str) -> set[str]:
    words = (w.removesuffix("'s") for w in _TOKEN.findall(fold(text).casefold()))
    # A crude plural fold, so "missiles" repeats "missile".
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in STOP}


@metric("lower", 0.5, "share of the headline's content words that the summary repeats")
def headline_repetition(words: int | None = None) -> Scorer:
    def body(case: Case, result: Result) -> Out:
        headline, summary, _ = _parts(result)
        head = content_words(headline)
        if not head or not summary.strip():
            return None, {"reason": "no headline or no summary"}
        shared = sorted(head & content_words(summary))
        return len(shared) / len(head), {"shared": shared, "headline_words": len(head)}

    return _scorer(_named("headline_repetition", words), body)


def names_in(text: str) -> list[str]:
    """Capitalised words that are names (stop words at a sentence's start are not)."""
    found = (w.removesuffix("'s") for w in re.findall(r"\b[A-Z][\w'-]*", fold(text)))
    return list(dict.fromkeys(w for w in found if len(w) > 1 and w.casefold() not in STOP))


def _name_grounded(name: str, ground: str, case: Case) -> bool:
    if mentions(name, ground):
        return True
    for forms in case.alias_sets().values():  # "Budanov" is grounded by "Kirill Budanov"
        named = any(normalize(f) == normalize(name) for f in forms)
        if named and any(mentions(f, ground) for f in forms):
            return True
    # A demonym grounds on its country: "Korean" on "North Korea", "Iranian" on "Iran".
    demonym = len(name) > 5 and name.endswith(("n", "ese", "ish"))
    return demonym and re.search(rf"\b{re.escape(name[:4])}", ground, re.I) is not None


@metric("higher", 1.0, "numbers and names of the summary sentences found in the claims they cite")
def summary_grounded_terms(words: int | None = None) -> Scorer:
    def body(case: Case, result: Result) -> Out:
        summary = result.get("summary") or {}
        if "claim_ids" not in summary:
            return None, {"reason": "the summary lists no claim_ids"}
        cited = {str(i) for i in summary.get("claim_ids") or []}
        claims = [c for c in result.get("claims") or [] if isinstance(c, dict)]
        ground = " \n".join(
            f"{c.get('speaker') or ''}: {c.get('text') or ''}"
            for c in claims
            if str(c.get("id")) in cited
        )
        # The summary sentences against the claims they cite; the headline cites none (it
        # states another top claim, checked against the claims shown by the pipeline).
        _, said, _ = _parts(result)
        have = set(numbers_in(ground, spelled=True))
        numbers = [n for n in numbers_in(said) if n not in have and f"{n}%" not in have]
        terms = len(numbers_in(said)) + len(names_in(said))
        if not terms:
            return None, {"reason": "no number or name in the summary"}
        names = [n for n in names_in(said) if not _name_grounded(n, ground, case)]
        return 1 - (len(numbers) + len(names)) / terms, {"ungrounded": numbers + names}

    return _scorer(_named("summary_grounded_terms", words), body)


def summary_scorers(words: int | None = None) -> list[Scorer]:
    """The summary scorers of a run at the case's length (None) or at `words`."""
    factories = [lead_stated, key_fact_coverage, lead_baseline, truncated_sentences]
    scorers = [f(words) for f in [*factories, headline_repetition, summary_grounded_terms]]
    if words:  # the default run's length check is summary_length() already
        scorers.append(summary_length(words))
    return scorers


@metric("higher", 1.0, "summary word count within the case's max_words")
def summary_length(words: int | None = None) -> Scorer:
    """`words`: the limit of a run at another length (scored as summary_length@words)."""

    def body(case: Case, result: Result) -> Out:
        limit = words or case.summary.max_words or 0
        count = len(_summary_texts(result)["summary"].split())  # counted, not trusted
        reported = (result.get("summary") or {}).get("word_count")
        return float(count <= limit), {"words": count, "max_words": limit, "reported": reported}

    name = f"summary_length@{words}" if words else "summary_length"
    return _scorer(name, body, lambda c: words or c.summary.max_words, "max_words")
