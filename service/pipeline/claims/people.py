"""Who the article names, and how a reader resolves "he", "the DIU chief" or "Budanov".

`People` holds every person or organisation mention in order, one referent per name
(surname and spelling variants: Kyrylo/Kirill Budanov), the roles and genders the article
gives a person, and its quotations; naming.py builds it from the parsed sentences. `pool`
gives the mentions a pronoun may stand for (candidates.py decides among them).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Token

from service.pipeline.claims.entities import same_name
from service.pipeline.language import english

_LEX = english()
# Nouns that name a position a person holds: a bare "the chief" points at a person.
ROLE_NOUNS = _LEX.role_nouns
_POSSESSIVE_END = re.compile(r"[’']s?$")
_LEADING_MARKS = re.compile(r"^[\W_]+")
# he/she and their forms that stand for a person named elsewhere (reflexives never do).
PERSONAL = frozenset(w for w in _LEX.personal_pronouns if not w.endswith("self"))
POSSESSIVE = PERSONAL & _LEX.possessive_pronouns
WINDOW = 3  # sentences before a pronoun's own whose names it may stand for
_CONFLICT = "conflicting"  # the article shows both genders for one name: unknown
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "iobj", "attr", "oprd"})


@dataclass(frozen=True)
class Mention:
    name: str  # the referent's full name
    start: int  # offsets in the cleaned text (of the words that name it)
    end: int
    sentence: int
    subject: bool = False  # the subject of its clause (salience)


@dataclass(frozen=True)
class Lead:
    """A sentence's main subject: its naming words (offsets in the cleaned text), or the
    gender of a "he"/"she", or a description, or a quotation's own voice."""

    start: int
    end: int
    head: int  # where the subject's head word starts
    pronoun: str | None = None  # "masculine" / "feminine" for he / she
    carries: bool = False  # a description or the quotation's own voice: the chain goes on


@dataclass
class People:
    """Person and organisation referents of one article, with every mention in order."""

    names: dict[str, str] = field(default_factory=dict)  # surface form -> full name
    kinds: dict[str, str] = field(default_factory=dict)  # full name -> PERSON | ORG
    roles: dict[str, str] = field(default_factory=dict)  # role noun -> its first holder
    holders: dict[str, set[str]] = field(default_factory=dict)  # role noun -> every holder
    role_words: dict[str, set[str]] = field(default_factory=dict)  # holder -> stem() words
    mentions: list[Mention] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    genders: dict[str, str] = field(default_factory=dict)  # full name -> what the article shows
    # Names that may be a person's: an organisation tag on a plain name ("Hicks"), a
    # capitalised name no tag covers. Never a referent; they keep a pronoun ambiguous.
    maybe: list[Mention] = field(default_factory=list)
    # Quotations (cleaned-text spans), None until the builder saw the whole text.
    quotations: list[tuple[int, int]] | None = None
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, sentence id)
    paragraphs: list[int] = field(default_factory=list)  # where each paragraph starts
    leads: dict[int, Lead] = field(default_factory=dict)  # sentence id -> its main subject
    ambiguous: set[str] = field(default_factory=set)  # forms more than one referent fits

    def sentence_at(self, at: int) -> int:
        """The id of the sentence holding an offset (0 before any)."""
        i = bisect.bisect_right(self.starts, (at, 1 << 62)) - 1
        return self.starts[i][1] if i >= 0 else 0

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
        """The person a bare surname or name stands for ("Budanov"): its own referent, or the
        one person it fits. Two people of that surname, and it names no one: the first of them
        would be a guess. A name the parser tagged as an organisation keeps that referent:
        taking it for the one person of that surname ("Machado" for "Universe Alicia
        Machado", PolNeAR dev breitbart 09-30) made it a mention, and the next "She tweeted"
        went to her instead of staying open between her and Hillary Clinton."""
        known = self.full(word)
        if known:
            return known
        found = {n for n, k in self.kinds.items() if k == "PERSON" and same_name(word, n)}
        return found.pop() if len(found) == 1 else None

    def is_person(self, name: str) -> bool:
        return self.kinds.get(name) == "PERSON"

    def first_mention(self, name: str) -> Mention | None:
        return next((m for m in self.mentions if m.name == name), None)

    def main_person(self) -> str | None:
        people = [(n, c) for n, c in self.counts.most_common() if self.kinds.get(n) == "PERSON"]
        return people[0][0] if people else None

    def role_holder(self, lemma: str) -> str | None:
        """The person a bare role noun (its lemma) stands for: the one person the article
        gave that role. Two holders, or none, and "the minister" stays as written (it was
        the article's most-named person, whatever office they hold)."""
        holders = self.holders.get(lemma, set())
        return next(iter(holders)) if len(holders) == 1 else None

    def gender(self, name: str) -> str | None:
        found = self.genders.get(name)
        return None if found == _CONFLICT else found

    def learn_gender(self, name: str, gender: str) -> None:
        known = self.genders.get(name)
        self.genders[name] = gender if known in (None, gender) else _CONFLICT

    def close(self, m: Mention, at: int, sentence: int) -> bool:
        """Named in the pronoun's sentence, the WINDOW before, or its paragraph."""
        paragraph = max((p for p in self.paragraphs if p <= at), default=0)
        return m.sentence >= sentence - WINDOW or m.start >= paragraph

    def persons_near(self, at: int, sentence: int, wide: bool = True) -> list[Mention]:
        """Mentions of people and maybe-people before an offset (in its sentence, the WINDOW
        before or, `wide`, its paragraph), after it in its sentence, and (`wide`) the
        article's most-named person so far wherever named (a "he" pages later may be them)."""
        people = [m for m in self.mentions if self.is_person(m.name)]
        before = Counter(m.name for m in people if m.start < at)
        top = [n for n, c in before.most_common(1) if c >= 2] if wide else []
        return [
            m
            for m in people + self.maybe
            if m.sentence == sentence
            or (m.start < at and (m.sentence >= sentence - WINDOW or m.name in top))
            or (wide and m.start < at and self.close(m, at, sentence))
        ]


