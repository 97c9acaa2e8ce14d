"""The headline: the most important claim in at most 12 words, with who claims it.

When the claim in fewer words fits ("Budanov: up to 40% of Russia's ammunition is supplied
by North Korea"), that is the headline: the source's words, with no model call. Otherwise
its main clause by deletion (clause.py), still only the claim's words. Only when neither
serves the top claim does the model write one, kept only if it is short, ends well, every
word, number and name in it is in the claim (by stem), and it keeps what makes the claim
that claim: its figures, hedges ("up to", "may") and superlatives ("largest", "most
important"). Whatever the path, a headline is a statement of a fact (a subject and its
verb, at least three words that say something, ending where a phrase ends), else the next
path or claim is tried. A person is named by surname, as headlines do (speaker.name_of),
so the name does not crowd out the news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from service.limits import REPORTED_CUES
from service.pipeline.brief.clause import by_deletion, statement
from service.pipeline.brief.compress import Shortened
from service.pipeline.brief.rank import content_words, quantities
from service.pipeline.brief.speaker import frame_of, name_of
from service.pipeline.claims.ground import names_missing, numbers_in, words_of
from service.pipeline.context import RunContext
from service.pipeline.models import Claim, HeadlinePath
from service.pipeline.prompt_names import SUMMARIZE
from service.pipeline.reading.nlp import parse_each
from service.pipeline.reading.segment import defuse


@dataclass(frozen=True)
class Headline:
    text: str
    claim_id: str | None  # the claim it states (none: the model's states no one claim)
    path: HeadlinePath  # which path made it: the claim's own words, deletion, the model


HEADLINE_WORDS = 12
_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}$")  # "U.S." keeps its last period
HEADLINE_CLAIMS = 8  # how far down the ranking a headline is looked for (the summary's candidates)
# A dateline before the news: "WASHINGTON, Aug. 19 (UPI) — ", "PHILADELPHIA ― ".
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+\b(?:,[^—―–\n]{0,40}?)?\s*[—―–]+\s*")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_LAST_LATIN = 0x2FFF  # punctuation, dashes and symbols come before; CJK and others after
# Words a phrase cannot end on: it was cut ("… using Ukraine as a").
DANGLING = frozenset("a an the of to in on at by for with as and or but that from".split())
# What a headline may not drop from its claim: it would state another, stronger claim.
_MUST_KEEP = re.compile(
    r"\b(?:up to|nearly|almost|about|around|at least|more than|less than|may|might|could|"
    r"reportedly|allegedly|largest|biggest|smallest|most|least|main|only|first)\b",
    re.I,
)


def ask_headline(ctx: RunContext, top: Claim, short: str) -> str:
    """One call per article; its answer does not depend on the word limit, so the prompt
    cache serves every length a user asks for."""
    data = ctx.ask_standalone(
        SUMMARIZE, {"claim": defuse(short), "speaker": defuse(top.speaker)}, label="summarize"
    )
    return str(data.get("headline", ""))


def unsupported(text: str, cited: str, injected: frozenset[str]) -> list[str]:
    """Numbers and names of `text` that its cited claims do not contain, and any word found
    only in text addressed to an AI."""
    have = set(numbers_in(cited))
    bad = [n for n in numbers_in(text) if n not in have] + names_missing(text, cited)
    bad += [a for a in _ACRONYM.findall(text) if a not in cited]
    bad += [c for c in text if ord(c) > _LAST_LATIN and c not in cited]  # another script
    return bad + sorted(injected & words_of(text))


def dropped(headline: str, claim: str) -> list[str]:
    """Figures, hedges and superlatives of the claim that the headline leaves out."""
    lower = headline.lower()
    keep = {m.group().lower() for m in _MUST_KEEP.finditer(claim)}
    missing = sorted(k for k in keep if not re.search(rf"\b{re.escape(k)}\b", lower))
    return missing + [n for n in quantities(claim) if n not in numbers_in(headline)]


_SAYS = frozenset("says say said warns warned reports reported tells told claims adds".split())


def novel(headline: str, claim: str) -> list[str]:
    """Content words of the headline the claim has no word for (by stem: "face" is in
    "faced"): a paraphrase that brings in "missiles" where the claim said "guided bombs"."""

    def words(text: str) -> set[str]:
        return content_words(text.replace("’", "'"))

    stems = {w[:4] for w in words(claim)}
    return sorted(w for w in words(headline) - _SAYS if w[:4] not in stems)


def _by_surname(text: str, speaker: str) -> str:
    """ "Kyrylo Budanov" -> "Budanov" in a model's headline, by the one rule a headline
    names a speaker with (name_of); a body or description stays as the model wrote it."""
    name = name_of(speaker)
    person = name is not None and name != speaker and speaker.endswith(f" {name}")
    return text.replace(speaker, name) if person and name else text


_TRAILING = re.compile(r"^(?P<body>.+?)\s*:\s*(?P<who>[^:]{1,60})$")


def _credit_first(text: str, speaker: str) -> str:
    """ "Dockers accept ... up to 7%: de Vries" -> "de Vries: Dockers accept ... up to 7%":
    a headline credits its source first, as the other paths do; a body that names them
    already needs no credit at its end."""
    name = name_of(speaker)
    found = _TRAILING.match(text)
    if name is None or found is None or found.group("who") != name:
        return text
    body = found.group("body")
    return body if name in body else f"{name}: {body}"


def states(headline: str, claim: Claim) -> bool:
    """Whether a headline states the claim: at least half its content words are the
    claim's."""
    head = content_words(headline)
    return bool(head) and len(head & content_words(claim.text)) / len(head) >= 0.5


