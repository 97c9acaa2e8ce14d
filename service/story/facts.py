"""What a statement says, apart from who says it: the words two statements are compared by.

Two claims crediting one person ("according to the head of Ukraine's military intelligence
agency GUR, Kyrylo Budanov, ...") share the attribution's rare words whatever facts they
state, and those words alone can link a speech's venue to an ally's rank. So the words of
the attribution are left out of the comparison: the speaker's name, the role described
right before a person's name ("military intelligence chief Kirill Budanov"), and the cue
words the pipeline marked around the speaker ("according to", "Budanov noted"). The
statement shown to readers keeps them.

A link also needs a shared anchor: a noun, verb, name or number of the fact. Adjectives
and adverbs ("major", "significant") describe many facts and alone tie none together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.pipeline.language import english
from service.story.clauses import Statement, split_tokens, words
from service.story.denial import denial

# Nouns naming a post: the words before a name up to such a noun describe the person.
ROLE_NOUN = english().story.post_nouns
_ANCHOR = frozenset({"NOUN", "PROPN", "VERB", "NUM"})
# A request for something does not state that it happens ("Zelenskiy made pleas for air
# defense" is no report that anyone provides it): verbs and, after a light verb ("made
# pleas", "renewed calls"), nouns of asking.
REQUEST = english().story.request_words
_NAME = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class Fact:
    text: str  # the statement as written
    compared: str  # without its attribution
    anchors: str  # its nouns, verbs, names and numbers, in order
    denial: str = ""  # the word disputing what it reports ("groundless"), if it does
    request: str = ""  # the word asking for what it names ("pleas"), if its predicate asks
    predicate: str = ""  # the lemma of what it says of its holder ("founder", "lose")
    holder: str = ""  # whom or what it says it of ("Obama"), its predicate's subject
    patient: str = ""  # whom its verb acts on: the object, or a passive's subject ("Mateen")


def _names(doc: Doc, people: dict[str, str]) -> list[tuple[list[Token], str]]:
    """Each mention of a known person (alias -> entity id), longest aliases first."""
    found: list[tuple[list[Token], str]] = []
    taken: set[int] = set()
    for alias in sorted(people, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", doc.text, flags=re.I):
            span = [t for t in doc if m.start() <= t.idx < m.end()]
            if span and not taken & {t.i for t in span}:
                taken |= {t.i for t in span}
                found.append((span, people[alias]))
    return found


def _role(name: list[Token]) -> list[Token]:
    """The role right before a person's name in its clause: back over one comma to the
    role noun nearest the name, from that noun's leftmost modifier ("Ukraine's military
    intelligence agency GUR head, Kyrylo Budanov"); nothing if a verb or mark comes first."""
    doc, i = name[0].doc, name[0].i
    j = i - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    while j >= 0 and doc[j].pos_ not in ("PUNCT", "VERB", "AUX"):
        if doc[j].lower_ in ROLE_NOUN:
            return list(doc[min(doc[j].left_edge.i, j) : i])
        j -= 1
    return []


def _cue(doc: Doc, cue: str | None, dropped: set[int], speaker: str) -> set[int]:
    """The cue's attributing words inside the claim: "according to", the speaker's own
    words ("Ukrainian intelligence"), the verb right after the speaker ("Kyrylo Budanov,
    highlighted"), a pronoun speaker and its verb ("He observed"); not the words an
    over-long cue runs on to."""
    if not cue:
        return set()
    start = doc.text.casefold().find(cue.casefold())
    if start < 0:
        return set()
    inside = [t for t in doc if start <= t.idx < start + len(cue)]
    own = set(re.findall(r"\w+", speaker.casefold()))
    out = {t.i for t in inside if t.lower_ in own | {"according"} or t.head.lower_ == "according"}
    for t in inside:
        before = [u for u in doc[max(0, t.i - 2) : t.i] if u.text != ","]
        if t.pos_ == "VERB" and before and before[-1].i in dropped:
            out.add(t.i)
        if t.pos_ == "PRON" and t.dep_ == "nsubj" and t.head in inside:
            out |= {t.i, t.head.i}
    return out


@dataclass(frozen=True)
class Speaker:
    name: str  # as the claim gives it
    key: str  # its entity id, else the name
    cue: str | None  # the words that attribute the claim, as the pipeline marked them


def attribution(doc: Doc, speaker: Speaker, people: dict[str, str]) -> frozenset[int]:
    """Token indices of the words that say who states the claim. people: each known
    person's alias -> entity id."""
    dropped: set[int] = set()
    for name, person in _names(doc, people):
        dropped |= {t.i for t in _role(name)}
        if person == speaker.key:
            dropped |= {t.i for t in name}
    return frozenset(dropped | _cue(doc, speaker.cue, dropped, speaker.name))


