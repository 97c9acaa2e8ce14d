"""The words that attribute a sentence: a speech or writing verb and its speaker, or
"according to X".

Which verbs report speech is data (the language pack): the seeds' hand list, and the cue
inventory derived from PolNeAR's train split (scripts/cue_inventory.py). A verb that is a
cue in most of its uses ("said", "insisted", "vowed") is one wherever it heads a clause
with a subject; a verb that is a cue only some of the time ("responded", "threatened") is
one when it reports something: a clause ("responded that ...", "threatened to ..."), a
quotation, or a colon before one.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from service.pipeline.claims.cue_frames import (
    REPORTS,
    aside,
    belief,
    characterises,
    quoted_person,
    reports_through,
)
from service.pipeline.claims.quotes import quoted_spans
from service.pipeline.language import english

_LEX = english()
# "Western intelligence estimates that …" parses "estimates" as a noun heading the sentence.
NOUN_PARSED_VERBS = _LEX.noun_parsed_verbs
# Nouns that name someone who can speak: a person by position or kind, an institution,
# and the nouns heading PolNeAR train's annotated sources ("campaign", "aide").
SOURCES = (
    _LEX.institutions
    | _LEX.anonymous_sources
    | _LEX.role_nouns
    | _LEX.people_nouns
    | _LEX.source_nouns
)
_CLOSING = frozenset(english().quote_marks.values())
_OPENING = frozenset(english().quote_marks)
_MODIFIERS = frozenset({"acl", "amod", "advcl", "pcomp", "npadvmod"})
# A subject after its verb, where the parser reads it as an object: "…,' said the minister".
_INVERTED = frozenset({"dobj", "attr", "oprd"})


def cue_key(verb: Token) -> str:
    """A verb's lemma, with its particle when it has one ("hit back", "point out"): how the
    inventory lists it."""
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    return f"{verb.lemma_.lower()} {prt.lower_}" if prt is not None else verb.lemma_.lower()


def reliable(verb: Token) -> bool:
    """A verb that reports speech in most of its uses: its subject speaks, whoever it is
    ("the airline said", "the father-of-four later said")."""
    return cue_key(verb) in _LEX.cue_verbs or verb.lemma_.lower() in _LEX.cue_verbs


def reports_speech(verb: Token) -> bool:
    """A verb that reports speech whatever follows it: a speech verb or a reliable cue."""
    return verb.pos_ in ("VERB", "AUX") and (
        verb.lemma_.lower() in _LEX.speech_verbs or reliable(verb)
    )


def is_cue(verb: Token) -> bool:
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    lemma, key = verb.lemma_.lower(), cue_key(verb)
    if reports_speech(verb) or belief(verb) or characterises(verb) or reports_through(verb):
        return True
    if key not in _LEX.cue_verbs_clausal and lemma not in _LEX.cue_verbs_clausal:
        return False
    return _reports(verb)


def _reports(verb: Token) -> bool:
    """The verb reports something: a clause, a quotation it frames (the parser hangs the
    quotation's marks on the verb that introduces it), or a colon."""
    if any(c.dep_ in REPORTS or c.is_quote for c in verb.children):
        return True
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return after is not None and after.text == ":"


def _active(verb: Token) -> bool:
    """ "…, it said": an active verb that reports speech on its own has a real "it" for its
    subject (an organisation), unlike "it is said" or "it was reported"."""
    return reliable(verb) and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def says_that(verb: Token) -> bool:
    """The verb reports a that-clause or a quotation: whoever its subject is, it speaks
    ("Prosecutors have alleged that …")."""
    return any(
        (c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children))
        or c.is_quote
        for c in verb.children
    )


