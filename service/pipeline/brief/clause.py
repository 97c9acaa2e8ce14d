"""A headline by deletion: a claim's main clause in at most 12 words, every word the claim's.

What a sub-editor does to a long lead: keep who claims it, the subject, the verb and what
it does to what, with its negation, hedges ("may", "up to"), conditions ("if ...") and
figures, and delete, the least needed first, the asides (appositions and relative clauses
set off by commas or dashes), the when ("on Tuesday"), adverbs, the prepositional phrases
the clause stands without and, last, a second figure. A reported claim puts its speaker
first ("Budanov: North Korea may be Russia's most dangerous ally"), so an allegation stays
an allegation. Nothing is rewritten, so every name and number of the headline is the
claim's. Deletion is sound only where a claim entails its shorter self: nothing is deleted
under a negation ("careful not to move too aggressively" is not "careful not to move").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from service.pipeline.brief.compress import second_modifier
from service.pipeline.brief.rank import quantities
from service.pipeline.brief.speaker import Frame, credit, frame_of
from service.pipeline.language import english

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
# What a verb needs besides its subject: with one of these, a prepositional phrase is an
# adjunct ("resigned from the board"); without, it may be the complement ("relies on").
_COMPLEMENTS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "oprd", "dative", "agent"})
_WHEN = frozenset({"DATE", "TIME"})
_ASIDES = frozenset({"appos", "relcl", "acl", "advcl", "parataxis"})
# Prepositions whose phrase is what the clause says: "described as", "faster than", "40% of".
_BOUND = frozenset({"of", "as", "than", "according"})
_OPEN = frozenset({",", "(", "-", "–", "—", "--"})
_CLOSE = frozenset({",", ")", "-", "–", "—", "--", ".", ";", ":"})
_MARKS = frozenset("\"“”«»‘’'„‚")
ASIDE, DETAIL, FIGURE = 0, 1, 2  # the order phrases go in


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _kept_word(tok: Token) -> bool:
    """A negation, hedge, condition or word like "only" that must stay."""
    lex = english()
    text = tok.lower_
    return (
        tok.dep_ == "neg"
        or text in lex.negations
        or text in lex.headline_keep
        or any(p.fullmatch(text) for p in lex.hedges.values())
    )


def _negated(tok: Token, head: Token) -> bool:
    """Whether `tok` is in the scope of a negation below `head`: it hangs, at any depth, on
    a negated word ("careful not to move too aggressively"); a conjunct is out of the
    scope ("is not dead, but has admitted ...")."""
    node = tok
    while node.i != head.i and node.head.i != node.i:
        up = node.head
        if node.dep_ == "advcl" and any(_kept_word(c) for c in node.children if c.dep_ == "mark"):
            return (
                True  # inside a condition: "if she correctly identifies" is not "if she identifies"
            )
        if node.dep_ not in ("conj", "cc") and any(
            c.dep_ == "neg" or c.lower_ in english().negations for c in up.children
        ):
            return True
        node = up
    return False


def _qualifies(tok: Token, tokens: set[int]) -> bool:
    """A phrase that carries a hedge or negation of a word outside it, or a condition
    ("if ...", "unless ..."): it cannot go without changing what the rest says."""
    for i in tokens:
        word = tok.doc[i]
        mark = word.dep_ == "mark" and word.head.i == tok.i
        if _kept_word(word) and (word.head.i not in tokens or mark):
            return True
    return False


def _hyphened(doc: Doc, tokens: set[int]) -> bool:
    """Part of a hyphenated word ("year-on-year", "British-based")."""
    lo, hi = min(tokens), max(tokens)
    joined_before = lo > 0 and doc[lo - 1].text == "-" and not doc[lo - 1].whitespace_
    return joined_before or (
        hi + 1 < len(doc) and doc[hi + 1].text == "-" and not doc[hi].whitespace_
    )


def _set_off(doc: Doc, tokens: set[int]) -> bool:
    lo, hi = min(tokens), max(tokens)
    return (lo > 0 and doc[lo - 1].text in _OPEN) and (
        hi + 1 >= len(doc) or doc[hi + 1].text in _CLOSE or doc[hi + 1].text in _MARKS
    )


def grade(tok: Token, doc: Doc, head: Token) -> int | None:
    """How readily a phrase goes (ASIDE, DETAIL, FIGURE); None: never. A restrictive
    relative clause never goes: "the support Russia's allies had provided" is not "the
    support"."""
    tokens = _subtree(tok)
    if _negated(tok, head) or _hyphened(doc, tokens):
        return None
    if _qualifies(tok, tokens) or tok.lower_ in _BOUND:
        return None
    place = _place(tok, doc, tokens)
    if place is None:
        return None
    return FIGURE if quantities(" ".join(doc[i].text for i in sorted(tokens))) else place


