"""Who speaks: the name a speech verb's subject (or "according to"'s object) stands for, or
its words as written when the article does not settle on one name.

Precision first: a wrong name is far worse than a speaker left as written. A role noun
("his barrister told", "the DIU chief said") is the person the article gives that role to
only when it gives it to exactly one ("his barrister, John Smith,"); "a spokesman for the
trust" is no one the article names, and stays "a spokesman for the trust". A pronoun is
the person just quoted, or the one person it can stand for (candidates.py); otherwise it
stays "he". An organisation is the speaker by its name as written, less "the" ("the
Football Association said" is the Football Association); a group the article names only by
a common noun keeps its words ("the airline", "Police").
"""

from __future__ import annotations

from spacy.tokens import Token

from service.pipeline.claims.candidates import resolve
from service.pipeline.claims.cues import NOUN_PARSED_VERBS, SOURCES, reliable, says_that
from service.pipeline.claims.joint import joined, together
from service.pipeline.claims.people import People, stem, strip_form
from service.pipeline.claims.topics import someone_else_before, topic
from service.pipeline.language import english

_LEX = english()
PERSONAL = _LEX.personal_pronouns
# Pronouns that speak for their writer or a group: kept as written, never a name.
_OTHER_PRONOUNS = _LEX.speaking_pronouns
_NEUTER = _LEX.pronouns["neuter"]
_GROUPS = frozenset({"ORG", "NORP", "GPE", "FAC"})
_INDEFINITE = _LEX.indefinite_determiners
# What hangs off a subject but is not part of naming it: "the minister, who …", ", John
# Smith," (an apposition is read for its name separately), "and …".
_NOT_NAMING = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advmod", "parataxis"})


def speaks(head: Token, verb: Token | None, people: People) -> bool:
    """A subject that can assert something: a person, a group of people, an institution —
    not "the revelations highlight …", which is the outlet's narration. With a verb that
    reports speech in most of its uses, any nominal subject speaks ("the airline said",
    "the father-of-four later said")."""
    lemma = head.lemma_.lower()
    # "High-level meetings signal …": a verb things do too needs someone for its subject
    evidence = verb is not None and verb.lemma_.lower() in _LEX.evidence_verbs
    if verb is not None and (reliable(verb) or says_that(verb)) and not evidence:
        return True  # "One says …", "About four in 10 said …", "Prosecutors alleged that …"
    phrase = head.doc[head.left_edge.i : head.right_edge.i + 1]
    return (
        head.pos_ in ("PROPN", "PRON")
        or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or lemma in SOURCES
        or people.role_holder(lemma) is not None
        # "South Korea's representative to the UN, Hwang Joon-kook, said …"
        or any(e.label_ == "PERSON" for e in phrase.ents)
    )


# What makes an anonymous source a described one: "a White House official", "one person
# with knowledge of the talks", "law enforcement sources" (what `written` keeps of it).
_DESCRIBING = frozenset({"compound", "prep", "poss", "nmod"})


def anonymous(head: Token) -> bool:
    """ "sources said", "officials say", "reports indicate": the article does not say who.
    A source it describes ("a White House official", "one person with knowledge of the
    talks") is someone the reader can place: kept in the article's words, never a name."""
    if (
        head.lemma_.lower() not in _LEX.anonymous_sources
        and head.lower_ not in _LEX.anonymous_sources
    ):
        return False
    return not any(c.dep_ in _DESCRIBING for c in head.children)