def quoted_chars(text: str, opens_quoted: bool) -> list[tuple[int, int]]:
    """The sentence's quoted character spans; a sentence that opens inside a quotation
    begun before it is quoted up to its first closing mark (or to its end)."""
    # Only a quotation that closes and opens with a mark of its own: scraped text mixes
    # marks (“…") and puts no-break spaces before them, and a quotation misread as running
    # from the sentence's start, or to its end, would take the cue ("the group wrote") in.
    spans = [
        (a, b)
        for a, b in quoted_spans(text.replace("\xa0", " "))
        if (text[b - 1] in _CLOSING or _reopened(text, b)) and (text[a] in _OPENING or opens_quoted)
    ]
    if opens_quoted and not any(a == 0 for a, _ in spans):
        # up to the first closing mark: not the sentence's own opening one
        skip = 1 if text[:1] in _OPENING else 0
        close = next((i for i, ch in enumerate(text) if ch in _CLOSING and i >= skip), len(text))
        spans.append((0, close + 1))
    return spans


def _reopened(text: str, end: int) -> bool:
    """A quotation ended by the next one opening ('"A. "B."', see quotes.py)."""
    rest = text[end:].lstrip()
    return rest[:1] in _OPENING and end < len(text)


def speech_verb(doc: Doc, opens_quoted: bool = False) -> tuple[Token, Token | None] | None:
    """The sentence's speech verb and its subject, the main clause's first; the subject is
    None for a passive without an agent ("it is reported that …"). A verb inside a
    quotation is the quoted speaker's word ("“We said we would win”"), no cue."""
    quoted = quoted_chars(doc.text, opens_quoted)
    verbs = [
        t
        for t in doc
        if (is_cue(t) or (t.dep_ == "ROOT" and t.lower_ in NOUN_PARSED_VERBS))
        and not _inside(t, quoted)
        and not aside(t)
    ]
    # A verb that reports speech in most of its uses before one that only may ("…, the
    # senator said, the media considered him …"); then the main clause's.
    verbs.sort(key=lambda t: (not reliable(t), t.dep_ != "ROOT", t.i))
    for verb in verbs:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        quoted_one = quoted_person(verb, passive)
        if quoted_one is not None:
            return verb, quoted_one
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subject = _subject(doc, verb, agent, passive, quoted)
        if subject is not None and _inside(subject, quoted):
            # "“My apologies, I'm sorry,” said Quick": the quotation is no speaker
            subject = _inverted_subject(verb)
        if subject is None and not passive:
            continue
        if passive and agent is None:
            return verb, None
        return verb, subject
    return None


def _inside(tok: Token, quoted: list[tuple[int, int]]) -> bool:
    return any(a <= tok.idx < b for a, b in quoted)


def _subject(
    doc: Doc, verb: Token, agent: Token | None, passive: bool, quoted: list[tuple[int, int]]
) -> Token | None:
    subjects = [
        c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not _inside(c, quoted)
    ]
    # "Formerly one of Mr Brown's aides, Ed Balls hinted …": a fronted description read as
    # a second subject; the name is the speaker
    named = [c for c in subjects if c.ent_type_ == "PERSON"]
    subject = named[0] if len(subjects) > 1 and len(named) == 1 else next(iter(subjects), None)
    if subject is not None and subject.lower_ in _LEX.expletive_subjects and not _active(verb):
        subject = None
    if agent is not None:
        subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
    if subject is None and not passive and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp"):
        # "Budanov remains hopeful, believing that …", "… by criticizing the fact-checkers":
        # the clause shares its host's subject.
        host = verb.head.head if verb.head.dep_ == "prep" else verb.head
        subject = _host_subject(host)
    if subject is None and not passive:
        subject = (
            _after_quotation(doc, verb, quoted)
            or _inverted_subject(verb)
            or _misparsed_subject(doc, verb)
        )
    if subject is not None and subject.tag_ in ("WDT", "WP"):
        subject = _antecedent(subject)  # "the Huffington Post, which said …"
    return subject


def _host_subject(host: Token) -> Token | None:
    """The subject a clause shares with its host: the host's, or the first verb's for a
    host coordinated with it ("Dean appeared on MSNBC and began by saying …"); a passive
    host's too ("After saying her foot was swollen, she was whisked off")."""
    coordinated = host.dep_ == "conj" and host.pos_ == host.head.pos_ == "VERB"
    for verb in (host, host.head) if coordinated else (host,):
        found = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if found is not None:
            return found
    return None


