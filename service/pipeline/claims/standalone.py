"""Claims that read alone: the sentence's own words, with each pronoun or role noun that
points outside the sentence replaced by the name it stands for, and a sentence that states
two facts split into two claims.

Every substitution is recorded with the source span of its antecedent, so a reader sees
where "Kyrylo Budanov" in "Kyrylo Budanov also said that …" came from. Inside a quotation
the substitution is bracketed ("[Donald Trump's] position is consistent"), as an editor
would write it, so the quoted words stay the speaker's. Numbers, hedges and time frames are
the sentence's own and are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from service.pipeline.claims.attribution import Attribution
from service.pipeline.claims.candidates import SEVERAL, Resolution, resolve
from service.pipeline.claims.people import PERSONAL, POSSESSIVE, Mention, People
from service.pipeline.claims.quotes import inside, quoted_spans
from service.pipeline.claims.referents import Thing, antecedent, as_mention, replacement

_BULLET = re.compile(r"^[•·▪►*–—-]\s*")
_MARKS = frozenset("\"“”«»‘’'„‚")


@dataclass(frozen=True)
class Substitution:
    original: str
    replacement: str
    antecedent: Mention
    start: int  # the words replaced, offsets in the cleaned text
    end: int


@dataclass(frozen=True)
class Unresolved:
    """A pronoun kept as written: more than one person (or no one) it may stand for."""

    original: str
    start: int  # offsets in the cleaned text
    end: int
    candidates: tuple[str, ...]
    reason: str


@dataclass
class Composed:
    text: str
    substitutions: list[Substitution] = field(default_factory=list)
    # False for a clause split off a sentence whose speech verb it does not contain
    # ("Russia has secured missiles from Iran, and Budanov said …": the first is narration).
    attributed: bool = True
    unresolved: list[Unresolved] = field(default_factory=list)
    # The sentence's tokens this clause states (None: the whole sentence), so its evidence
    # is its own clause, not the other clause's words.
    tokens: frozenset[int] | None = None


def quoted_tokens(
    doc: Doc, spans: list[tuple[int, int]] | None = None, offset: int = 0
) -> set[int]:
    """Indices of the words inside quotation marks (the marks excluded). `spans`: the
    article's quotations (offsets `offset` before the doc's), which a sentence inside a
    longer quotation needs; else the doc's own."""
    if spans is None:
        spans, offset = quoted_spans(doc.text), 0
    return {
        t.i
        for t in doc
        if t.text not in _MARKS and inside(spans, offset + t.idx, offset + t.idx + len(t.text))
    }


def _quoted(doc: Doc, offset: int, people: People) -> set[int]:
    return quoted_tokens(doc, people.quotations, offset if people.quotations is not None else 0)


def _spoken_of(doc: Doc, att: Attribution, people: People) -> str | None:
    """ "… Budanov said of US President Donald Trump": whom the quotation's "his" means."""
    if att.verb_token is None:
        return None
    verb = doc[att.verb_token]
    for prep in verb.children:
        if prep.lower_ in ("of", "about"):
            for obj in prep.children:
                for ent in doc[obj.left_edge.i : obj.right_edge.i + 1].ents:
                    name = people.full(ent.text)
                    if name:
                        return name
    return None


def _mention_before(people: People, name: str, before: int) -> Mention | None:
    found = None
    for m in people.mentions:
        if m.name == name and m.start < before:
            found = m
    return found or people.first_mention(name)


@dataclass
class _Found:
    """What a sentence's words stand for: token index -> (last token replaced,
    substitution), and the pronouns kept as written."""

    reps: dict[int, tuple[int, Substitution]] = field(default_factory=dict)
    left: dict[int, Unresolved] = field(default_factory=dict)

    def keep(self, tok: Token, offset: int, candidates: tuple[str, ...], reason: str) -> None:
        at = offset + tok.idx
        self.left[tok.i] = Unresolved(tok.text, at, at + len(tok.text), candidates, reason)

    def put(self, first: Token, last: Token, offset: int, text: str, mention: Mention) -> None:
        start, end = offset + first.idx, offset + last.idx + len(last.text)
        original = first.doc[first.i : last.i + 1].text
        self.reps[first.i] = (last.i, Substitution(original, text, mention, start, end))


