"""Stage 2: sentences that fit: a "sentence" too long for one unit of work (a run of CJK
text or a one-line page in which pysbd finds no end) is cut into parts, so any article can
be processed, or refused with a 4xx, but never fails.
"""

from __future__ import annotations

import re
import unicodedata

from service.llm.tokens import count_tokens
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.segment import BREAKS, Sentence, is_instruction, split_sentences

# tiktoken's cl100k is not the local model's tokenizer; leave room for the difference.
TOKENIZER_MARGIN = 1.2
# The parser reads sentences one at a time; a "sentence" longer than this is a run-on line
# (a table, a list without stops) and is cut into parts.
SENTENCE_TOKENS = 400


def estimate_tokens(text: str) -> int:
    return int(count_tokens(text) * TOKENIZER_MARGIN) + 1


def _nearest(pattern: re.Pattern[str], text: str, lo: int, hi: int, mid: int) -> int | None:
    """The end of the match of `pattern` in [lo, hi) nearest `mid`, looking outward from it
    (a 1 MB run-on has 200,000 spaces; listing them all at every halving would be slow)."""
    reach = 64
    while True:
        left, right = max(lo, mid - reach), min(hi, mid + reach)
        ends = [m.end() for m in pattern.finditer(text, left, right)]
        if ends:
            return min(ends, key=lambda e: abs(e - mid))
        if (left, right) == (lo, hi):
            return None
        reach *= 4


def _cut(text: str, a: int, b: int) -> int:
    """Where to halve [a, b): the break nearest its middle within its middle half, a sentence
    end before a clause boundary before a space; then any space; never inside a word
    unless [a, b) has no space at all (CJK)."""
    mid = (a + b) // 2
    quarter = (b - a) // 4
    for pattern in BREAKS:
        found = _nearest(pattern, text, a + quarter, b - quarter, mid)
        if found is not None:
            return found
    found = _nearest(BREAKS[-1], text, a + 1, b - 1, mid)
    if found is not None:
        return found
    while mid > a + 1 and unicodedata.category(text[mid])[0] in "MC":
        mid -= 1  # a combining mark or joiner stays with its letter
    return mid


def _parts(text: str, a: int, b: int, budget_tokens: int) -> list[tuple[int, int]]:
    """Halve [a, b) at its best break (`_cut`) until every part fits; each part is trimmed
    of surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a <= 1 or estimate_tokens(text[a:b]) <= budget_tokens:
        return [(a, b)] if b > a else []
    cut = _cut(text, a, b)
    return _parts(text, a, cut, budget_tokens) + _parts(text, cut, b, budget_tokens)


def fit_sentences(
    doc: CleanDoc, sentences: list[Sentence], budget_tokens: int
) -> tuple[list[Sentence], int]:
    """Sentences renumbered, any too long for the context cut into parts that fit, and how
    many were cut. pysbd finds no sentence end in a long run of CJK text or a one-line page;
    without this such an article could not be processed at all (nor reported as a 4xx)."""
    # Room for the "[n] " marker, whose number may grow by renumbering.
    room = budget_tokens - 8
    out: list[Sentence] = []
    cut = 0
    for s in sentences:
        spans = [(s.start, s.end)]
        if estimate_tokens(doc.text[s.start : s.end]) > room:
            spans = _parts(doc.text, s.start, s.end, room)
            cut += 1
        for a, b in spans:
            instruction = s.instruction or is_instruction(doc.text[a:b])
            out.append(Sentence(len(out) + 1, a, b, s.paragraph, s.heading, instruction))
    return out, cut


def article_sentences(doc: CleanDoc) -> tuple[list[Sentence], int]:
    """The numbered sentences every stage (and a stored result's rebase) uses."""
    return fit_sentences(doc, split_sentences(doc), SENTENCE_TOKENS)