def _model_headline(
    ctx: RunContext, top: Claim, short: str, injected: frozenset[str]
) -> tuple[str, bool]:
    """The model's headline for the top claim, and whether it passes every check."""
    text = " ".join(ask_headline(ctx, top, short).split()).rstrip(".")
    text = _credit_first(_by_surname(text, top.speaker), top.speaker)
    tail = text.split()[-1].lower() if text else ""
    fits = bool(text) and len(text.split()) <= HEADLINE_WORDS and tail not in DANGLING
    # Only a named speaker lends the headline words: "...: article" credits no one.
    who = top.speaker if name_of(top.speaker) else ""
    grounded = not unsupported(text, f"{who} {top.text}", injected)
    kept = not dropped(text, short) and not novel(text, f"{who} {short}")
    ok = fits and grounded and kept and _credits(text, top)
    return text, ok and _says_something(text)


def _says_something(text: str) -> bool:
    """A model headline (less its credit) as a statement of a fact: parsed, since it is
    new words."""
    body = text.split(": ", 1)[1] if ": " in text else text
    doc = next(iter(parse_each([body])))
    root = next(iter(doc.sents)).root
    return statement(doc, root, {t.i for t in doc})


def _reported(claim: Claim) -> bool:
    return claim.attribution is not None and claim.attribution.cue in REPORTED_CUES


def _credits(text: str, claim: Claim) -> bool:
    """A reported claim's headline names who claims it: an allegation stays one."""
    name = name_of(claim.speaker)
    return not _reported(claim) or bool(name and name.split()[-1] in text)


def _own(claim: Claim, short: Shortened) -> str:
    """The claim's own words when they fit, credit whoever it reports ("Smith said ..."
    or "Smith: ..." before its reported clause, nothing deleted) and state a fact."""
    doc, kept = short.doc, {t.i for t in short.doc} - short.cut
    frame = frame_of(doc)
    whole = short.text if _ABBREVIATION.search(short.text) else short.text.rstrip(".")
    if len(whole.split()) <= HEADLINE_WORDS and _credits(whole, claim):
        root = next(iter(doc.sents)).root
        says = not frame.reported or statement(doc, frame.head, kept - frame.drop)
        if says and statement(doc, root, kept):
            return whole
    clause = by_deletion(doc, claim.speaker, HEADLINE_WORDS, short.cut, delete=False)
    return clause if clause and _credits(clause, claim) else ""


def _deleted(claim: Claim, short: Shortened) -> str:
    """The claim's main clause by deletion, from the parse the summary cut it from: the
    summary's asides and a dateline already gone."""
    doc: Doc = short.doc
    dateline = _DATELINE.match(doc.text)
    start = dateline.end() if dateline else 0
    gone = short.cut | {t.i for t in doc if t.idx < start}
    return by_deletion(doc, claim.speaker, HEADLINE_WORDS, frozenset(gone))


def headline_for(
    ctx: RunContext,
    ranked: list[tuple[Claim, Shortened]],
    warnings: list[str],
    injected: frozenset[str],
) -> Headline:
    """The most important claim that makes a headline: its own words when they fit; else
    its main clause by deletion; for the top claim, else the model's headline when it
    passes every check (every figure, hedge, name and, for a reported claim, its speaker
    kept); then the next claims, own words or deletion. Each states a fact, or the next is
    tried. `ranked`: (claim, its shortened text and parse), most important first."""
    for n, (claim, short) in enumerate(ranked[:HEADLINE_CLAIMS]):
        own = _own(claim, short)
        if own:
            return Headline(own, claim.id, "own_words")
        cut = _deleted(claim, short)
        if cut:
            return Headline(cut, claim.id, "deletion")
        if n == 0:
            text, ok = _model_headline(ctx, claim, short.text, injected)
            if ok:
                return Headline(text, claim.id if states(text, claim) else None, "model")
    warnings.append(
        "no headline: no leading claim states a fact in 12 words in its own words or by "
        "deletion, and the model's was too long, cut, said nothing, had a word, number or "
        "name not in its claim, or left out a figure, hedge or superlative of the claim"
    )
    return Headline("", None, "none")
