"""Who the article names, and how a reader resolves "he", "the DIU chief" or "Budanov".

Built once per article from the parsed sentences: every person or organisation mention in
order, grouped into one referent per name (surname and spelling variants: Kyrylo/Kirill
Budanov), and the roles the article gives a person ("Ukraine's military intelligence chief,
Kyrylo Budanov" makes "the chief of the GUR" and "the DIU chief" him).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from service.pipeline.claims.entities import same_name

# Nouns that name a position a person holds: a bare "the chief" points at a person.
ROLE_NOUNS = frozenset(
    "chief head director commander minister president spokesman spokeswoman spokesperson "
    "official leader general adviser advisor secretary ambassador chairman governor".split()
)
_POSSESSIVE_END = re.compile(r"[’']s?$")
_LEADING_MARKS = re.compile(r"^[\W_]+")
PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
POSSESSIVE = frozenset({"his", "her", "hers"})


@dataclass(frozen=True)
class Mention:
    name: str  # the referent's full name
    start: int  # offsets in the cleaned text (of the words that name it)
    end: int
    sentence: int


@dataclass
class People:
    """Person and organisation referents of one article, with every mention in order."""

    names: dict[str, str] = field(default_factory=dict)  # surface form -> full name
    kinds: dict[str, str] = field(default_factory=dict)  # full name -> PERSON | ORG
    roles: dict[str, str] = field(default_factory=dict)  # role noun -> full name
    mentions: list[Mention] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def full(self, form: str) -> str | None:
        return self.names.get(" ".join(form.split()))

    def last_person(self, before: int) -> Mention | None:
        """The person most recently named before an offset: whom a reader takes "he" for."""
        found = None
        for m in self.mentions:
            if m.start >= before:
                break
            if self.kinds.get(m.name) == "PERSON":
                found = m
        return found

    def person_named(self, word: str) -> str | None:
        """The person a bare surname or name stands for ("Budanov")."""
        known = self.full(word)
        if known:
            return known
        return next(
            (n for n, k in self.kinds.items() if k == "PERSON" and same_name(word, n)), None
        )

    def is_person(self, name: str) -> bool:
        return self.kinds.get(name) == "PERSON"

    def first_mention(self, name: str) -> Mention | None:
        return next((m for m in self.mentions if m.name == name), None)

    def main_person(self) -> str | None:
        people = [(n, c) for n, c in self.counts.most_common() if self.kinds.get(n) == "PERSON"]
        return people[0][0] if people else None

    def role_holder(self, lemma: str) -> str | None:
        """The person a bare role noun (its lemma) stands for: the role the article gave
        someone, else the article's most-named person when the noun is a position title."""
        if lemma in self.roles:
            return self.roles[lemma]
        return self.main_person() if lemma in ROLE_NOUNS else None


def strip_form(text: str) -> str:
    """A name as written, less bullets or dashes before it and a possessive after it."""
    form = _POSSESSIVE_END.sub("", _LEADING_MARKS.sub("", " ".join(text.split())))
    return form[4:] if form.lower().startswith("the ") else form


def _is_name(ent: Span) -> bool:
    # A name has a capitalised word; spaCy's small model tags "Jan." or "KN" now and then.
    words = [t for t in ent if t.is_alpha]
    return bool(words) and any(t.text[0].isupper() for t in words) and len(ent.text) > 2


def _clean(ent: Span) -> Span:
    """Drop a possessive ending and a leading article ("the United States's" → "United States")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    if end > start and doc[start].lower_ == "the":
        start += 1
    return doc[start:end]


_TITLE_WORDS = frozenset(
    "intelligence defense defence ministry agency council directorate office service forces "
    "army chief head president minister general spokesman director commander".split()
)


def _person_in_title(ent: Span) -> Span | None:
    """ "Ukraine’s Defense Intelligence Kyrylo Budanov", tagged as one name: the person is the
    two capitalised words after the title."""
    tokens = list(ent)
    if len(tokens) > 2 and any(t.lower_ in _TITLE_WORDS for t in tokens[:-2]):
        last = tokens[-2:]
        # "US Defense Intelligence Agency" is an organisation: its last words are no name.
        if all(
            t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in _TITLE_WORDS
            for t in last
        ):
            return ent.doc[ent.end - 2 : ent.end]
    return None


def _role_of(ent: Span) -> str | None:
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
    return None


@dataclass
class PeopleBuilder:
    """Fed one parsed sentence at a time (the parse is not kept: a long article's parse
    would not fit in memory), then `done()` once every sentence was seen."""

    people: People = field(default_factory=People)
    # Bare singular nouns that may be roles ("the spy chief"), resolved once every role
    # the article gives someone is known: (lemma, start, end, sentence).
    nouns: list[tuple[str, int, int, int]] = field(default_factory=list)

    def add(self, doc: Doc, offset: int, sid: int, heading: bool) -> None:
        # Headings are no source of names: a capitalised title parses as one long
        # "organisation".
        if not heading:
            _names_in(self.people, doc, offset, sid)
        for tok in doc:
            if tok.pos_ == "NOUN" and tok.tag_ == "NN" and not tok.ent_type_:
                start = offset + tok.idx
                self.nouns.append((tok.lemma_.lower(), start, start + len(tok.text), sid))

    def done(self) -> People:
        # A bare role names its holder as surely as the name: it counts for whom a later
        # "he" means.
        people = self.people
        for lemma, start, end, sid in self.nouns:
            holder = people.role_holder(lemma)
            if holder:
                people.mentions.append(Mention(holder, start, end, sid))
        people.mentions.sort(key=lambda m: m.start)
        return people


def _names_in(people: People, doc: Doc, offset: int, sid: int) -> None:
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or not _is_name(ent):
            continue
        label, ent = ent.label_, _clean(ent)
        person = _person_in_title(ent)
        if person is not None:
            label, ent = "PERSON", person
        form = strip_form(ent.text)
        if not form:
            continue
        name = _referent(people, form, label)
        start = offset + ent.start_char
        people.mentions.append(Mention(name, start, start + len(form), sid))
        people.counts[name] += 1
        role = _role_of(ent) if label == "PERSON" else None
        if role:
            people.roles.setdefault(role, name)


def _referent(people: People, form: str, kind: str) -> str:
    """The full name a surface form belongs to; the first full name wins (a later
    "Budanov" or "Kirill Budanov" joins "Kyrylo Budanov")."""
    form = " ".join(form.split())
    known = people.names.get(form)
    if known:
        return known
    for full, k in people.kinds.items():
        if k == kind and same_name(form, full):
            if len(form.split()) > len(full.split()):  # a fuller form arrives later
                _rename(people, full, form)
                full = form
            people.names[form] = full
            return full
    people.names[form] = form
    people.kinds[form] = kind
    return form


def _rename(people: People, old: str, new: str) -> None:
    people.kinds[new] = people.kinds.pop(old)
    for form, full in list(people.names.items()):
        if full == old:
            people.names[form] = new
    people.mentions = [
        Mention(new, m.start, m.end, m.sentence) if m.name == old else m for m in people.mentions
    ]
    people.counts[new] += people.counts.pop(old, 0)
    for role, full in list(people.roles.items()):
        if full == old:
            people.roles[role] = new