_PHRASE = frozenset({"compound", "det", "amod", "poss", "nmod"})


def _after_quotation(doc: Doc, verb: Token, quoted: list[tuple[int, int]]) -> Token | None:
    """ "''…,'' Mr. Daniloff, now 81, said", "''…, Mr. President,'' Representative Steve
    Cohen told …": the parser hangs the speaker named right after the quotation on another
    word (the quoted "Mr. President", a clause of the apposition) and leaves the verb no
    subject of its own: the phrase that opens after the quotation, when it names someone."""
    ends = [b for _a, b in quoted if b <= verb.idx]
    first = next((t for t in doc if ends and t.idx >= max(ends) and not t.is_punct), None)
    if first is None or first.i >= verb.i:
        return None
    head = first
    while head.dep_ in _PHRASE and verb.i > head.head.i > head.i:
        head = head.head
    return head if head.pos_ == "PROPN" or head.lemma_.lower() in SOURCES else None


def _antecedent(relative: Token) -> Token | None:
    """The noun a "who" or "which" hangs on: the relative clause's head, or the noun right
    before it (the parser may attach the clause elsewhere)."""
    clause = next((t for t in relative.ancestors if t.dep_ == "relcl"), None)
    if clause is not None and clause.head.pos_ in ("NOUN", "PROPN"):
        return clause.head if someone(clause.head) else None
    before = relative.doc[relative.i - 1] if relative.i > 0 else None
    if before is not None and before.text == ",":
        before = relative.doc[relative.i - 2] if relative.i > 1 else None
    found = before is not None and before.pos_ in ("NOUN", "PROPN") and someone(before)
    return before if found else None


def someone(noun: Token) -> bool:
    """A noun that can say something: a name, or a word for people or a body ("the
    Huffington Post, which said"), not a thing ("the hurdles, which could explain")."""
    return (
        noun.pos_ == "PROPN"
        or noun.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or noun.lemma_.lower() in SOURCES | _LEX.organisation_words
    )


def _inverted_subject(verb: Token) -> Token | None:
    """ "'…,' added midfielder John Smith", "…, said the minister": a speaker after a verb
    that follows a quotation or a comma, which the parser may read as the verb's object."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is None or not (before.is_punct or before.is_quote):
        return None
    head = verb.head
    if verb.dep_ in ("amod", "compound") and head.i > verb.i and head.pos_ in ("PROPN", "NOUN"):
        while head.dep_ == "compound" and head.head.i > head.i:
            head = head.head  # "added midfielder John Smith" read as one noun phrase
        return head
    # the words right after the verb, and someone who can speak: not "…, Kyrylo Budanov,
    # highlighted the mounting challenges" (an object; its subject is before the verb)
    return next(
        (
            c
            for c in verb.rights
            if c.dep_ in _INVERTED
            and c.left_edge.i == verb.i + 1
            and (c.pos_ == "PROPN" or c.lemma_.lower() in SOURCES)
            and c.ent_type_ not in ("DATE", "TIME")
        ),
        None,
    )


def _misparsed_subject(doc: Doc, verb: Token) -> Token | None:
    """The small parser sometimes hangs "…, Kyrylo Budanov, highlighted" off an earlier noun
    and leaves the verb without a subject: take the person named right before the verb."""
    if verb.dep_ in _MODIFIERS:
        return None  # "Democrats hoping to retain …": a participle says nothing of a speaker
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and (
        before.pos_ == "PROPN" or (before.pos_ == "NOUN" and before.lemma_.lower() in SOURCES)
    ):
        return before  # "… Kyrylo Budanov said", "Western intelligence estimates that …"
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end <= verb.i]
    if people and verb.i - people[-1].end <= 2:
        return people[-1].root
    return None


def according(doc: Doc) -> tuple[Token, Token] | None:
    """ "according to X": the word "according" and X's head."""
    for tok in doc:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if pobj is not None:
                return tok, pobj
    return None