def _speaker_phrase(
    doc: Doc, tok: Token, offset: int, att: Attribution, people: People, found: _Found
) -> None:
    """ "he said", "the DIU chief said": the whole subject phrase becomes the speaker's
    name — a pronoun only when the speaker is the one person it can stand for."""
    assert att.speaker is not None
    first, last = doc[tok.left_edge.i], doc[tok.right_edge.i]
    mention = _mention_before(people, att.speaker, offset + first.idx)
    if mention is None and tok.lower_ in PERSONAL:
        # "A spokeswoman said … She added": a speaker by words, not a name: "She" stays,
        # recorded with whom it may stand for
        sure = resolve(tok, offset, people)
        if sure.candidates:
            found.keep(tok, offset, sure.candidates, sure.reason)
        return
    if mention is None or not (tok.lower_ in PERSONAL or tok.pos_ == "NOUN"):
        return
    if tok.lower_ in PERSONAL:
        sure = resolve(tok, offset, people)
        if sure.name != att.speaker:
            found.keep(tok, offset, sure.candidates or (att.speaker,), sure.reason or SEVERAL)
            return
    elif people.role_holder(tok.lemma_.lower()) not in (None, att.speaker) or (
        tok.lemma_.lower() in people.holders and people.role_holder(tok.lemma_.lower()) is None
    ):
        # "the minister" when the article made two people ministers: not the speaker's name
        holders = tuple(sorted(people.holders.get(tok.lemma_.lower(), {att.speaker})))
        found.keep(tok, offset, holders, SEVERAL)
        return
    named = att.speaker + ("’s" if tok.lower_ in POSSESSIVE else "")
    found.put(first, last, offset, named, mention)


def _replacements(
    doc: Doc, offset: int, att: Attribution, people: People, before: list[Thing]
) -> _Found:
    """`before`: the previous sentence's subjects, for an opening "It" or "They"."""
    quoted = _quoted(doc, offset, people)
    spoken_of = _spoken_of(doc, att, people)
    found = _Found()
    for tok in doc:
        low = tok.lower_
        if tok.i in found.reps:
            continue
        if tok.i == att.speaker_token and att.speaker:
            # the speaker's words become the speaker's name or stay: never another
            # antecedent ("They said" credited to "They" is not "The Tories said")
            if not _names(tok, att.speaker, people):
                _speaker_phrase(doc, tok, offset, att, people, found)
            continue
        thing = antecedent(tok, before)
        if thing is not None:
            text = replacement(tok, thing, tok.i in quoted)
            found.put(tok, tok, offset, text, as_mention(thing))
            continue
        if low not in PERSONAL:
            continue
        speaker = att.speaker if tok.i in quoted else None
        sure = resolve(tok, offset, people, speaker)
        if tok.i in quoted and spoken_of:
            sure = Resolution(_mention_before(people, spoken_of, offset + tok.idx), ())
        if any(_named_before(doc, tok, n, people) for n in (sure.name, *sure.candidates) if n):
            continue  # the sentence names them before the pronoun: the claim reads alone
        if sure.mention is None:
            if sure.candidates:
                found.keep(tok, offset, sure.candidates, sure.reason)
            continue
        text = sure.mention.name + ("’s" if low in POSSESSIVE and tok.dep_ == "poss" else "")
        found.put(tok, tok, offset, f"[{text}]" if tok.i in quoted else text, sure.mention)
    return found


def _names(tok: Token, name: str, people: People) -> bool:
    """Whether the phrase headed by `tok` already names `name` ("Kirill Budanov said")."""
    phrase = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
    return any(people.full(e.text) == name for e in phrase.ents) or name in phrase.text


