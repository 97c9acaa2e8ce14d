"""Stage 2: fit the article into the model's context, and cut it into extraction windows.

An article that does not fit is split on paragraph boundaries into chunks, each processed
on its own (map) and summarised from the union of their claims (reduce). Nothing is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from service.llm.tokens import count_tokens
from service.pipeline.clean import CleanDoc
from service.pipeline.segment import Sentence, is_instruction, render

# tiktoken's cl100k is not the local model's tokenizer; leave room for the difference.
TOKENIZER_MARGIN = 1.2


@dataclass(frozen=True)
class Window:
    first: int
    last: int
    ids: tuple[int, ...] = ()  # the sentences to mine; headings and instructions excluded

    @property
    def citable(self) -> list[int]:
        return list(self.ids) or list(range(self.first, self.last + 1))


@dataclass
class Chunk:
    sentences: list[Sentence]
    windows: list[Window]

    @property
    def first(self) -> int:
        return self.sentences[0].id

    @property
    def last(self) -> int:
        return self.sentences[-1].id


def estimate_tokens(text: str) -> int:
    return int(count_tokens(text) * TOKENIZER_MARGIN) + 1


def _paragraphs(sentences: list[Sentence]) -> list[list[Sentence]]:
    return [list(group) for _, group in groupby(sentences, key=lambda s: s.paragraph)]


def _window(sentences: list[Sentence]) -> Window:
    return Window(sentences[0].id, sentences[-1].id, tuple(s.id for s in sentences))


def windows_for(sentences: list[Sentence], size: int) -> list[Window]:
    """Group sentences into windows of about `size`, never splitting a paragraph needlessly.

    Short paragraphs (quotes, one-liners) are merged; long ones are cut into even parts.
    """
    windows: list[Window] = []
    pending: list[Sentence] = []
    body = [s for s in sentences if not s.heading and not s.instruction] or [
        s for s in sentences if not s.instruction
    ]
    for para in _paragraphs(body):
        if len(para) > size:
            if pending:
                windows.append(_window(pending))
                pending = []
            parts = -(-len(para) // size)
            step = -(-len(para) // parts)
            for i in range(0, len(para), step):
                windows.append(_window(para[i : i + step]))
            continue
        if pending and len(pending) + len(para) > size:
            windows.append(_window(pending))
            pending = []
        pending.extend(para)
    if pending:
        if windows and len(pending) <= size // 3:
            # A one-sentence tail costs a whole task prompt; fold it into its neighbour.
            last = windows.pop()
            windows.append(
                Window(last.first, pending[-1].id, last.ids + tuple(s.id for s in pending))
            )
        else:
            windows.append(_window(pending))
    return windows


def _parts(text: str, a: int, b: int, budget_tokens: int) -> list[tuple[int, int]]:
    """Halve [a, b) at the whitespace nearest its middle (or the middle itself) until every
    part fits; each part is trimmed of surrounding whitespace."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a <= 1 or estimate_tokens(text[a:b]) <= budget_tokens:
        return [(a, b)] if b > a else []
    mid = (a + b) // 2
    left = text.rfind(" ", a + (b - a) // 4, mid + 1)
    cut = left if left > a else mid
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


def plan_chunks(
    doc: CleanDoc, sentences: list[Sentence], budget_tokens: int, window_size: int
) -> list[Chunk]:
    """Chunks whose rendered text fits `budget_tokens`; paragraphs stay whole when they fit."""
    if budget_tokens <= 0:
        raise ValueError("the model context leaves no room for the article")
    chunks: list[list[Sentence]] = []
    current: list[Sentence] = []
    used = 0
    for para in _paragraphs(sentences):
        # A paragraph larger than the budget is split between sentences as a last resort.
        pieces: list[list[Sentence]] = [para]
        if estimate_tokens(render(doc, para)) > budget_tokens:
            pieces = [[s] for s in para]
        for piece in pieces:
            cost = estimate_tokens(render(doc, piece))
            if cost > budget_tokens:
                raise ValueError(f"sentence {piece[0].id} alone exceeds the context budget")
            if current and used + cost > budget_tokens:
                chunks.append(current)
                current, used = [], 0
            current.extend(piece)
            used += cost
    if current:
        chunks.append(current)
    return [Chunk(c, windows_for(c, window_size)) for c in chunks]
