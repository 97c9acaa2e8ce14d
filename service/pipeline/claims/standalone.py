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
from service.pipeline.claims.people import PERSONAL, POSSESSIVE, Mention, People
from service.pipeline.claims.referents import Thing, antecedent, as_mention, replacement

_BULLET = re.compile(r"^[•·▪►*–—-]\s*")
_OPEN = '"“«'
_CLOSE = '"”»'


@dataclass(frozen=True)
class Substitution:
    original: str
    replacement: str
    antecedent: Mention


@dataclass
class Composed:
    text: str
    substitutions: list[Substitution] = field(default_factory=list)
    # False for a clause split off a sentence whose speech verb it does not contain
    # ("Russia has secured missiles from Iran, and Budanov said …": the first is narration).
    attributed: bool = True


def quoted_tokens(doc: Doc) -> set[int]:
    """Indices of tokens inside quotation marks."""
    inside, out = False, set()
    for tok in doc:
        if tok.text in _OPEN and not inside:
            inside = True
        elif tok.text in _CLOSE and inside:
            inside = False
        elif tok.text == '"':
            inside = not inside
        elif inside:
            out.add(tok.i)
    return out


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


def _replacements(
    doc: Doc, offset: int, att: Attribution, people: People, before: list[Thing]
) -> dict[int, tuple[int, Substitution]]:
    """token index -> (last token index replaced, substitution); `before`: the previous
    sentence's subjects, for an opening "It" or "They"."""
    quoted = quoted_tokens(doc)
    spoken_of = _spoken_of(doc, att, people)
    out: dict[int, tuple[int, Substitution]] = {}
    for tok in doc:
        low = tok.lower_
        at = offset + tok.idx
        if tok.i == att.speaker_token and att.speaker and not _names(tok, att.speaker, people):
            # "he said", "the DIU chief said": the whole subject phrase becomes the name.
            first, last = tok.left_edge.i, tok.right_edge.i
            original = doc[first : last + 1].text
            mention = _mention_before(people, att.speaker, offset + doc[first].idx)
            if mention and (low in PERSONAL or tok.pos_ == "NOUN"):
                named = att.speaker + ("’s" if low in POSSESSIVE else "")
                out[first] = (last, Substitution(original, named, mention))
            continue
        thing = antecedent(tok, before) if tok.i not in out else None
        if thing is not None:
            text = replacement(tok, thing, tok.i in quoted)
            out[tok.i] = (tok.i, Substitution(tok.text, text, as_mention(thing)))
            continue
        if low not in PERSONAL or tok.i in out:
            continue
        name: str | None
        if tok.i in quoted:
            name = spoken_of
        elif att.speaker and tok.i < (att.verb_token or 0) and tok.dep_ == "nsubj":
            name = att.speaker
        else:
            found = people.last_person(at)
            name = found.name if found else None
        if not name or _named_before(doc, tok, name, people):
            continue
        mention = _mention_before(people, name, at)
        if mention is None:
            continue
        text = name + ("’s" if low in POSSESSIVE and tok.dep_ == "poss" else "")
        if tok.i in quoted:
            text = f"[{text}]"
        out[tok.i] = (tok.i, Substitution(tok.text, text, mention))
    return out


def _names(tok: Token, name: str, people: People) -> bool:
    """Whether the phrase headed by `tok` already names `name` ("Kirill Budanov said")."""
    phrase = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
    return any(people.full(e.text) == name for e in phrase.ents) or name in phrase.text


def _named_before(doc: Doc, tok: Token, name: str, people: People) -> bool:
    """The sentence already names the referent before the pronoun: the claim reads alone."""
    return any(people.full(e.text) == name for e in doc.ents if e.end <= tok.i)


def _clause_splits(doc: Doc, att: Attribution) -> list[set[int]]:
    """Token sets of the independent clauses a sentence joins with "and"/"but"/";" (each
    with its own subject), outside any quotation; [] when it states one fact."""
    quoted = quoted_tokens(doc)
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


def _render(doc: Doc, keep: set[int], reps: dict[int, tuple[int, Substitution]]) -> Composed:
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
    return Composed(text, subs)


def compose(
    doc: Doc, offset: int, att: Attribution, people: People, before: list[Thing] | None = None
) -> list[Composed]:
    """One claim per independent clause of the sentence, each reading alone."""
    reps = _replacements(doc, offset, att, people, before or [])
    parts = _clause_splits(doc, att) or [{t.i for t in doc}]
    composed = [_render(doc, keep, reps) for keep in parts]
    if len(parts) > 1 and att.cue in ("said", "quote") and att.verb_token is not None:
        for part, c in zip(parts, composed, strict=True):
            c.attributed = att.verb_token in part
    return composed
