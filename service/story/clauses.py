"""The separate statements of a claim, from its dependency parse.

One sentence often states two facts: "North Korea supplies ammunition, Budanov said,
pointing to an increase in hostilities"; "Ukraine is battling in Donetsk but has seized
territory in Kursk". As one story item such a claim can join only one fact's cluster, so a
second outlet stating only the other fact finds no partner. Each clause that carries its
own content becomes an item of its own (same claim, same evidence); the main clause keeps
the rest. Clauses that only qualify the main one stay in it: purpose ("to meet demand"),
comparison ("than it can produce"), restrictive relative clauses and participles that
merely list who takes part ("involving Ukraine, Russia and the US").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from service.pipeline.language import english

_CLAUSE_HEAD = frozenset({"VERB", "AUX"})
_CONTENT = frozenset({"NOUN", "VERB", "ADJ", "NUM"})
_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# "either resort to X or find Y": neither is asserted
_ALTERNATIVE = english().story.alternative_conjunctions
MIN_CONTENT = 2  # content words (besides names) a clause needs to state a fact of its own


def _content(tokens: Iterable[Token]) -> int:
    """Content words that are not names: a clause of names only adds participants."""
    return sum(1 for t in tokens if t.pos_ in _CONTENT and not t.is_stop and not t.ent_type_)


def _subtree(t: Token) -> list[Token]:
    return list(t.doc[t.left_edge.i : t.right_edge.i + 1])


def _alternative(conj: Token) -> bool:
    return any(c.dep_ == "cc" and c.lower_ in _ALTERNATIVE for c in conj.head.children)


def _qualifier(t: Token) -> bool:
    """A clause that narrows the main one rather than adding a fact: purpose infinitive,
    comparison, or a relative clause without the comma that marks an aside."""
    if t.dep_ == "advcl":
        marks = {c.lower_ for c in t.children if c.dep_ in ("mark", "aux")}
        return bool(marks & {"to", "than", "so"}) or t.tag_ == "VB"
    if t.dep_ == "relcl":
        before = t.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
        return before is None or before.text != ","
    return False


def _splits(doc: Doc) -> list[Token]:
    """Heads of clauses that state a fact of their own: adverbial clauses (finite or
    participial), verbs coordinated with a clause's verb, and relative clauses set off by a
    comma. Outermost first; a clause inside a split clause stays with it."""
    heads: list[Token] = []
    for t in doc:
        if t.pos_ not in _CLAUSE_HEAD or t.dep_ not in ("advcl", "conj", "relcl"):
            continue
        if t.dep_ == "conj" and (t.head.pos_ not in _CLAUSE_HEAD or _alternative(t)):
            continue
        if _qualifier(t) or _content(_subtree(t)) < MIN_CONTENT:
            continue
        if any(h.left_edge.i <= t.i <= h.right_edge.i for h in heads):
            continue
        heads.append(t)
    return heads


def _subject(head: Token) -> list[Token]:
    """The words a clause is about when it has no subject of its own: the coordinated
    verb's subject, the antecedent of a relative clause, a participle's main subject."""
    if head.dep_ == "relcl":
        noun = head.head
        return [t for t in _subtree(noun) if t.i < head.left_edge.i and t.text != ","]
    if any(c.dep_ in _SUBJECT for c in head.children):
        return []
    subjects = [c for c in head.head.children if c.dep_ in _SUBJECT]
    return _subtree(subjects[0]) if subjects else []


def _text(tokens: Iterable[Token]) -> str:
    words = "".join(t.text_with_ws for t in tokens).strip()
    # the comma that set a clause off is left dangling before the end or a quote mark
    words = re.sub(r"\s*,\s*(?=[.;:!?”’\"]|$)", "", words)
    return words.strip(" ,;:–—-").strip()


# A statement's words: those it is about when its clause lacks a subject, and its clause.
Statement = tuple[list[Token], list[Token]]


def split_tokens(doc: Doc) -> list[Statement]:
    """The words of each statement: [main clause, clause, ...]; [the sentence] when it
    states one fact."""
    heads = _splits(doc)
    if not heads:
        return [([], list(doc))]
    inside = {t.i for h in heads for t in _subtree(h)}
    main = [t for t in doc if t.i not in inside]
    parts: list[Statement] = [([], main)] if _content(main) >= MIN_CONTENT else []
    parts += [(_subject(h), _subtree(h)) for h in heads]
    return [p for p in parts if words(p)] or [([], list(doc))]


def words(statement: Statement, drop: frozenset[int] = frozenset()) -> str:
    """A statement's text without the words in `drop` (token indices), nor the commas that
    set its clauses off; the whole sentence as written when it is one statement."""
    about, clause = statement
    if not about and not drop and len(clause) == len(clause[0].doc):
        return clause[0].doc.text
    first = _text(t for t in about if t.i not in drop)
    return f"{first} {_text(t for t in clause if t.i not in drop)}".strip()
