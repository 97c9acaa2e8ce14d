"""How alike two claims are in meaning: shared distinctive words, and sentence embeddings.

Words: content stems after every entity mention is replaced by its canonical id (so
"Pyongyang" and "North Korea" are one word), weighted by rarity in the story, so the words
every claim shares (the story's main entities) weigh little. Embeddings: cosine of e5
vectors of the claims with canonical entity names, rescaled so that the cosine of two
claims on one topic that state different facts (about 0.85 for e5) maps to 0 and that of
paraphrases (about 0.95) to 1. The score is the larger of the two: a paraphrase shares
meaning with few words, a specific restatement shares rare words without a close vector.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from service.pipeline.claims.ground import _STOP, normalize
from service.pipeline.language import english
from service.story.embed import Embedder, cosine_matrix

E5_FLOOR = 0.86  # e5 cosine of same-topic claims that state different facts
E5_CEILING = 0.95  # e5 cosine of paraphrases of one fact
# Claims about one person share a close vector whatever they say ("Budanov spoke in Kyiv",
# "Budanov gave an interview": 0.93): without a shared content word, only near-identity counts.
E5_ALONE = 0.95
RARE_IDF = 2.0  # log(1 + n/df): a word in at most about one claim in six
# Prepositions, conjunctions and linking verbs the shared stop list lacks: they join any
# two facts ("has become a major ...", "between Russia and ...").
_GENERIC = english().story.generic_words


def _replace_aliases(text: str, resolve: dict[str, str], fmt: str) -> str:
    low = re.sub(r"(\d)\s*(?:percent|per cent)\b", r"\1%", normalize(text))
    for alias in sorted(resolve, key=len, reverse=True):
        if len(alias) > 1:
            low = re.sub(
                rf"(?<!\w){re.escape(alias)}(?!\w)",
                fmt.format(resolve[alias]),
                low,
                flags=re.I,
            )
    return low


def canonical_terms(text: str, resolve: dict[str, str]) -> frozenset[str]:
    """Content stems, with each known entity mention replaced by its canonical id."""
    ids = {alias: value.replace("-", "_") for alias, value in resolve.items()}
    low = _replace_aliases(text, ids, " ent_{} ").casefold()
    words = re.findall(r"ent_\w+|[a-z0-9%]+", low)
    return frozenset(
        w if w.startswith("ent_") else w[:5]
        for w in words
        if len(w) > 2 and w not in _STOP and w not in _GENERIC
    )


def canonical_text(text: str, names: dict[str, str]) -> str:
    """The claim with each entity mention spelled the one canonical way, for embedding."""
    return _replace_aliases(text, names, "{}")


class Similarity:
    """Pairwise scores in [0, 1] for a fixed list of claims (indices into it)."""

    def __init__(
        self,
        terms: Sequence[frozenset[str]],
        texts: Sequence[str],
        embed: Embedder | None = None,
        anchors: Sequence[frozenset[str]] | None = None,
    ) -> None:
        df: dict[str, int] = {}
        for t in terms:
            for term in t:
                df[term] = df.get(term, 0) + 1
        n = max(len(terms), 1)
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}
        self.terms = list(terms)
        # Without anchors given (words of the fact that can tie two facts), every term is one.
        self.anchors = (
            [a & t for a, t in zip(anchors, terms, strict=True)] if anchors else self.terms
        )
        self.cos = cosine_matrix(embed(list(texts))) if embed is not None and texts else None

    def weight(self, terms: frozenset[str]) -> float:
        return sum(self.idf.get(t, 0.0) for t in terms)

    def words(self, i: int, j: int) -> float:
        a, b = self.terms[i], self.terms[j]
        if not self.anchors[i] & self.anchors[j]:
            return 0.0  # only adjectives or adverbs in common ("major"): no shared fact
        smaller = min(self.weight(a), self.weight(b))
        return self.weight(a & b) / smaller if smaller > 0 else 0.0

    def meaning(self, i: int, j: int) -> float:
        if self.cos is None:
            return 0.0
        # A shared word is content unless most of the story says it (Budanov, North Korea);
        # and as for words, only a shared noun, verb, name or number ties two facts: a close
        # vector and "military" in common is one topic ("losses in military units", "North
        # Korea's military aid is the top concern"), not one fact.
        shared = [t for t in self.terms[i] & self.terms[j] if self.idf.get(t, 0.0) >= RARE_IDF]
        tied = bool(shared) and bool(self.anchors[i] & self.anchors[j])
        if not tied and self.cos[i][j] < E5_ALONE:
            return 0.0
        scaled = (self.cos[i][j] - E5_FLOOR) / (E5_CEILING - E5_FLOOR)
        return min(1.0, max(0.0, scaled))

    def score(self, i: int, j: int) -> float:
        return max(self.words(i, j), self.meaning(i, j))


def shared_run(a: str, b: str) -> int:
    """The most consecutive words (case and punctuation aside) two texts share: a quotation
    both report word for word."""
    wa, wb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    match = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return match.size
