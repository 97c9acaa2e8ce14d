"""Whether a statement denies or disputes what it reports, from its dependency parse.

"North Korea called the U.S. accusations of transferring missiles groundless" shares the
words and most of the meaning of "North Korea transferred missiles", yet it disputes that
fact: grouped with it, a denial would be shown as one more outlet confirming it. A
statement denies when a denial verb takes a reported proposition ("denied that ...",
"rejected the accusations"), when a word of falsehood is said of one ("called the
accusations groundless", "the claims are false"), or when it finds no evidence or sign of
one ("no evidence that ...", "don't see any signs that ..."). Plain negation is not a
denial: "It is not difficult" or "will not stop" state facts of their own, which another
outlet may restate in like words.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from service.pipeline.language import english

# The word lists are the language pack's (en.yaml `story`).
_WORDS = english().story
_DISPUTE = _WORDS.dispute_verbs  # its object is always a claim: "denied that ..."
_DISPUTE_CLAIM = _WORDS.dispute_claim_verbs  # a claim only: "rejected the accusations"
_FALSE = _WORDS.falsehood_words
_CLAIM_NOUN = _WORDS.claim_nouns
_CALL = _WORDS.calling_verbs  # "called X groundless"
_EVIDENCE = _WORDS.evidence_nouns


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" for c in t.children)


def _claim(t: Token, deps: tuple[str, ...] = ("dobj", "ccomp", "nsubjpass")) -> bool:
    """The verb takes a claim noun or a clause as what it disputes (or, with "nsubj", as
    what is said to be false: "the reports were false")."""
    return any(
        c.lemma_.lower() in _CLAIM_NOUN or (c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"))
        for c in t.children
        if c.dep_ in deps
    )


def _disputes(t: Token) -> bool:
    lemma = t.lemma_.lower()
    if t.pos_ != "VERB" or _negated(t):  # "did not deny" disputes nothing
        return False
    return lemma in _DISPUTE or (lemma in _DISPUTE_CLAIM and _claim(t))


def _falsehood(t: Token) -> bool:
    """A word of falsehood said of a claim: the adjective of a claim noun ("the groundless
    accusations"), a predicate ("X is false"), or any word of a clause calling a claim so
    (the parser often hangs "called the accusations of ... groundless" on the inner verb)."""
    if t.lower_ not in _FALSE:
        return False
    if t.dep_ == "amod":
        return t.head.lemma_.lower() in _CLAIM_NOUN
    verbs = [a for a in t.ancestors if a.pos_ in ("VERB", "AUX")]
    if verbs and _negated(verbs[0]):  # "did not call it groundless"
        return False
    # said of a claim ("the reports were false"), not of anything ("stereotypes that are
    # untrue" disputes no one's statement)
    return any(
        v.lemma_.lower() in _CALL or _claim(v, ("dobj", "nsubj", "nsubjpass")) for v in verbs
    )


def _no_evidence(t: Token) -> bool:
    """Finding no evidence of a claim: "no evidence that ...", "don't see any signs that"."""
    if t.lemma_.lower() not in _EVIDENCE:
        return False
    return any(c.lower_ == "no" for c in t.children) or (
        t.dep_ in ("dobj", "attr") and _negated(t.head)
    )


def denial(tokens: Iterable[Token]) -> str:
    """The word that makes the statement a denial ("groundless", "denied"), else ""."""
    for t in tokens:
        if _disputes(t) or _falsehood(t) or _no_evidence(t):
            return t.text
    return ""