def speaker_name(
    head: Token,
    people: People,
    offset: int,
    previous_speaker: str | None = None,
    previous_voice: str | None = None,
) -> str | None:
    """The full name a subject stands for, or its words as written; None when it names no
    one ("sources said"). `previous_speaker`: the previous sentence's, for "He added …";
    `previous_voice`: the pronoun that may carry it on when it is no name (voice_of)."""
    if anonymous(head):
        return None
    low = head.lower_
    if previous_speaker and previous_voice and _continues(head, previous_voice):
        return previous_speaker  # "An NHTCU spokeswoman said … She said …"
    if low in PERSONAL:
        return _pronoun(head, people, offset, previous_speaker)
    if low in _NEUTER and previous_speaker and people.kinds.get(previous_speaker) == "ORG":
        return previous_speaker  # "Microsoft said … It added …"
    if low in _OTHER_PRONOUNS | _NEUTER:
        return head.text
    partners = joined(head, people)
    if partners:
        return together(head, partners[-1])  # "Labour and the Tories claim"
    named = _own_name(head, people)
    if named:
        return named
    if _role_noun(head):
        holder = _holder(people, head.lemma_.lower())  # one holder in the article, or None
        if holder and _fits(head, people.role_words.get(holder, set())):
            return holder
    words = written(head)
    return None if _bare(head, words) else words


def voice_of(head: Token, name: str, people: People) -> str | None:
    """Which pronoun may carry on a speaker the article does not name: "they" for
    "Critics" or a group's plural name ("the Tories"), "she" for "a spokeswoman", "he" or
    "she" for "the lawyer", "he" for an untagged name with a title ("Lord Rennard"); None
    for a person's name (people.gender decides for those) or anything else."""
    if (head.tag_ == "NNPS" or joined(head, people)) and head.lower_ not in PERSONAL:
        return "plural"  # "the Tories insisted … They said": a group by its plural name
    if people.kinds.get(name) is not None or head.lower_ in PERSONAL:
        return None
    lemma = head.lemma_.lower()
    titled = next((g for g, t in _LEX.gender_titles.items() if name.split()[0].lower() in t), None)
    if head.pos_ == "PROPN" and titled:
        return titled  # "Lord Rennard told reporters. He said …": a name the parser missed
    if head.tag_ == "NNS" and lemma in SOURCES - _LEX.anonymous_sources:
        return "plural"
    if head.tag_ != "NN":
        return None
    gender = next((g for g, nouns in _LEX.gendered_nouns.items() if lemma in nouns), None)
    if gender is not None:
        return gender
    return "person" if lemma in _LEX.role_nouns | _LEX.people_nouns else None


def _continues(head: Token, voice: str) -> bool:
    """A speech cue's pronoun subject that can be the previous, unnamed, speaker."""
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if head.lower_ in _LEX.pronouns["plural"]:
        return voice == "plural"
    gender = _LEX.gender_of(head.text) if head.lower_ in PERSONAL else None
    return gender is not None and voice in ("person", gender)


def _bare(head: Token, words: str) -> bool:
    """A lower-case singular noun with nothing to make it someone ("as intelligence
    reveals …"), unlike "the department", "Western intelligence", "analysts", "a spokesman":
    no one in particular."""
    return (
        words == head.text
        and head.tag_ == "NN"
        and head.text.islower()
        and head.lemma_.lower() not in _LEX.role_nouns | _LEX.people_nouns
    )


def _pronoun(head: Token, people: People, offset: int, previous: str | None) -> str:
    """ "He added that …" is the person who spoke last, not whoever was named last
    ("…," Budanov said of Donald Trump. He added …" is Budanov), if the pronoun can be
    them; otherwise the one person it can stand for, else the person the quotation's
    lead-in is about (topics.py), or "he" as written."""
    gender = _LEX.gender_of(head.text)
    if (
        previous is not None
        and people.is_person(previous)
        and people.gender(previous) in (None, gender)
        and not someone_else_before(people, head, offset, previous)
    ):
        return previous
    sure = resolve(head, offset, people)
    if sure.name is not None:
        return sure.name
    return topic(people, head, offset) or head.text


def _holder(people: People, lemma: str) -> str | None:
    """The one person the article gives this office, under this word or one the pack
    lists as the same office ("the spy chief" for "the GUR head, Kyrylo Budanov")."""
    same = next((g for g in _LEX.role_synonyms if lemma in g), frozenset({lemma}))
    holders = set().union(*(people.holders.get(word, set()) for word in same))
    return next(iter(holders)) if len(holders) == 1 else None


