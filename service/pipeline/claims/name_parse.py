"""What one parsed name says by itself: whether it is a name at all, its words without a
possessive or "the", a person hidden in a title ("Ukraine's Defense Intelligence Kyrylo
Budanov"), the role and gender the sentence gives a person, whether its words make it an
organisation's, and whether it is its clause's subject. naming.py reads the article's names
with these.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from service.pipeline.claims.people import ROLE_NOUNS
from service.pipeline.language import english

_LEX = english()


def is_name(ent: Span) -> bool:
    # A name has a capitalised word; spaCy's small model tags "Jan." or "KN" now and then.
    words = [t for t in ent if t.is_alpha]
    return bool(words) and any(t.text[0].isupper() for t in words) and len(ent.text) > 2


def clean_name(ent: Span) -> Span:
    """Drop a possessive ending and a leading article ("the United States's" → "United States")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    if end > start and doc[start].lower_ == "the":
        start += 1
    return doc[start:end]


def person_in_title(ent: Span) -> Span | None:
    """ "Ukraine’s Defense Intelligence Kyrylo Budanov", tagged as one name: the person is the
    two capitalised words after the title."""
    tokens = list(ent)
    if len(tokens) > 2 and any(t.lower_ in _LEX.title_words for t in tokens[:-2]):
        last = tokens[-2:]
        # "US Defense Intelligence Agency" is an organisation: its last words are no name.
        if all(
            t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _LEX.title_words
            for t in last
        ):
            return ent.doc[ent.end - 2 : ent.end]
    return None


def role_of(ent: Span) -> str | None:
    """The position noun the sentence gives a person: "…chief, Kyrylo Budanov" (apposition)
    or "spy chief Kyrylo Budanov" (a title right before the name)."""
    root = ent.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        return root.head.lemma_.lower()
    for child in root.head.children if root.dep_ == "appos" else ():
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return child.lemma_.lower()
    if ent.start > 0:
        before = ent.doc[ent.start - 1]
        if before.pos_ == "NOUN" and before.lemma_.lower() in ROLE_NOUNS:
            return before.lemma_.lower()
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return child.lemma_.lower()
    # "chief of Ukraine’s Defense Intelligence Kyrylo Budanov": the name ends the role's
    # "of" phrase.
    prep = root.head if root.dep_ == "pobj" else None
    if prep is not None and prep.lower_ == "of" and prep.head.lemma_.lower() in ROLE_NOUNS:
        return prep.head.lemma_.lower() if prep.head.pos_ == "NOUN" else None
    return None


def org_like(form: str) -> bool:
    """A name an organisation's words make one ("Rostrum Group Ltd.", "BBC")."""
    words = form.replace(".", " ").split()
    return (form.isupper() and len(form) > 1) or any(
        w.lower() in _LEX.organisation_words | _LEX.institutions for w in words
    )


def is_subject(tok: Token) -> bool:
    """The subject of its clause, one of several ("Hale and Ortiz both spoke"), or the
    name in apposition to it ("His party leader, Michael Howard, argued")."""
    subjects = ("nsubj", "nsubjpass")
    return tok.dep_ in subjects or (tok.dep_ in ("conj", "appos") and tok.head.dep_ in subjects)


def shown_gender(ent: Span, role: str | None) -> list[str]:
    """Genders a title or a describing noun gives the named person ("Mrs Smith", "her
    father, Philip", "actress Jane Doe")."""
    doc = ent.doc
    words = [role] if role else []
    if ent.start > 0:
        words.append(doc[ent.start - 1].lower_)
    words += [t.lower_ for t in ent if t.i < ent.root.i]  # "Mrs" tagged inside the name
    found = []
    for gender in ("masculine", "feminine"):
        signs = _LEX.gender_titles.get(gender, frozenset()) | _LEX.gendered_nouns.get(
            gender, frozenset()
        )
        if any(w in signs for w in words):
            found.append(gender)
    return found