def strip_form(text: str) -> str:
    """A name as written, less bullets or dashes before it and a possessive after it."""
    form = _POSSESSIVE_END.sub("", _LEADING_MARKS.sub("", " ".join(text.split())))
    return form[4:] if form.lower().startswith("the ") else form


def excluded(pronoun: Token, other: Token) -> bool:
    """Names a plain pronoun cannot stand for in its own sentence: another argument of its
    own verb ("He hugged David", "David hugged him"). A possessive may ("David hugged his
    mother"). A name further inside the pronoun's clause ("He said David was wrong") stays
    a candidate: barring it would trust the parse to pick someone else."""
    if pronoun.dep_ not in _ARGUMENTS or pronoun.i == other.i:
        return False
    return pronoun.head == other.head and other.dep_ in _ARGUMENTS


def pool(people: People, tok: Token, offset: int, sid: int, wide: bool = True) -> list[Mention]:
    """The mentions a personal pronoun may stand for: people (and maybe-people) named
    before it, in its sentence or the WINDOW before, or after it in its sentence."""
    doc = tok.doc
    near = people.persons_near(offset + tok.idx, sid, wide)
    barred = set()  # a name barred once is barred everywhere: "David … He hugged David"
    commanded = set()  # maybe-names the pronoun's clause governs ("He added that Ukraine …")
    for m in near:
        if m.sentence == sid:
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or excluded(tok, span.root):
                barred.add(m.name)
            elif m in people.maybe and _governs(tok, span.root):
                commanded.add(m)
    return [m for m in near if m.name not in barred and m not in commanded]


def _governs(pronoun: Token, other: Token) -> bool:
    """A subject pronoun's clause holds the other word, after it: the pronoun cannot stand
    for it (binding principle C). Used only to keep a maybe-person from blocking; a real
    person named there still does, as the parse may be wrong."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass") or other.i <= pronoun.i:
        return False
    return other in pronoun.head.subtree


def stem(word: str) -> str:
    """A crude stem that joins a country and its adjective ("Ukraine", "Ukrainian")."""
    return word.lower()[:5]