def _role_noun(head: Token) -> bool:
    """A singular noun that may name the one person given that role: not "a spokesman"
    (someone new), "the former minister" (another office), or an institution ("the
    department" is no one, whoever the article calls its director)."""
    return (
        head.pos_ == "NOUN"
        and head.tag_ == "NN"
        and head.lemma_.lower() not in _LEX.institutions
        and not (_indefinite(head) or _qualified(head))
    )


def _qualified(head: Token) -> bool:
    """A role said of someone else than its holder may be: "the former minister"."""
    return any(
        mod.dep_ in ("amod", "compound", "nmod") and mod.lower_ in _LEX.role_qualifiers
        for mod in head.lefts
    )


def _fits(head: Token, said_with: set[str]) -> bool:
    """A capitalised word before the role (save an acronym such as "the DIU chief") names
    a party, country or body: "the Tory leader" is not the Labour leader the article named,
    while "the Ukrainian spy chief" is the one it called "Ukraine's ... head"."""
    return all(
        stem(mod.text) in said_with
        for mod in head.lefts
        if mod.dep_ in ("amod", "compound", "nmod") and mod.text[:1].isupper() and not mod.is_upper
    )


def _indefinite(head: Token) -> bool:
    """ "a spokesman for the trust": someone new, never a person named before."""
    return any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in head.children)


def _own_name(head: Token, people: People) -> str | None:
    """The name the subject itself gives: a name it is part of ("Military chief Kirill
    Budanov"), or one in apposition to it ("his barrister, John Smith,") — not a name
    further inside it ("a spokesman for John Smith" is not John Smith)."""
    doc = head.doc
    phrase = doc[head.left_edge.i : head.right_edge.i + 1]
    own = [
        e
        for e in doc.ents
        if e.start <= head.i < e.end
        or any(c.dep_ == "appos" and e.start <= c.i < e.end for c in head.children)
        # set off by commas: "South Korea's representative to the UN, Hwang Joon-kook,"
        or (
            e.label_ == "PERSON"
            and phrase.start < e.start
            and e.end <= phrase.end
            and doc[e.start - 1].text == ","
        )
    ]
    own.sort(key=lambda e: (not (e.start <= head.i < e.end), e.label_ != "PERSON"))
    for ent in own:
        name = people.full(strip_form(ent.text))
        if name:
            return name
    if head.pos_ == "PROPN":
        return people.full(head.text) or people.person_named(head.text)
    return None


def written(head: Token) -> str:
    """The subject's words that name it, as written: "a spokesman for the trust", "the
    airline", "Western intelligence"; a proper name without its "the" ("Football
    Association"). Relative clauses, appositions and what follows a comma are left out."""
    doc = head.doc
    keep = {head.i}
    for child in head.children:
        if child.dep_ not in _NOT_NAMING:
            keep.update(t.i for t in child.subtree)
    if head.dep_ == "compound" and head.head.lower_ in NOUN_PARSED_VERBS:
        # "Western intelligence estimates that …": the verb read as a noun holds "Western"
        keep.update(t.i for t in head.head.lefts if t.dep_ in ("amod", "compound", "nmod"))
    first, last = min(keep), max(keep)
    comma = next((t.i for t in doc[head.i : last + 1] if t.text == ","), None)
    last = comma - 1 if comma is not None else last
    while last + 1 < len(doc) and not doc[last].whitespace_ and doc[last + 1].text not in ",.;:":
        last += 1  # "the father-of-four": one word, however the parser splits it
    while first < head.i and doc[first].is_punct:
        first += 1
    if doc[first].lower_ == "the" and first < head.i and head.ent_type_ in _GROUPS:
        first += 1  # "the Football Association", not "the Prime Minister"
    return doc[first : last + 1].text
