"""Who asserts a sentence, and how: a quotation, indirect speech ("X said that"),
"according to X", or the outlet's own narration.

The outlet is the speaker of its own narration only. A pronoun or role noun that speaks
("he said", "the DIU chief said") is resolved to the person it stands for, and the words of
the cue are kept so a reader can see where the attribution comes from. Where the article
does not say who (a passive "it is reported", "sources said"), the speaker is the explicit
UNATTRIBUTED value, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from service.pipeline.claims.people import PERSONAL, ROLE_NOUNS, People, strip_form

Cue = Literal["quote", "said", "according_to", "narration", "unattributed"]
UNATTRIBUTED = "unattributed"

SPEECH_VERBS = frozenset(
    "say tell add emphasize emphasise stress note state claim warn argue explain insist announce "
    "report estimate believe acknowledge admit write predict suggest assert allege confirm deny "
    "reveal urge describe mention observe caution complain recall comment declare think call "
    "point conclude testify highlight underscore speculate connect link cite indicate voice "
    "signal accuse blame present disclose share maintain contend assess recount criticize "
    "criticise condemn praise label term dismiss reject welcome".split()
)
# "Western intelligence estimates that …" parses "estimates" as a noun heading the sentence.
_NOUN_PARSED_VERBS = frozenset("estimates says claims reports warns believes states".split())
_ANONYMOUS = frozenset(
    "source sources official officials people person insider insiders report reports".split()
)
INSTITUTIONS = frozenset(
    "department ministry agency authority council police army office government committee "
    "court service institute commission union parliament military intelligence administration "
    "embassy spokesperson kremlin pentagon".split()
)
_PEOPLE_NOUNS = frozenset(
    "critic analyst expert observer researcher economist resident witness lawyer diplomat "
    "activist investigator scientist".split()
)
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{12,})[\"“”«»]")
_OPENS_QUOTE = re.compile(r"^\s*[\"“«]")
# Openings that carry the previous sentence's speaker on ("In return, Moscow provides …"
# after "According to the chief of the GUR, …").
_CARRY_ON = re.compile(r"^(In return|In addition|Additionally|Moreover|Furthermore),", re.I)


@dataclass(frozen=True)
class Attribution:
    cue: Cue
    speaker: str | None  # a full name; None for narration (the outlet) and unattributed
    cue_start: int | None = None  # the cue's words, offsets in the cleaned text
    cue_end: int | None = None
    cue_sentence: int | None = None  # the sentence holding the cue
    speaker_token: int | None = None  # the token that names the speaker in this sentence
    verb_token: int | None = None  # the speech verb, or "according"


NARRATION = Attribution("narration", None)


def has_quotation(text: str) -> bool:
    return _QUOTED.search(text) is not None


def _speaker_name(
    head: Token, people: People, offset: int, previous: Attribution | None = None
) -> str | None:
    """The full name a subject or "according to" object stands for. A pronoun that speaks
    ("He added that …") is the person who spoke last, not whoever was named last ("…,"
    Budanov said of Donald Trump. He added …" is Budanov)."""
    phrase = head.doc[head.left_edge.i : head.right_edge.i + 1]
    if head.lemma_.lower() in _ANONYMOUS or head.lower_ in _ANONYMOUS:
        return None  # "sources said", "reports indicate": the article does not say who
    if head.pos_ == "NOUN" and not _plural_group(head):  # "the chief of the GUR": a person
        holder = people.role_holder(head.lemma_.lower())
        if holder:
            return holder
    # The subject's own name first ("Kirill Budanov" in "Military chief Kirill Budanov"),
    # then any person the phrase names, then any other name in it.
    ents = sorted(
        phrase.ents, key=lambda e: (not (e.start <= head.i < e.end), e.label_ != "PERSON")
    )
    for ent in ents:
        name = people.full(strip_form(ent.text))
        if name:
            return name
    if head.pos_ == "PROPN" and (name := people.person_named(head.text)):
        return name
    if head.lower_ in PERSONAL:
        if previous is not None and previous.speaker and people.is_person(previous.speaker):
            return previous.speaker
        found = people.last_person(offset + head.idx)
        return found.name if found else None
    # A named group without a name-tag ("Western intelligence", "Ukrainian intelligence"):
    # the head and its modifiers, not the clauses hanging off it.
    # (a subject misparsed as the compound of a verb read as a noun keeps its modifiers)
    owner = (
        head.head if head.dep_ == "compound" and head.head.lower_ in _NOUN_PARSED_VERBS else head
    )
    words = [t for t in owner.lefts if t.dep_ in ("compound", "amod", "nmod")]
    words = words if owner is not head else [*words, head]
    # An institution is named by its modifier or article ("the department", "Western
    # intelligence"); a bare "intelligence reveals" names no one.
    institution = head.lemma_.lower() in INSTITUTIONS and (
        len(words) > 1 or any(c.dep_ == "det" for c in head.children)
    )
    named = any(t.text[:1].isupper() for t in words) or institution
    if named and head.lower_ not in PERSONAL:
        return " ".join(t.text for t in words)
    return None


def _speaks(head: Token) -> bool:
    """A subject that can assert something: a person, a group of people, an institution —
    not "the revelations highlight …", which is the outlet's narration."""
    phrase = head.doc[head.left_edge.i : head.right_edge.i + 1]
    return (
        head.pos_ in ("PROPN", "PRON")
        or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or head.lemma_.lower() in INSTITUTIONS | _ANONYMOUS | ROLE_NOUNS | _PEOPLE_NOUNS
        # "South Korea's representative to the UN, Hwang Joon-kook, said …"
        or any(e.label_ == "PERSON" for e in phrase.ents)
    )


def _plural_group(noun: Token) -> bool:
    return noun.tag_ in ("NNS", "NNPS")


def _span(doc: Doc, tokens: list[Token], offset: int) -> tuple[int, int]:
    first = min(t.left_edge.i if t.dep_ != "ROOT" else t.i for t in tokens)
    last = max(t.i for t in tokens)
    return offset + doc[first].idx, offset + doc[last].idx + len(doc[last].text)


def _according(doc: Doc, people: People, offset: int) -> Attribution | None:
    for tok in doc:
        if tok.lower_ == "according":
            obj = next((c for c in tok.children if c.lower_ == "to"), None)
            pobj = next((c for c in obj.children if c.dep_ == "pobj"), None) if obj else None
            if pobj is None:
                continue
            name = _speaker_name(pobj, people, offset)
            start = offset + tok.idx
            end = offset + pobj.right_edge.idx + len(pobj.right_edge.text)
            if name is None:
                return Attribution("unattributed", None, start, end, None, pobj.i, tok.i)
            return Attribution("according_to", name, start, end, None, pobj.i, tok.i)
    return None


def _speech_verb(doc: Doc) -> tuple[Token, Token | None] | None:
    """The sentence's speech verb and its subject, the main clause's first."""
    verbs = [
        t
        for t in doc
        if (t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS)
        or (t.dep_ == "ROOT" and t.lower_ in _NOUN_PARSED_VERBS)
    ]
    verbs.sort(key=lambda t: (t.dep_ != "ROOT", t.i))
    for verb in verbs:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ in ("it", "there"):
            subject = None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        if subject is None and not passive and verb.dep_ in ("advcl", "xcomp", "conj"):
            # "Budanov remains hopeful, believing that …": the clause shares its subject.
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None and not passive:
            subject = _misparsed_subject(doc, verb)
        if subject is None and not passive:
            continue
        if passive and agent is None:
            return verb, None
        return verb, subject
    return None


def _misparsed_subject(doc: Doc, verb: Token) -> Token | None:
    """The small parser sometimes hangs "…, Kyrylo Budanov, highlighted" off an earlier noun
    and leaves the verb without a subject: take the person named right before the verb."""
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and (
        before.pos_ == "PROPN" or (before.pos_ == "NOUN" and _speaks(before))
    ):
        return before  # "… Kyrylo Budanov said", "Western intelligence estimates that …"
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end <= verb.i]
    if people and verb.i - people[-1].end <= 2:
        return people[-1].root
    return None