def _predicate(kept: list[Token]) -> Token | None:
    """The statement's main verb; a reporting verb's content is its complement ("Budanov
    said that Moscow is losing troops": losing)."""
    inside = {t.i for t in kept}
    verbs = [t for t in kept if t.pos_ in ("VERB", "AUX")]
    tops = [t for t in verbs if t.dep_ == "ROOT" or t.head.i not in inside]
    verb = tops[0] if tops else None
    while verb is not None:
        content = [c for c in verb.children if c.dep_ == "ccomp" and c.i in inside]
        if not content:
            return verb
        verb = content[0]
    return None


_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
_COMPLEMENTS = frozenset({"attr", "oprd", "acomp"})


def _head_words(t: Token, inside: set[int]) -> str:
    """A noun with the words before it ("Hillary Clinton", "Russia's army"), not what
    follows it ("Obama, the founder of ISIS": the appositive is a predicate of its own)."""
    return " ".join(u.text for u in t.subtree if u.i in inside and u.i <= t.i)


def _called(obj: Token, inside: set[int]) -> Token | None:
    """What a calling verb calls its object: the parser often hangs "called Obama the
    founder" on the object as an appositive, and "called Clinton, his challenger, an ISIS
    co-founder" on the first appositive; the name given is the last of the chain."""
    node = obj
    while appositive := [c for c in node.children if c.dep_ == "appos" and c.i in inside]:
        node = appositive[-1]
    return None if node is obj else node


def core(kept: list[Token]) -> tuple[str, str]:
    """(predicate, holder): what the statement says and of whom. "Obama is the founder"
    and "Trump called Obama the founder" say "founder" of Obama; "Clinton is a co-founder"
    says it of Clinton: one predicate, two holders, two facts. A complement noun or
    adjective is the predicate of a linking or calling verb; a calling verb's object is
    its holder. Empty when the parse shows no predicate."""
    verb = _predicate(kept)
    if verb is None:
        return "", ""
    inside = {t.i for t in kept}
    children = [c for c in verb.children if c.i in inside]
    calling = verb.lemma_.lower() in english().story.calling_verbs
    objects = [c for c in children if c.dep_ == "dobj"]
    complement = next((c for c in children if c.dep_ in _COMPLEMENTS), None)
    if calling and complement is None and objects:
        complement = _called(objects[0], inside)
    head = complement or verb
    doc = head.doc
    # "a co-founder": the parser takes "co" for the noun; the word is its last part
    while head.i + 2 < len(doc) and doc[head.i + 1].text == "-" and head.i + 2 in inside:
        head = doc[head.i + 2]
    predicate = head.lemma_.lower()
    roles = ("dobj",) if calling and complement is not None else tuple(_SUBJECTS)
    holder = next((c for c in children if c.dep_ in roles), None)
    return predicate, "" if holder is None else _head_words(holder, inside)


def patient(kept: list[Token]) -> str:
    """Whom the main verb acts on: its object with what names it ("the gunman, Omar
    Mateen"), or the subject of a passive ("Mateen was killed"). "Police killed the gunman,
    Omar Mateen" and "Mateen was killed in a police shootout" say one thing of one man,
    though their subjects differ."""
    verb = _predicate(kept)
    if verb is None:
        return ""
    inside = {t.i for t in kept}
    children = [c for c in verb.children if c.i in inside]
    if verb.lemma_.lower() in english().story.calling_verbs:
        return ""  # "called Obama the founder": its predicate is the complement (core)
    passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if passive is not None:
        return _head_words(passive, inside)
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    if obj is None:
        return ""
    named = [obj, *(c for c in obj.children if c.dep_ == "appos" and c.i in inside)]
    return " ".join(_head_words(t, inside) for t in named)


def _request(kept: list[Token]) -> str:
    """The word by which the statement asks for something: its predicate ("urged allies to
    send air defense") or the object of a light verb ("made pleas for air defense")."""
    verb = _predicate(kept)
    if verb is None:
        return ""
    lemma = verb.lemma_.lower()
    # "called on the allies to ...", "calls for"; not "called the accusations groundless"
    # (after the verb: "On Wednesday he called Obama ..." asks for nothing)
    asks = {c.lower_ for c in verb.children if c.dep_ == "prep" and c.i > verb.i} & {"for", "on"}
    if lemma in REQUEST and (lemma != "call" or asks):
        return verb.text
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in REQUEST]
    return objects[0].text if objects else ""


def _fact(statement: Statement, drop: frozenset[int]) -> Fact:
    about, clause = statement
    kept = [t for t in about + clause if t.i not in drop]
    anchors = " ".join(t.text for t in kept if t.pos_ in _ANCHOR or t.ent_type_ in _NAME)
    # a dropped name leaves its commas behind: "in Kyiv, , the mounting challenges"
    compared = re.sub(r"(\s*,)+", ",", words(statement, drop)) or words(statement)
    return Fact(
        words(statement),
        compared,
        anchors,
        denial(about + clause),
        _request(kept),
        *core(kept),
        patient(kept),
    )


def facts(doc: Doc, speaker: Speaker, people: dict[str, str]) -> list[Fact]:
    """Each statement of a parsed claim (clauses.py), with the words it is compared by."""
    drop = attribution(doc, speaker, people)
    return [_fact(s, drop) for s in split_tokens(doc)]