def _place(tok: Token, doc: Doc, tokens: set[int]) -> int | None:
    dep = tok.dep_
    if dep in _ASIDES and _set_off(doc, tokens) and not second_modifier(doc, tokens):
        return ASIDE
    on_verb = tok.head.pos_ in ("VERB", "AUX")  # "$2,000 a year" is not "$2,000"
    if on_verb and (dep in ("npadvmod", "intj", "advcl", "advmod")):
        return ASIDE
    if dep == "prep" and any(doc[i].ent_type_ in _WHEN for i in tokens):
        return ASIDE
    if dep == "conj" and tok.pos_ in ("VERB", "AUX") and tok.head.pos_ in ("VERB", "AUX"):
        return DETAIL
    if dep == "prep":
        return DETAIL if _adjunct(tok) else None
    return None


def _adjunct(prep: Token) -> bool:
    """A prepositional phrase the word it hangs on stands without: on a noun or adjective,
    or on a verb with a complement or an earlier phrase after it ("put on hold due to")."""
    head = prep.head
    if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return _specific(head)
    if head.pos_ not in ("VERB", "AUX") or prep.i < head.i:  # "In the Six Nations, ..."
        return True
    if any(c.dep_ in _COMPLEMENTS for c in head.children):
        return True
    return any(c.dep_ == "prep" and head.i < c.i < prep.i for c in head.children)


def _specific(noun: Token) -> bool:
    """A noun that says something without its phrase: a name, a modified noun, one inside
    a phrase of its own, or a subject ("the need for ..." says nothing as "the need")."""
    if noun.pos_ == "PROPN" or noun.dep_ == "pobj":
        return True
    return any(c.dep_ in ("amod", "compound", "nummod", "poss", "nmod") for c in noun.children)


def _candidates(doc: Doc, head: Token) -> Iterator[tuple[int, int, Token]]:
    for tok in head.subtree:
        if tok.i != head.i:
            level = grade(tok, doc, head)
            if level is not None:
                yield level, -tok.i, tok


def _cut_of(doc: Doc, tok: Token, kept: set[int]) -> set[int]:
    """A phrase with what joins it: the marks that set it off, a conjunct's "and"."""
    tokens = _subtree(tok)
    if tok.dep_ == "conj":
        start = tok.left_edge.i  # the "and" right before it, and the comma before that
        tokens |= {
            c.i for c in tok.head.children if c.dep_ in ("cc", "punct") and start - 2 <= c.i < start
        }
    lo, hi = min(tokens), max(tokens)
    before = lo - 1 if lo > 0 and doc[lo - 1].text in _OPEN and lo - 1 in kept else None
    after = hi + 1 if hi + 1 < len(doc) and doc[hi + 1].text in _CLOSE - {"."} else None
    if before is not None and after is not None:
        pair = doc[before].text == "(" or doc[before].text == doc[after].text
        return tokens | ({before, after} if pair else {before})  # ", who ...," / "(...)"
    if before is not None:
        return tokens | {before}  # ", with analysts blaming ..." at the end
    if after is not None and not any(i < lo for i in kept):
        return tokens | {after}  # an opening phrase and its comma
    return tokens


def render(doc: Doc, keep: set[int]) -> str:
    """The kept words, each followed by the space the last word before the next kept one
    had; no quotation marks, no punctuation at either end, brackets only in pairs."""
    words = [i for i in sorted(keep) if doc[i].text not in _MARKS or doc[i].tag_ == "POS"]
    while words and doc[words[-1]].is_punct and doc[words[-1]].text not in (")", "%"):
        words.pop()
    while words and doc[words[0]].is_punct:
        words.pop(0)
    if sum(doc[i].text == "(" for i in words) != sum(doc[i].text == ")" for i in words):
        words = [i for i in words if doc[i].text not in ("(", ")")]
    pieces = []
    for n, i in enumerate(words):  # a space where any word up to the next kept one had one
        nxt = words[n + 1] if n + 1 < len(words) else i + 1
        pieces.append(doc[i].text + (" " if any(doc[k].whitespace_ for k in range(i, nxt)) else ""))
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", " ".join("".join(pieces).split()))
    first = text.split(" ", 1)[0] if text else ""
    return text[:1].upper() + text[1:] if first.islower() else text


