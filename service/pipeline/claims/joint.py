"""Speakers joined by "and" ("Labour and the Tories claim …"): they speak together, and
crediting the first alone names half the speakers. Names join names and nouns nouns, each
of its own: "media and PR strategist Glen Yearwood" and "the former first lady and U.S.
senator" are one person's descriptions, not two speakers.
"""

from __future__ import annotations

from spacy.tokens import Token

from service.pipeline.claims.people import People


def joined(head: Token, people: People) -> list[Token]:
    """The other names or nouns a subject is joined to by "and" ("Labour and the Tories"):
    they speak together, and crediting the first alone names half the speakers."""
    if not any(c.dep_ == "cc" and c.lower_ == "and" for c in head.children):
        return []
    found, tok = [], head
    while (nxt := next((c for c in tok.children if c.dep_ == "conj"), None)) is not None:
        # a name joined to a common noun is more often one person's description misread
        # ("media and PR strategist Glen Yearwood"): names with names, nouns with nouns
        if _kind(nxt, people) != _kind(head, people) or _kind(head, people) is None:
            return []
        found.append(nxt)
        tok = nxt
    if _kind(head, people) == "noun" and not all(_one_of_many(t) for t in [head, *found]):
        return []  # "the former first lady and U.S. senator": one person's two offices
    return found


def _one_of_many(noun: Token) -> bool:
    """A noun that names its own speakers: plural ("critics"), or with its own "the"."""
    return noun.tag_ == "NNS" or any(c.dep_ == "det" for c in noun.children)


def together(head: Token, last: Token) -> str:
    """The joined speakers as written, up to a comma after the last of them ("Labour and the
    Tories", "Developers and supporters in Congress")."""
    doc = head.doc
    end = head.right_edge.i  # "in Congress" may hang on the first: the whole phrase
    comma = next((t.i for t in doc[last.i : end + 1] if t.text == ","), None)
    end = comma - 1 if comma is not None else end
    start = head.left_edge.i
    while start < head.i and doc[start].is_punct:
        start += 1
    return doc[start : end + 1].text


def _kind(tok: Token, people: People) -> str | None:
    named = tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or people.full(tok.text)
    if tok.pos_ == "PROPN" or named:
        return "name"  # "Labour", read as a noun, is a name the article tags elsewhere
    return "noun" if tok.pos_ == "NOUN" else None
