"""Whom a reporter's "he said" means when no rule of candidates.py settles it: the person
the story is about at that point, by the newsroom convention that a quotation's lead-in
names its speaker ("Birmingham manager Steve Bruce insists he does not want to sell.
'A lot is said about him,' he said.").

Each sentence's lead is the subject of its main clause: a phrase naming someone, a "he" or
"she" that carries the story's person on, "the 28-year-old" (a description of them), or
something else. A speaking pronoun is the person the nearest lead names, walking back over
sentences whose lead is the same pronoun, a description or a quotation's own voice, but
never past anything else ("Police arrested Smith. 'He attacked me,' he said." names no
one). Only for a speech cue's subject: a pronoun elsewhere is candidates.py's alone.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from service.pipeline.claims.people import PERSONAL, Lead, People
from service.pipeline.claims.quotes import inside, quoted_spans
from service.pipeline.language import english

_LEX = english()
_REACH = 3  # sentences back a lead may be from the speaking pronoun
_DESCRIPTION = re.compile(r"^the (?:\d+|[a-z]+)[- ]year[- ]old$", re.I)
# "The 28-year-old fractured …" opening a sentence (the parser often misreads its verb), not
# "The 28-year-old man" (someone new).
_OPENS_DESCRIBED = re.compile(
    r"^\W*the (?:\d+|[a-z]+)[- ]year[- ]old (?!\w*(?:man|men|woman|women|boy|girl)\b)", re.I
)
# What in a subject phrase names its head: not a prepositional phrase ("a spokesman for
# John Smith" is not John Smith), nor a possessive ("Savage's future" is no person).
_NAMING = frozenset({"compound", "amod", "det", "appos", "nmod", "punct", "flat"})


def lead_of(doc: Doc, offset: int) -> Lead | None:
    """The subject of the sentence's first main clause outside a quotation; None when no
    clause has one."""
    quoted = quoted_spans(doc.text)
    if _OPENS_DESCRIBED.match(doc.text):
        return Lead(offset, offset, offset, carries=True)
    for root in (t for t in doc if t.dep_ == "ROOT"):
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            continue
        at = offset + subject.idx
        if inside(quoted, subject.idx, subject.idx + len(subject.text)):
            return Lead(at, at, at, carries=True)  # "I am ready," ...: the quotation's speaker
        if subject.lower_ in PERSONAL:
            return Lead(at, at + len(subject.text), at, _LEX.gender_of(subject.text))
        first, last = _naming_span(subject)
        phrase = doc[first : last + 1]
        start, end = offset + phrase.start_char, offset + phrase.end_char
        return Lead(start, end, at, carries=bool(_DESCRIPTION.match(phrase.text)))
    return None


def _naming_span(subject: Token) -> tuple[int, int]:
    keep = {subject.i}
    for child in subject.children:
        if child.dep_ in _NAMING:
            keep.update(t.i for t in child.subtree)
    return min(keep), max(keep)


def topic(people: People, pronoun: Token, offset: int) -> str | None:
    """The person a speaking "he" or "she" continues, or None (see the module's rule)."""
    gender = _LEX.gender_of(pronoun.text)
    if gender not in ("masculine", "feminine"):
        return None
    at = offset + pronoun.idx
    sid = people.sentence_at(at)
    if _named_before(people, sid, at):
        return None  # "After meeting Smith, he said …": candidates.py's to settle
    own = people.leads.get(sid)
    # a sentence the splitter ran on ("Police arrested a fan. 'He hit me,' he said."): its
    # own lead, before the pronoun, comes first
    first = sid if own is not None and own.head < at and not own.carries else sid - 1
    for back in range(first, first - _REACH, -1):
        lead = people.leads.get(back)
        if lead is None:
            return None
        if lead.carries or lead.pronoun == gender:
            continue
        if lead.pronoun is not None:
            return None
        return _named_by(people, lead, gender)
    return None


def someone_else_before(people: People, pronoun: Token, offset: int, name: str) -> bool:
    """A person other than `name` is named in the pronoun's sentence before it, outside a
    quotation ("Matt Lauer faced criticism after he asked …" is no previous speaker's)."""
    at = offset + pronoun.idx
    sid = people.sentence_at(at)
    quoted = people.quotations or []
    return any(
        m.sentence == sid and m.start < at and m.name != name and people.is_person(m.name)
        for m in people.mentions
        if not inside(quoted, m.start, m.end)
    )


def _named_before(people: People, sid: int, at: int) -> bool:
    """Someone is named in the pronoun's own sentence before it, outside a quotation."""
    quoted = people.quotations or []
    return any(
        m.sentence == sid and m.start < at and not inside(quoted, m.start, m.end)
        for m in [*people.mentions, *people.maybe]
        if people.is_person(m.name) or m in people.maybe
    )


def _named_by(people: People, lead: Lead, gender: str) -> str | None:
    """The one person a lead's words name, if the pronoun can be them; None when they name
    no one, several, or a name that may be no person's."""
    if any(m.start <= lead.head < m.end for m in people.maybe):
        return None  # "Hicks said", a name tagged as an organisation: maybe no person
    names = {
        m.name
        for m in people.mentions
        if lead.start <= m.start < lead.end and people.is_person(m.name)
    }
    if len(names) != 1:
        return None
    (name,) = names
    return name if people.gender(name) in (None, gender) else None
