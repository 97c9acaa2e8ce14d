"""What a text states, compared by rule: its numbers, names and content words.

Claims are composed from the source's own words (claims.py) and are grounded by
construction; what the model writes (summary sentences, a headline) is checked with these
against the claims it cites, and story clusters compare claims with them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STOP = frozenset(
    "the a an and or of to in on at for by with from that this these those is are was were be "
    "been has have had it its as but not also than which who whom said says say according "
    "will would could may might can there their they them he she his her him our we".split()
)
_STOP_START = _STOP | frozenset(
    "according despite during after before while since both all some many most another in "
    "however meanwhile although though because if when where what why how".split()
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”„«»]", '"', text)
    text = re.sub(r"[–—−]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def numbers_in(text: str) -> list[str]:
    return [n.replace(",", "") for n in _NUMBER.findall(text)]


def words_of(text: str) -> set[str]:
    """Lower-cased words of three letters or more."""
    return set(re.findall(r"\w{3,}", text.lower()))


_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Za-z]+)*\b")


@lru_cache(maxsize=4)
def _folded(article: str) -> str:
    # Asked once per claim with the same article: folding it each time made grounding
    # quadratic in the article's length (minutes for a long article).
    return normalize(article).lower()


def names_missing(claim: str, article: str) -> list[str]:
    """Capitalised words of a claim that the article never uses: misspelt or invented names.
    A sentence-initial function word ("Despite") is not a name."""
    low = _folded(article)
    return [
        n for n in _NAME.findall(claim) if n.lower() not in low and n.lower() not in _STOP_START
    ]