# A headline says something: "That's fine" and "Ware: against doing so" are true and empty.
MIN_CONTENT = 3
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})


def content_count(doc: Doc, tokens: set[int]) -> int:
    """The words of `tokens` that say what happened: nouns, names, verbs, adjectives,
    numbers (not "is", "that", "so")."""
    dangling = english().dangling_words
    return sum(1 for i in tokens if doc[i].pos_ in _CONTENT_POS and doc[i].lower_ not in dangling)


def ends_a_phrase(doc: Doc, kept: set[int]) -> bool:
    """The last kept word ends its phrase: not a function word ("... using Ukraine as a"),
    not a modifier whose word was deleted ("swapping old phones for slinkier [ones]")."""
    words = [doc[i] for i in sorted(kept) if not doc[i].is_punct and doc[i].text not in _MARKS]
    if not words:
        return False
    last = words[-1]
    if last.lower_ in english().dangling_words and not _elided(last, words):
        return False
    return not (last.head.i > last.i and last.head.i not in kept)


def _elided(last: Token, words: list[Token]) -> bool:
    """ "China isn't Kremlin's most important ally, North Korea is": a verb whose rest the
    reader takes from the same verb negated before it, with a subject of its own, ends a
    clause, not a cut phrase."""
    subject = any(c.dep_ in _SUBJECTS for c in last.children)
    negated = any(
        w.lemma_ == last.lemma_ and any(c.dep_ == "neg" for c in w.children) for w in words[:-1]
    )
    return subject and negated and not any(c.dep_ != "punct" for c in last.rights)


def statement(doc: Doc, head: Token, kept: set[int]) -> bool:
    """A statement of a fact: its verb keeps its subject, it has enough words that say
    something, and it ends where a phrase ends."""
    if head.pos_ not in ("VERB", "AUX"):
        return False
    if not any(c.dep_ in _SUBJECTS and c.i in kept for c in head.children):
        return False
    if content_count(doc, kept & _subtree(head)) < MIN_CONTENT or not ends_a_phrase(doc, kept):
        return False
    # "Mr McCabe is also looking": a verb that had more to say ends no headline
    after = [t for t in head.subtree if t.i > head.i and not t.is_punct and t.i not in kept]
    last = max(i for i in kept if not doc[i].is_punct)
    return not (last == head.i and after)


def shorten(doc: Doc, head: Token, drop: set[int], budget: int, delete: bool = True) -> str:
    """The clause headed by `head` in at most `budget` words, deleting the least needed
    phrases first (none unless `delete`); "" when it cannot be done and stay a statement."""
    kept = _subtree(head) - drop
    kept -= {c.i for c in head.children if c.dep_ == "mark" and not _kept_word(c)}  # "that"
    figures = bool(quantities(render(doc, kept)))
    phrases = sorted(_candidates(doc, head), key=lambda x: (x[0], x[1])) if delete else []
    for level, _at, tok in phrases:
        if len(render(doc, kept).split()) <= budget:
            break
        cut = _cut_of(doc, tok, kept)
        if tok.i in kept and not (level == FIGURE and not quantities(render(doc, kept - cut))):
            kept -= cut
    text = render(doc, kept)
    if figures and not quantities(text):
        return ""
    return text if len(text.split()) <= budget and statement(doc, head, kept) else ""


def by_deletion(
    doc: Doc, speaker: str, limit: int, gone: frozenset[int] = frozenset(), delete: bool = True
) -> str:
    """The claim's main clause in at most `limit` words, its speaker first when it is
    reported ("Budanov: ..."); "" when it cannot be shortened faithfully. `gone`: words
    already deleted (the summary's asides, a dateline); `delete`: False for the clause as
    the claim words it."""
    found: Frame = frame_of(doc)
    who = credit(doc, found, speaker)
    if who is None:
        return ""
    prefix = f"{who}: " if who else ""
    text = shorten(doc, found.head, found.drop | gone, limit - len(prefix.split()), delete)
    return prefix + text if text else ""
