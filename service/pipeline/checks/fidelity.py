"""Exact checks of a statement against the article sentences that state it: its numbers,
its hedges and the names it credits.

The faithfulness checker's model (1.5B) barely moves its probability when "may" becomes
"will" or one speaker is swapped for another: on the held-out labels check@v1 caught 0 of 2
added hedges, 2 of 6 dropped ones and 1 of 6 wrong speakers. Those are the differences a
comparison of strings sees without any model, so the checker does both: the model judges
meaning, these rules judge the words a reader must be able to trust literally.

The sentences that state a statement are found by its rare content words (the passage);
names are looked for in that passage and the sentences just before it, where an attribution
("Budanov said ... He added") usually stands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.pipeline.brief.rank import content_words
from service.pipeline.claims.ground import normalize, numbers_in
from service.pipeline.language import english

# Hedge families (the language pack): a statement may word a hedge differently ("nearly"
# for "almost"), but it must keep each family the source sentence uses and add none.
HEDGES: dict[str, re.Pattern[str]] = english().hedges
_SPEECH = (
    r"said|says|say|told|tells|stated|states|added|adds|noted|notes|warned|warns|claimed|"
    r"claims|believes|believed|estimated|estimates|speculated|argued|argues|insisted|"
    r"predicted|suggested|confirmed|reported|reports|announced|emphasi[sz]ed|stressed|"
    r"mentioned|disclosed|observed|explained|pleaded|urged|criticized|criticised|"
    r"connected|linked|expects|expected|thinks|thought|called|described|presented"
)
_CAP = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
# Who a statement credits: "X said ...", "X also told ...", "according to X", "..., X said".
_CREDITED = re.compile(
    rf"\b[Aa]ccording to (?:the )?(?P<a>{_CAP})|(?P<b>{_CAP})\s+(?:also\s+|\w+ly\s+)?(?:{_SPEECH})\b"
    rf"|\b(?:said|says|added|reported)\s+(?P<c>{_CAP})"
)
_NOT_NAMES = frozenset(
    "a an the according at in on as after before during while when if but and he she it they "
    "this that these those his her its their there what who speaking january february march "
    "april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday".split()
)
_SPEECH_STEMS = frozenset(w[:5] for w in re.findall(r"[a-z]+", _SPEECH))
HEDGE_REACH = 8  # words after a hedge that it governs ("may provide Ukraine with ... systems")
LOOKBACK = 2  # sentences before the passage searched for a credited name
PASSAGE = 2  # sentences that best state the statement


@dataclass(frozen=True)
class Passage:
    best: list[int]  # indices of the sentences that best state the statement
    sentences: Sequence[str]
    # Sentences that name who a pronoun or role noun of the statement is ("He presented
    # evidence" -> "Kyrylo Budanov presented evidence"), shown and searched with the rest.
    context: tuple[int, ...] = ()

    def _join(self, keep: set[int]) -> str:
        """The sentences `keep` and the context sentences, in article order."""
        return " ".join(self.sentences[j] for j in sorted(keep | set(self.context)))

    @property
    def stating(self) -> str:
        """The one sentence that states it best (whose hedges and speaker it must keep)."""
        return self.sentences[self.best[0]]

    @property
    def before(self) -> str:
        """The sentences just before the best one, where its speaker may be named."""
        first = self.best[0]
        return self._join(set(range(max(0, first - LOOKBACK), first + 1)))

    @property
    def shown(self) -> str:
        """What the model reads: the stating sentences and the one before the best, in
        article order."""
        return self._join(set(self.best) | {max(0, self.best[0] - 1)})

    @property
    def around(self) -> str:
        """The passage with the sentences before each of its sentences."""
        return self._join({j for i in self.best for j in range(max(0, i - LOOKBACK), i + 1)})


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(normalize(text))}


def find_passage(statement: str, sentences: Sequence[str]) -> Passage:
    """The sentences sharing the most of the statement's rare words (weighted by how few
    sentences of the article use them), best first."""
    stems = [_stems(s) for s in sentences]
    df: dict[str, int] = {}
    for found in stems:
        for stem in found:
            df[stem] = df.get(stem, 0) + 1
    idf = {s: math.log(1 + len(sentences) / d) for s, d in df.items()}
    # The fact's words, not who is credited with it: a swapped speaker must not pull the
    # passage towards the sentences that name them.
    want = _stems(statement) - _stems(" ".join(credited(statement))) - _SPEECH_STEMS
    scores = [sum(idf[s] for s in want & found) for found in stems]
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    best = [i for i in ranked[:PASSAGE] if scores[i] > 0]
    return Passage(best or ranked[:1], sentences)


def hedges(text: str, about: set[str] | None = None) -> set[str]:
    """The hedge families of a text; with `about`, only hedges governing one of those stems
    (a sentence's "may" about another of its clauses is no hedge of this statement)."""
    text = normalize(text)
    found = set()
    for name, pattern in HEDGES.items():
        for match in pattern.finditer(text):
            reach = " ".join(text[match.end() :].split()[:HEDGE_REACH])
            if about is None or _stems(reach) & about:
                found.add(name)
    return found


def credited(text: str) -> list[str]:
    """The names a statement credits with saying it."""
    found = []
    for match in _CREDITED.finditer(normalize(text)):
        name = match.group("a") or match.group("b") or match.group("c")
        words = [w for w in name.split() if w.lower() not in _NOT_NAMES]
        if words:
            found.append(" ".join(words))
    return found


def _named(name: str, text: str) -> bool:
    """Any word of a multi-word name will do ("Kirby" for "John Kirby"; "Zelenskiy" is not
    "Zelensky", which is a spelling the passage would have to use)."""
    low = text.lower()
    return any(
        re.search(rf"(?<!\w){re.escape(w.lower().removesuffix(chr(39) + 's'))}", low)
        for w in name.split()
        if len(w) > 2
    )


def _credits(name: str, passage: Passage) -> bool:
    """The best sentence credits `name`, or credits no one by name ("he said") and the
    sentences before it name them."""
    own = credited(passage.stating)
    if own:
        return _named(name, " ".join(own))
    return _named(name, passage.before)


def exact_failures(statement: str, passage: Passage) -> list[str]:
    """What the statement says that its passage does not: numbers, hedges, names."""
    stating, around = passage.stating, passage.around
    shown = set(numbers_in(around))
    failures = [f"number {n}" for n in numbers_in(statement) if n not in shown]
    mine, theirs = hedges(statement), hedges(stating, about=_stems(statement))
    failures += [f"adds a hedge ({h})" for h in sorted(mine - hedges(around))]
    failures += [f"drops a hedge ({h})" for h in sorted(theirs - mine)]
    failures += [f"credits {n}" for n in credited(statement) if not _credits(n, passage)]
    return failures
