"""The words a story compares a claim by, and who it may name as a statement's speaker.

The pipeline makes a claim read alone by putting a name where the article wrote a pronoun
("He said" -> "Budanov said"). Across articles a wrong name does double harm: the claim
joins the other man's facts, and the cluster repeats the wrong name as the shared fact. So
a claim whose referents are in doubt is compared (and shown) in its own words, the
article's: every substitution is undone when the claim keeps a pronoun the article leaves
open (`unresolved`: several people it may stand for), or when a referent was not found by
the rules in the source (a substitution without a source span: the model's bracketed guess,
"[Artillery ammunition]" for "This").
"""

from __future__ import annotations

from collections.abc import Iterable

from service.pipeline.models import Claim
from service.pipeline.reading.nlp import parse_each

UNNAMED = "an unnamed speaker"  # who a pronoun speaker is, to a reader of several articles


def doubtful(claim: Claim) -> bool:
    """Its referents are in doubt: an open pronoun in what it states, or a replacement the
    rules did not find in the source. An open pronoun that is only its speaker ("..., he
    said") is left out of the comparison anyway (facts.py) and puts no other referent in
    doubt."""
    cue = claim.attribution.cue_span if claim.attribution is not None else None
    stated = [
        u
        for u in claim.unresolved
        if cue is None or not (cue.start <= u.span.start and u.span.end <= cue.end)
    ]
    return bool(stated) or any(s.span is None for s in claim.substitutions)


def own_words(claim: Claim) -> str:
    """The claim with every replacement put back to the words the article wrote, in order:
    each substitution's replacement at or after where the previous one was undone."""
    text, at = claim.text, 0
    for sub in claim.substitutions:
        where = text.find(sub.replacement, at)
        if where < 0:
            where = text.find(sub.replacement)
        if where < 0 or not sub.replacement:
            continue
        text = text[:where] + sub.original + text[where + len(sub.replacement) :]
        at = where + len(sub.original)
    return text


def compared_text(claim: Claim) -> str:
    """What the story compares and shows: the article's own words when a referent is in
    doubt, else the claim as the pipeline wrote it."""
    return own_words(claim) if doubtful(claim) else claim.text


def pronoun_speakers(speakers: Iterable[str]) -> frozenset[str]:
    """The speakers that are only pronouns ("I", "he", "we"), as the parser tags them: a
    pronoun kept as written names no one a reader of several articles can place."""
    unique = sorted(set(speakers))
    return frozenset(
        s
        for s, doc in zip(unique, parse_each(unique), strict=True)
        if len(doc) > 0 and all(t.pos_ == "PRON" or t.is_punct for t in doc)
    )
