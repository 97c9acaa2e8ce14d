"""What a sentence-opening "It" or "They" stands for: the thing the sentence before was about.

A reader resolves "“It is realistic,” Budanov said" from the sentence before ("…the truce
should be concluded as soon as possible"): a pronoun that opens a sentence (or a quotation)
continues the previous sentence's subject. Only that case is resolved, and only when the
subject agrees in number and is not a person (people are resolved by people.py); anything
less certain is left as written, since a wrong antecedent would put words in a speaker's
mouth. The reported clause's subject comes before the reporting sentence's own ("X said
that the truce…" is about the truce, not X).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from service.pipeline.claims.people import Mention, People

SUBJECT = frozenset({"nsubj", "nsubjpass"})
SINGULAR = frozenset({"it", "its"})
PLURAL = frozenset({"they", "their"})
POSSESSIVE = frozenset({"its", "their"})
_NAMED = frozenset({"GPE", "ORG"})  # "They supply…" after "North Korea …"
# A nationality ("Greek") describes people; it names no one "they" could be.
_MARKS = frozenset("\"“”«»‘’'(—–-")


@dataclass(frozen=True)
class Thing:
    """A non-person subject of a sentence, as written ("the truce", "North Korea")."""

    text: str
    start: int  # offsets in the cleaned text
    end: int
    sentence: int
    plural: bool  # as a referent of "they" (a country or organisation counts as both)
    singular: bool


def _heads(doc: Doc) -> list[Token]:
    """The clauses whose subject a next sentence continues: what was reported, then the
    sentence's main clause."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    reported = [c for r in roots for c in r.children if c.dep_ == "ccomp"]
    return reported + roots


def _chunk(subject: Token) -> Span:
    """The subject's noun phrase without what follows its noun ("the truce", not "the
    truce that…")."""
    return subject.doc[subject.left_edge.i : subject.i + 1]


def _owns(named: Span, head: Token) -> bool:
    """The name is the subject itself or its owner ("North Korea’s aid"), not a name
    somewhere in a misparsed phrase ("The couple, who married in Los Angeles, claimed
    staff …" read as one subject made "They said" Los Angeles)."""
    root = named.root
    return root == head or (root.head == head and root.dep_ in ("poss", "compound"))


def _thing(phrase: Span, offset: int, sid: int) -> Thing | None:
    named = next((e for e in phrase.ents if e.label_ in _NAMED and _owns(e, phrase.root)), None)
    if named is not None:  # "North Korea’s military aid": "they" means North Korea
        text = named.text.removesuffix("’s").removesuffix("'s")
        start = offset + named.start_char
        return Thing(text, start, start + len(text), sid, plural=True, singular=True)
    head = phrase.root
    if head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ == "PERSON":
        return None
    if any(t.pos_ == "PRON" or t.tag_ == "PRP$" for t in phrase):
        return None  # "Their pensions": itself waits for a referent
    if head.tag_ == "NNS" and not any(t.dep_ in ("det", "poss", "nummod") for t in phrase):
        return None  # "People", "Indie stalwarts": people in general, or a description
    start = offset + phrase.start_char
    plural = head.tag_ in ("NNS", "NNPS")
    return Thing(phrase.text, start, start + len(phrase.text), sid, plural, not plural)


def subjects(doc: Doc, offset: int, sid: int, people: People) -> list[Thing]:
    """Non-person subjects of a sentence, the likeliest referent first."""
    found: list[Thing] = []
    for head in _heads(doc):
        for subject in (c for c in head.children if c.dep_ in SUBJECT):
            phrase = _chunk(subject)
            if (
                subject.pos_ == "PRON"
                or people.full(phrase.text)
                or people.person_named(phrase.text)
            ):
                continue
            thing = _thing(phrase, offset, sid)
            if thing is not None:
                found.append(thing)
    return found


def opens_clause(tok: Token) -> bool:
    """Only quotation marks or dashes before it in the sentence."""
    return all(t.text in _MARKS for t in tok.doc[: tok.i])


def antecedent(tok: Token, before: list[Thing]) -> Thing | None:
    """What a sentence-opening "It"/"They"/"Its"/"Their" stands for, if the previous
    sentence makes it plain."""
    low = tok.lower_
    if low not in SINGULAR | PLURAL or not opens_clause(tok):
        return None
    if low in POSSESSIVE and tok.dep_ != "poss":
        return None
    if low not in POSSESSIVE and tok.dep_ not in SUBJECT:
        return None  # "It is said that…" and the like: expletive or object
    plural = low in PLURAL
    agree = [t for t in before if (t.plural if plural else t.singular)]
    # Two subjects it may continue: neither is sure (a wrong antecedent misquotes).
    return agree[0] if len({t.text for t in agree}) == 1 else None


def as_mention(thing: Thing) -> Mention:
    return Mention(thing.text, thing.start, thing.end, thing.sentence)


def replacement(tok: Token, thing: Thing, quoted: bool) -> str:
    text = thing.text
    if tok.lower_ in POSSESSIVE:
        text += "’" if thing.plural and not thing.singular and text.endswith("s") else "’s"
    if tok.text[:1].isupper():
        text = text[:1].upper() + text[1:]
    return f"[{text}]" if quoted else text
