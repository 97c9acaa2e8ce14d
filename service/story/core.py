"""Whether two statements of different articles state one fact: their cores must match.

Real coverage of one event shares names, dates and words everywhere, so shared words or a
close vector only PROPOSE a pair (align.py); the pair is one fact when what is said and of
whom agree. A statement's core (facts.core) is its predicate ("founder", "lose") and its
holder, the subject the predicate is said of ("Obama"). Two statements saying one
predicate of two different named holders ("Obama is the founder of ISIS", "Clinton is a
co-founder") state two facts, however many words they share. A pair tied by shared words
alone, without the embedding's support, is one fact only when its cores agree: one
predicate of one holder. Numbers are compared where they are (align.py: conflicting
figures never link; a cluster is split by the figures its members state).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from service.story.similarity import Similarity


class Item(Protocol):
    """What the test reads of a statement (align.Item)."""

    @property
    def predicate(self) -> str: ...
    @property
    def holder(self) -> frozenset[str]: ...
    @property
    def patient(self) -> frozenset[str]: ...


# Scaled e5 meaning (similarity.py) at or above which a pair is one fact without its cores
# agreeing: the vectors read paraphrases ("Pyongyang provides shells" / "North Korea supplies
# ammunition") that a predicate's lemma cannot. On the pairs of six PolNeAR dev sets (all
# but weiner-sexting-separation) whose two sides state one labelled fact (same), different
# labelled facts (diff) or none (?): meaning >= 0.5 51 same / 3 diff / 10 ?; 0.3-0.5
# 36 / 12 / 54; cores agreeing 8 / 0 / 1; shared words alone (meaning < 0.3) >= 0.6
# 4 / 4 / 33, 0.35-0.6 36 / 18 / 174.
MEANING = 0.5
# A weaker embedding's support counts with a share of the words besides (names alone are
# shared by every statement about one person: "Manafort's ties" / "Manafort will remain").
MEANING_WITH_WORDS = 0.3
SHARED_WORDS = 0.3


def _named(holder: frozenset[str]) -> frozenset[str]:
    """The story entities among a holder's terms (canonical ids: ent_<id>)."""
    return frozenset(t for t in holder if t.startswith("ent_"))


def other_holder(a: Item, b: Item) -> bool:
    """One predicate said of two different named holders: two facts."""
    if not a.predicate or a.predicate != b.predicate:
        return False
    na, nb = _named(a.holder), _named(b.holder)
    return bool(na and nb) and not na & nb


def _passive(a: Item) -> bool:
    """Its subject is whom its verb acts on ("Mateen was killed"): it names no agent."""
    return bool(a.holder) and a.holder == a.patient


def same_core(a: Item, b: Item) -> bool:
    """One predicate said of one holder (a shared term of their subjects), or done to one
    patient where one of the two names no agent ("Mateen was killed" / "Police killed the
    gunman, Omar Mateen"): two agents of one act ("Trump attacked Clinton" / "Sanders
    attacked Clinton") must share their holder."""
    if not a.predicate or a.predicate != b.predicate:
        return False
    return bool(a.holder & b.holder) or (
        (_passive(a) or _passive(b)) and bool(a.patient & b.patient)
    )


def one_fact(items: Sequence[Item], sim: Similarity, i: int, j: int) -> bool:
    """A proposed pair of two articles' statements is one fact: the embedding supports it,
    with a share of their words, or their cores agree; never one predicate of two holders.
    Shared words alone are never enough (see MEANING)."""
    a, b = items[i], items[j]
    if other_holder(a, b):
        return False
    meaning, words = sim.meaning(i, j), sim.words(i, j)
    return (
        meaning >= MEANING
        or (meaning >= MEANING_WITH_WORDS and words >= SHARED_WORDS)
        or same_core(a, b)
    )
