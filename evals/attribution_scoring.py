"""Scoring one annotated attribution against the claims the pipeline made, shared by the
PolNeAR suite (attribution_eval.py) and our own labelled set (own_set.py).

- **The claim carrying a statement**: the claim whose evidence covers most of the
  statement's characters (ties: the one with the least evidence, the more specific).
- **Attributed**: that claim's speaker is someone: not the outlet (its narration), not
  "the article", not "unattributed".
- **Speaker match** (`speaker_matches`): the last word of the expected name (its surname, or
  an organisation's last word; Jr., Sr., II, III skipped) is one of the speaker's words,
  case-insensitive, possessive 's dropped. "Caddell" and "Pat Caddell" match
  "longtime Democratic pollster Pat Caddell"; an alias that shares no surname (a nickname)
  does not; two people of one surname are not told apart. An acronym matches the other
  side's initials ("S&P" and "Standard & Poor's").
- **Left as written**: a speaker that is a pronoun, names nothing (no capitalised word
  before a preposition but an opening determiner: "a spokesman for the trust", "The ad"),
  or is made only of the source's own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.pipeline.language import english
from service.pipeline.models import UNATTRIBUTED, Claim
from service.pipeline.reading.source import OWN_VOICE

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# First and second person: a quotation's own voice, never a name (the pack lists third person).
_SPEAKING = frozenset("i me my we us our you your".split())
_OPENERS = frozenset("the a an this that these those his her its their many some".split())


def words(text: str) -> list[str]:
    """Lower-case words, possessive 's dropped ("Clinton's" -> "clinton")."""
    out = []
    for w in _WORD.findall(text.replace("’", "'")):
        out.append(re.sub(r"'s$", "", w.lower()))
    return out


def surname(name: str) -> str | None:
    ws = [w for w in words(name) if w not in _SUFFIXES]
    return ws[-1] if ws else None


def initials(name: str) -> str:
    """'Standard & Poor's' -> 'SP'; 'BAA' -> 'BAA' (an acronym is its own initials)."""
    caps: list[str] = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", name) if w[0].isupper()]
    if len(caps) == 1 and caps[0].replace(".", "").isupper():
        return caps[0].replace(".", "")
    return "".join(w[0] for w in caps)


def _acronym(text: str) -> str | None:
    bare = re.sub(r"[&.\s]", "", text.strip())
    return bare if 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper() else None


def speaker_matches(speaker: str, expected: str) -> bool:
    """By surname; or an acronym against the other side's initials ('S&P' for
    'Standard & Poor's', 'the BBC' for 'British Broadcasting Corporation')."""
    last = surname(expected)
    if last is not None and last in words(speaker):
        return True
    for short, full in ((speaker, expected), (expected, speaker)):
        acronym = next((a for w in short.split() if (a := _acronym(w))), None)
        if acronym and len(initials(full)) > 1 and acronym == initials(full):
            return True
    return False


@dataclass(frozen=True)
class Carrier:
    """The claim carrying a statement and how much of it its evidence covers."""

    claim: Claim
    covered: float


def overlap(fragments: Sequence[tuple[int, int]], claim: Claim) -> int:
    """Characters of the fragments inside the claim's evidence (each character once)."""
    covered: set[int] = set()
    for s, e in fragments:
        for span in claim.evidence:
            lo, hi = max(s, span.start), min(e, span.end)
            covered.update(range(lo, hi))
    return len(covered)


def carrier(fragments: Sequence[tuple[int, int]], claims: Sequence[Claim]) -> Carrier | None:
    size = sum(e - s for s, e in fragments)
    best: tuple[int, int, Claim] | None = None
    for claim in claims:
        n = overlap(fragments, claim)
        key = (n, -sum(sp.end - sp.start for sp in claim.evidence))
        if n and (best is None or key > best[:2]):
            best = (key[0], key[1], claim)
    return Carrier(best[2], best[0] / max(size, 1)) if best else None


def by_outlet(claim: Claim, outlet: str) -> bool:
    """The outlet's own narration (or the article's own voice when no outlet is known)."""
    cue = claim.attribution.cue if claim.attribution is not None else None
    return cue == "narration" or claim.speaker in (outlet, OWN_VOICE)


def attributed(claim: Claim, outlet: str) -> bool:
    return not by_outlet(claim, outlet) and claim.speaker != UNATTRIBUTED


def as_written(speaker: str, source: str) -> bool:
    """A speaker that is still the article's pronoun or role noun, not a name."""
    forms = set().union(*english().pronouns.values()) | _SPEAKING
    ws = words(speaker)
    if not ws or all(w in forms for w in ws):
        return True
    if not names_something(speaker):
        return True
    return set(ws) <= set(words(source))


def names_something(speaker: str) -> bool:
    """A capitalised word before any preposition, other than an opening determiner: "Pat
    Caddell", "BAA", not "The ad" or "the leader of the House"."""
    head = re.split(r"\s(?:of|in|for|at|from|with|on|to|by)\s", speaker, maxsplit=1)[0].split()
    if head and head[0].lower() in _OPENERS:
        head = head[1:]
    return any(w[:1].isupper() for w in head)


def resolution(speaker: str, source: str, names: Sequence[str]) -> str:
    """For a pronoun or role-noun source: 'unresolved' (kept as written), 'right' (one of
    the referent's names), 'wrong' (another name), or 'named' when the referent has no name
    to check against."""
    if as_written(speaker, source):
        return "unresolved"
    if not names:
        return "named"
    return "right" if any(speaker_matches(speaker, n) for n in names) else "wrong"


def in_quotes(text: str, fragments: Sequence[tuple[int, int]]) -> bool:
    """A direct quotation: the statement's first character is a quotation mark of any style
    (or the one right before it is) and so is its last (or the one right after it, past a
    comma or full stop)."""
    marks = english().quote_marks
    start, end = fragments[0][0], fragments[-1][1]
    first = text[start:end].lstrip()[:1] or " "
    before = text[:start].rstrip()[-1:] or " "
    last = text[start:end].rstrip()[-1:] or " "
    after = text[end:].lstrip(" ,.!?")[:1] or " "
    return (first in marks or before in marks) and (
        last in marks.values() or after in marks.values()
    )
