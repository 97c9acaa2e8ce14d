"""The one normal form every eval comparison uses, for labels and predictions alike. Below
the cases (which check their evidence snippets with it) and the matching built on them."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]")
_PERCENT_WORD = re.compile(r"\bper\s*cent\b")
_PERCENT_GAP = re.compile(r"(?<=\d)[\s-]*%")  # "40 %" and "40-%" (from "40-percent") -> "40%"
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC with typographic quotes and dashes made plain; case is kept."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _DASHES.sub("-", text)


def normalize(text: str) -> str:
    """The one form every comparison uses: casefolded, plain punctuation, '40 percent' ->
    '40%', single spaces. Labels and predictions both go through it, so they meet halfway."""
    text = fold(text).casefold()
    text = _PERCENT_WORD.sub("%", text)
    text = _PERCENT_GAP.sub("%", text)
    return _SPACE.sub(" ", text).strip()
