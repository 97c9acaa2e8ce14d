"""Does a claim read alone? A deterministic detector of the words a claim leans on outside
itself: pronouns and bare demonstratives with no referent before them in the claim, and
role nouns ("the spy chief") with no one named in the claim.

It does not parse. A referent is a mention earlier in the claim of the right kind: a labelled
entity (person or not, from the case), a bracketed substitution ("[Trump's]") or an unlabelled
capitalised word (either kind). Inside a quotation a third-person pronoun cannot point at the
quote's own speaker ("Budanov said: 'His position...'" needs someone else named), and "it" needs
a non-person referent, so "Budanov said: 'It is realistic'" does not read alone. Demonstratives
("this", "that") count only where they open a clause (the claim, a quotation, after a colon):
elsewhere they are determiners or complementizers ("said that").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from evals.cases import Case
from evals.matching import fold, mentions

Kind = Literal["person", "other", "any"]

PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
NON_PERSON = frozenset({"it", "its", "they", "them", "their", "theirs"})
DEMONSTRATIVE = frozenset({"this", "that", "these", "those"})
ROLES = frozenset(
    "chief head minister official spokesman spokeswoman spokesperson president leader director"
    " commander adviser advisor envoy ambassador representative secretary".split()
)
# Capitalised words that are not names: sentence openers, pronouns, titles.
NOT_NAMES = (
    PERSONAL
    | NON_PERSON
    | DEMONSTRATIVE
    | ROLES
    | frozenset(
        "the a an in on at and but or if as for with without after before during according since"
        " while when however yet also some many no not we i our you my your stop there here what"
        " why how who one another more most both all each every meanwhile despite amid although"
        " though such other its".split()
    )
)
_ROLE = re.compile(rf"\bthe\s+(?:[\w'-]+\s+){{0,2}}?(?:{'|'.join(sorted(ROLES))})\b", re.I)
# Double quotes, or single ones whose inner apostrophes sit inside words ("it's").
_QUOTED = re.compile(r"\"[^\"]*(?:\"|$)|(?<!\w)'(?:[^'\n]|'(?=\w))+'(?!\w)")
_BRACKET = re.compile(r"\[[^\]]+\]")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_CAPITAL = re.compile(r"\b[A-Z][\w-]*")
# Common nouns "it" and "they" may point at: a word after an article ("the truce"), or a
# lowercase plural ("labeling them" after "actions"). No tagger: verbs ending in -s are listed.
_NOUN = re.compile(r"\b(?:the|a|an)\s+([a-z][\w-]*)|\b([a-z]{2,}[^s\W]s)\b")
_NOT_PLURAL = frozenset("was has is does says its his this thus always perhaps as us".split())
_OPENER = re.compile(r"(?:^|[:;.!?]|[\"'])$")  # what may precede a clause start
_SPEECH = re.compile(r"\b(?:said|says|added|noted|stated|warned|stressed|emphasi[sz]ed|argued)$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: Kind
    text: str


def is_name(alias: str) -> bool:
    """A proper name, not a role: "Kyrylo Budanov", "GUR"; not "spy chief", "GUR head"."""
    words = alias.casefold().replace("'s", "").split()
    return alias[:1].isupper() and not any(w in ROLES for w in words)


def _entity_mentions(text: str, case: Case | None) -> list[Mention]:
    found = []
    for entity in case.entities if case else ():
        kind: Kind = "person" if entity.type == "person" else "other"
        for alias in {entity.name, *entity.aliases}:
            pattern = rf"(?<!\w){re.escape(fold(alias))}(?!\w)"
            for m in re.finditer(pattern, text, 0 if alias.isupper() else re.I):
                found.append(Mention(m.start(), m.end(), kind, alias))
    return found


def _mentions(text: str, case: Case | None) -> list[Mention]:
    known = _entity_mentions(text, case)
    known += [Mention(m.start(), m.end(), "any", m.group()) for m in _BRACKET.finditer(text)]
    for m in _NOUN.finditer(text):
        word = m.group(1) or m.group(2)
        if word not in _NOT_PLURAL and word not in NOT_NAMES:
            known.append(Mention(m.start(), m.end(), "other", word))
    covered = [(m.start, m.end) for m in known]
    for m in _CAPITAL.finditer(text):
        word = m.group().removesuffix("'s")
        inside = any(s <= m.start() < e for s, e in covered)
        if not inside and word.casefold() not in NOT_NAMES:
            known.append(Mention(m.start(), m.end(), "any", word))
    return known


def _is_speaker(name: str, speaker: str, case: Case | None) -> bool:
    """Does a mention name the claim's speaker ("Budanov" for "Kyrylo Budanov")?"""
    if not speaker.strip():
        return False
    if mentions(name, speaker) or mentions(speaker, name):
        return True
    aliases = case.alias_sets().values() if case else ()
    return any(name in forms and any(mentions(a, speaker) for a in forms) for forms in aliases)


def _role_holders(role: str, case: Case | None) -> list[set[str]]:
    """The labelled people a role phrase may stand for ("the chief" ~ "chief of the GUR")."""
    core = role.split(maxsplit=1)[1]  # without "the"
    return [
        {e.name, *e.aliases}
        for e in (case.entities if case else ())
        if e.type == "person" and any(mentions(core, a) or mentions(a, core) for a in e.aliases)
    ]


def _role_named(role: re.Match[str], found: list[Mention], case: Case | None) -> bool:
    outside = [c for c in found if not role.start() <= c.start < role.end() and is_name(c.text)]
    holders = _role_holders(role.group(), case)
    if holders:  # a known role: its holder must be named, not just anyone
        return any(c.text in forms for c in outside for forms in holders)
    return any(c.kind in ("person", "any") for c in outside)


def dependencies(text: str, speaker: str = "", case: Case | None = None) -> list[str]:
    """What in `text` points outside it, as readable reasons; empty: the claim reads alone."""
    text = fold(text)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    brackets = [(m.start(), m.end()) for m in _BRACKET.finditer(text)]
    found, reasons = _mentions(text, case), []
    for m in _WORD.finditer(text):
        word = re.sub(r"'\w*$", "", m.group().casefold())  # "it's" -> "it"
        if any(s <= m.start() < e for s, e in brackets):
            continue
        quoted = any(s < m.start() < e for s, e in quotes)
        before = text[: m.start()].rstrip(" ")
        opens = _OPENER.search(before) is not None
        opens |= word != "that" and _SPEECH.search(before) is not None
        if word in DEMONSTRATIVE and not opens:
            continue  # a determiner ("this position") or a complementizer ("said that")
        if word not in PERSONAL | NON_PERSON | DEMONSTRATIVE:
            continue
        need: Kind = "person" if word in PERSONAL else "other"
        candidates = [
            c
            for c in found
            if c.end <= m.start()
            and c.kind in (need, "any")
            and not (quoted and need == "person" and _is_speaker(c.text, speaker, case))
        ]
        if not candidates:
            where = " in a quotation" if quoted else ""
            reasons.append(f"'{m.group()}'{where} has no referent before it")
    for m in _ROLE.finditer(text):
        if not _role_named(m, found, case):
            reasons.append(f"'{m.group()}' names no one")
    return reasons