def _named_before(doc: Doc, tok: Token, name: str, people: People) -> bool:
    """The sentence already names the referent before the pronoun: the claim reads alone."""
    return any(people.full(e.text) == name for e in doc.ents if e.end <= tok.i)


def _clause_splits(doc: Doc, att: Attribution, quoted: set[int]) -> list[set[int]]:
    """Token sets of the independent clauses a sentence joins with "and"/"but"/";" (each
    with its own subject), outside any quotation; [] when it states one fact, or when a
    quotation's words would go to more than one claim (a quote split at "but" and printed
    in pieces, or around the other clause, is a sentence the speaker never said)."""
    head: Token | None = None
    if att.verb_token is not None and att.cue in ("said", "quote"):
        verb = doc[att.verb_token]
        head = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if head is None or (att.verb_token is not None and doc[att.verb_token].dep_ == "conj"):
        # "Russia has secured missiles from Iran, and Budanov said …": the clauses of the
        # sentence, not of what was said.
        head = next((t for t in doc if t.dep_ == "ROOT"), None)
    if head is None or head.i in quoted:
        return []
    conjs = [
        c
        for c in head.children
        if c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        and c.i not in quoted
    ]
    if not conjs:
        return []
    head_tokens = {t.i for t in head.subtree}
    parts = [{t.i for t in conj.subtree} for conj in conjs]
    joints: set[int] = set()
    for part in parts:  # the ", and" before each joined clause
        i = min(part) - 1
        while i >= 0 and doc[i].dep_ in ("cc", "punct") and doc[i].head.i == head.i:
            joints.add(i)
            i -= 1
    outside = ({t.i for t in doc} - head_tokens) | _according_phrase(doc, att)
    first = head_tokens - set().union(*parts) - joints
    if quoted & outside or sum(bool(quoted & p) for p in [first, *parts]) > 1:
        return []
    return [outside | first] + [outside | p for p in parts]


def _according_phrase(doc: Doc, att: Attribution) -> set[int]:
    """ "According to Budanov, " stays with every clause it attributes."""
    if att.cue != "according_to" or att.verb_token is None:
        return set()
    tok = doc[att.verb_token]
    phrase = {t.i for t in tok.subtree}
    after = max(phrase) + 1
    if after < len(doc) and doc[after].text == ",":
        phrase.add(after)
    return phrase


def _render(doc: Doc, keep: set[int], found: _Found) -> Composed:
    reps = found.reps
    pieces: list[str] = []
    subs: list[Substitution] = []
    skip_until = -1
    for tok in doc:
        if tok.i <= skip_until or tok.i not in keep:
            continue
        if tok.i in reps:
            last, sub = reps[tok.i]
            skip_until = last
            ws = doc[last].whitespace_
            pieces.append(sub.replacement + ws)
            subs.append(sub)
            continue
        pieces.append(tok.text_with_ws)
    text = _BULLET.sub("", "".join(pieces).strip())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"[,;:\s–—-]+$", "", text)
    if text and text[-1] not in ".!?\"”»’'":
        text += "."
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    left = [u for i, u in sorted(found.left.items()) if i in keep]
    return Composed(text, subs, unresolved=left)


def compose(
    doc: Doc, offset: int, att: Attribution, people: People, before: list[Thing] | None = None
) -> list[Composed]:
    """One claim per independent clause of the sentence, each reading alone."""
    found = _replacements(doc, offset, att, people, before or [])
    parts = _clause_splits(doc, att, _quoted(doc, offset, people)) or [{t.i for t in doc}]
    composed = [_render(doc, keep, found) for keep in parts]
    if len(parts) > 1 and att.cue in ("said", "quote") and att.verb_token is not None:
        for part, c in zip(parts, composed, strict=True):
            c.attributed = att.verb_token in part
    if len(parts) > 1:
        for part, c in zip(parts, composed, strict=True):
            c.tokens = frozenset(part)
    return composed
