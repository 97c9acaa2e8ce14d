"""A claim in fewer words, every one of them the claim's own: what a summary says of it.

An editor shortening a sentence for a brief deletes, and never rewrites: the scene-setting
before the subject ("In a keynote speech at the Yalta conference in Kyiv, "), discourse
adverbs ("Yet", "Interestingly, "), descriptions set off by commas (", an isolated pariah
state whose economy …", ", which are similar to the Iskander-M,") and a trailing comment
(", pointing to an increase in …"). A role set off before a name keeps the name ("Ukraine's
military intelligence chief, Kyrylo Budanov, has said" → "Kyrylo Budanov has said").

Never deleted: quoted words (they are the speaker's), the speaker and the verb that
attributes the claim, numbers, time frames and hedges. Deletion keeps every figure and name
of the summary in the claim it restates, and costs no generated token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.pipeline.claims.standalone import quoted_tokens
from service.pipeline.reading.nlp import parse_each

_SPEECH = frozenset(
    "say tell report add note state warn stress emphasize emphasise disclose claim "
    "estimate believe argue accord".split()
)
_ADVERB = re.compile(
    r"^(?:yet|however|interestingly|meanwhile|notably|moreover|furthermore|additionally|"
    r"importantly|indeed|nonetheless|nevertheless)\b,?\s+",
    re.I,
)
# Scene-setting up to the first comma ("In a keynote speech at …, ", "Speaking at an event
# in Kyiv Saturday, "); "For decades", "After the visit" and "On Jan. 6" carry time or
# cause, and are kept.
_SCENE = re.compile(
    r"^(?:in|at|during|amid|speaking|writing)\b[^,\"“”‘’\d]{3,120}?,\s+(?=[A-Z]|the\b|a\b)", re.I
)
_ROLE_WORDS = (
    r"chief|head|director|minister|spokesman|spokeswoman|spokesperson|president|leader|"
    r"commander|adviser|advisor|official|secretary|ambassador"
)
_KEEP_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "QUANTITY", "MONEY"})
_MIN_WORDS = 5


def _span(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _protected(doc: Doc, tokens: set[int], keep: set[int]) -> bool:
    """What must stay: `keep` (quoted words and the speaker's name), a number or time frame,
    a verb of saying."""
    for i in tokens:
        t = doc[i]
        if i in keep or t.like_num or t.ent_type_ in _KEEP_ENTS or t.lemma_.lower() in _SPEECH:
            return True
    return False


def _with_commas(doc: Doc, tokens: set[int]) -> set[int]:
    """A parenthetical with the commas around it."""
    lo, hi = min(tokens), max(tokens)
    out = set(tokens) | {lo - 1}
    if hi + 1 < len(doc) and doc[hi + 1].text == ",":
        out.add(hi + 1)
    return out


def _set_off(doc: Doc, tokens: set[int]) -> bool:
    """Between commas, or between a comma and the sentence's end: an aside, not the
    sentence's own subject or object (which the parser sometimes labels "appos")."""
    lo, hi = min(tokens), max(tokens)
    closes = hi + 1 >= len(doc) or doc[hi + 1].text in (",", ".") or doc[hi + 1].is_punct
    return lo > 0 and doc[lo - 1].text == "," and closes


def second_modifier(doc: Doc, tokens: set[int]) -> bool:
    """ "for slinkier, more feature-packed models": a phrase after a comma that opens on a
    comparative is the second of two modifiers of one noun, which the parser reads as an
    aside; deleting it leaves "for slinkier"."""
    return doc[min(tokens)].tag_ in ("JJR", "JJS", "RBR", "RBS")


def _asides(doc: Doc, speaker: str) -> set[int]:
    """Descriptions set off by commas, and a trailing comment; a role before a name gives
    way to the name."""
    names = set(speaker.split())
    keep = quoted_tokens(doc) | {t.i for t in doc if t.is_alpha and t.text in names}
    cut: set[int] = set()
    for tok in doc:
        if tok.dep_ not in ("appos", "relcl", "advcl"):
            continue
        tokens = _span(tok)
        if not _set_off(doc, tokens) or second_modifier(doc, tokens):
            continue
        if tok.dep_ == "appos" and tok.ent_type_ in ("PERSON", "ORG") and tok.head.pos_ == "NOUN":
            cut |= _role_before_name(doc, tok, tokens, keep)
        elif tok.dep_ == "advcl" and (tok.tag_ != "VBG" or max(tokens) < len(doc) - 2):
            continue  # only a trailing ", pointing to …"
        elif not _protected(doc, tokens, keep):
            cut |= _with_commas(doc, tokens)
    return cut


def _role_before_name(doc: Doc, name: Token, tokens: set[int], keep: set[int]) -> set[int]:
    """ "Ukraine's military intelligence chief, Kyrylo Budanov, has said": the role and
    its commas go when the role is a short phrase right before the name."""
    lo, hi = min(tokens), max(tokens)
    role = _span(name.head) - tokens
    if not role or max(role) != lo - 2 or len(role) > 8 or _protected(doc, role, keep):
        return set()
    if sorted(role) != list(range(min(role), lo - 1)):
        return set()
    return role | {lo - 1} | ({hi + 1} if hi + 1 < len(doc) and doc[hi + 1].text == "," else set())


def _render(doc: Doc, cut: set[int]) -> str:
    pieces = []
    for tok in doc:
        if tok.i in cut:
            continue
        j = tok.i + 1
        while j in cut:
            j += 1
        # The space before the next kept word: after the last deleted one when it had one.
        gap = doc[j - 1].whitespace_ if j - 1 != tok.i else tok.whitespace_
        pieces.append(tok.text + (gap or tok.whitespace_))
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", "".join(pieces).strip()))
    text = re.sub(r"^[,;:\s]+", "", text)
    if text and text[-1] not in ".!?\"”»’'":
        text = text.rstrip(",;: ") + "."
    return text[:1].upper() + text[1:]


def _role_named(text: str, speaker: str) -> str:
    """ "Ukraine's military intelligence chief, Kyrylo Budanov, has said" -> "Kyrylo Budanov
    has said"; after "according to" the comma that ends the phrase stays."""
    if len(speaker.split()) < 2:
        return text
    name = re.escape(speaker)
    role = rf"(?:the\s+)?[^,\"“”]{{0,60}}?\b(?:{_ROLE_WORDS})\b[^,\"“”]{{0,50}}?"
    text = re.sub(rf"(according to\s+){role},\s+({name}),", r"\1\2,", text, count=1, flags=re.I)
    return re.sub(rf"^{role},\s+({name}),\s+", r"\1 ", text, count=1)


def lead_in(text: str, speaker: str) -> str:
    """The claim less its discourse adverb, scene-setting and the role before its speaker's
    name, by pattern: the small parser misreads these long openings."""
    short = _ADVERB.sub("", text, count=1)
    scene = _SCENE.match(short)
    if scene and not re.search(r"\baccording\b", scene.group(), re.I):
        short = short[scene.end() :]
    short = _role_named(short, speaker)
    return short[:1].upper() + short[1:]


@dataclass(frozen=True)
class Shortened:
    """A claim in fewer words and the parse it was cut from, which the headline shortens
    further instead of parsing the claim again: `doc` is the claim less its lead-in,
    `cut` the tokens the summary's text leaves out."""

    text: str
    doc: Doc
    cut: frozenset[int]


def compress_doc(doc: Doc, speaker: str, original: str) -> Shortened:
    cut = _asides(doc, speaker)
    short = _render(doc, cut) if cut else doc.text
    if len(short.split()) < _MIN_WORDS:
        return Shortened(original, doc, frozenset())
    return Shortened(short, doc, frozenset(cut))


def shorten_all(texts: Iterable[tuple[str, str]]) -> list[Shortened]:
    """Each (claim text, speaker) in fewer words, or as it was, with its parse."""
    pairs = list(texts)
    opened = [lead_in(t, s) for t, s in pairs]
    docs = parse_each(opened)
    return [compress_doc(d, s, t) for d, (t, s) in zip(docs, pairs, strict=True)]


def compress(texts: Iterable[tuple[str, str]]) -> list[str]:
    """Each (claim text, speaker) in fewer words, or as it was."""
    return [s.text for s in shorten_all(texts)]