def attribute(doc: Doc, offset: int, people: People, previous: Attribution | None) -> Attribution:
    """Attribution of one parsed sentence; `previous` is the sentence before's, for a
    quotation or a "Moreover, …" that carries its speaker on."""
    found = _according(doc, people, offset)
    if found:
        return found
    speech = _speech_verb(doc)
    if speech is not None:
        verb, subject = speech
        if subject is None:  # "it is reported that …": no one named
            start, end = _span(doc, [verb], offset)
            return Attribution("unattributed", None, start, end, None, None, verb.i)
        if not _speaks(subject):
            return NARRATION
        name = _speaker_name(subject, people, offset, previous)
        start, end = _span(doc, [subject, verb], offset)
        if name is None:
            return Attribution("unattributed", None, start, end, None, subject.i, verb.i)
        cue: Cue = "quote" if has_quotation(doc.text) else "said"
        return Attribution(cue, name, start, end, None, subject.i, verb.i)
    carried = previous is not None and previous.speaker is not None
    if carried and (_OPENS_QUOTE.match(doc.text) or _CARRY_ON.match(doc.text)):
        assert previous is not None
        cue: Cue = "quote" if has_quotation(doc.text) else previous.cue  # type: ignore[no-redef]
        # The caller has set the previous cue's sentence (see claims.py).
        return Attribution(
            cue, previous.speaker, previous.cue_start, previous.cue_end, previous.cue_sentence
        )
    return NARRATION
