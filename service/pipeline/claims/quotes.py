"""Where a text quotes someone: one detector for every stage that must not change or
credit quoted words (standalone's brackets, attribution's "is this a quotation").

Every style in the language pack counts: “…”, "…", ‘…’, '…', «…», „…“. An apostrophe is
no quote mark ("don't", "O'Brien", and "the Smiths' house" when a later mark closes the
quote). A paragraph that opens a quote without closing it is quoted to its end (the next
paragraph opens with a mark to continue it); a paragraph whose first mark closes a quote
was quoted from its start (a sentence cut out of a longer quotation). A double mark that
opens inside a quotation of the same mark ends it and opens the next ('"A. "B."': the news
convention for a quotation that runs on into a new paragraph, on one line).
"""

from __future__ import annotations

import re
from functools import lru_cache

from service.pipeline.language import english

_OPEN_AFTER = frozenset(" \t\n([{—–-/:")
_CLOSE_BEFORE = frozenset(" \t\n)]}—–-,.;:!?…")
_STOPS = frozenset(",.;:!?…")
_SINGLE = frozenset("'’")
_ENDS = frozenset(".!?…")
_DETACHED = re.compile(r"(?:s|\d+s?|em|n|til|cause|tis)\b", re.I)
_MIN_QUOTED = 12  # characters: shorter is a scare quote or a title, not a quotation


@lru_cache(maxsize=1)
def _marks() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """opening mark -> marks that close it; every closing mark."""
    pairs = english().quote_marks
    closers: dict[str, frozenset[str]] = {}
    for opener, closer in pairs.items():
        # „ closes with “ in German and ” in Polish: accept what the closer itself closes with.
        also = pairs.get(closer, closer) if closer != opener else closer
        family = next((f for f in english().quote_mark_families if opener in f), "")
        closers[opener] = frozenset({closer, also, *family})
    return closers, frozenset().union(*closers.values())


def _is_apostrophe(text: str, i: int) -> bool:
    """ "don't", "O'Brien", "rock ’n’ roll"-like letters on both sides."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return text[i] in _SINGLE and before.isalnum() and after.isalnum()


def _can_open(text: str, i: int, marks: frozenset[str]) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in _SINGLE and _DETACHED.match(text, i + 1):
        return False  # "the Alliance 's", "’90s", "'em": no quotation
    return (before in _OPEN_AFTER or before in marks) and not after.isspace()


def _can_close(text: str, i: int, marks: frozenset[str]) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSE_BEFORE or after in marks)


def _possessive(text: str, i: int, closers: frozenset[str]) -> bool:
    """ "the Smiths’ house": a single mark after a word, followed by a word, with another
    mark further on that can close the quote — the first is the plural possessive."""
    if text[i] not in _SINGLE or text[i - 1 : i] in _STOPS:
        return False
    after = text[i + 1 : i + 3]
    if not (after[:1] == " " and after[1:2].isalpha()):
        return False
    rest = text[i + 1 :]
    return any(ch in closers and _can_close(rest, j, frozenset()) for j, ch in enumerate(rest))


def _paragraph_spans(text: str, base: int) -> list[tuple[int, int]]:
    closers_of, closing = _marks()
    every = frozenset(closers_of) | closing
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch not in every or _is_apostrophe(text, i):
            continue
        if stack and ch in closers_of[stack[-1][0]] and _can_close(text, i, every):
            if _possessive(text, i, closers_of[stack[-1][0]]):
                continue
            _opener, start = stack.pop()
            if not stack:
                spans.append((base + start, base + i + 1))
            continue
        if _reopens(text, i, stack, every):
            # '"A. "B."': a paragraph that continues a quotation opens with the mark again
            # (scraped text runs the paragraphs together); the same double mark cannot open
            # a quotation inside its own (a nested one takes the single marks).
            _opener, start = stack.pop()
            spans.append((base + start, base + len(text[:i].rstrip())))
            stack.append((ch, i))
        elif ch in closers_of and _can_open(text, i, every):
            stack.append((ch, i))
        elif not stack and ch in closing and _closes_from_start(text, i, every, spans, base):
            # the paragraph continues a quotation opened before it
            spans.append((spans[-1][1] if spans else base, base + i + 1))
    if stack:
        spans.append((base + stack[0][1], base + len(text)))
    return spans


def _reopens(text: str, i: int, stack: list[tuple[str, int]], every: frozenset[str]) -> bool:
    """A double mark that opens a new sentence while one quotation of that same mark is
    open (not 'what he calls "hell"': a word, not a sentence's end, before it)."""
    return (
        len(stack) == 1
        and text[i] == stack[0][0]
        and text[i] not in _SINGLE
        and _can_open(text, i, every)
        and _after_sentence_end(text, i)
    )


def _after_sentence_end(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j >= 0 and text[j] in _ENDS


def _closes_from_start(
    text: str, i: int, every: frozenset[str], spans: list[tuple[int, int]], base: int
) -> bool:
    """A closing mark with no opening one: only as the paragraph's first quote event, and
    only a mark that can only close (” » ’) or a straight one after a full stop or comma
    — never a possessive "Smiths' "."""
    if spans or not _can_close(text, i, every):
        return False
    before = text[i - 1] if i > 0 else " "
    if text[i] in "\"'’":
        return before in _STOPS
    return True


def _single_marks(text: str) -> str:
    """``…'' and ''…'' read as ““…”” (same length, so offsets hold, and a quotation's span
    takes both characters of each mark in). A digraph that both opens and closes (''…'', as
    some newswire archives write quotes) opens where a quotation can start (after a space
    or an opening bracket, before a word) and closes elsewhere."""
    pairs = english().quote_digraphs.items()
    # ''…'' first: ``…'''s closer must not turn every '' into a closing mark
    for opener, closer in sorted(pairs, key=lambda pair: pair[0] != pair[1]):
        if opener != closer:
            text = text.replace(opener, "“" * len(opener)).replace(closer, "”" * len(closer))
            continue
        pieces, at = [], 0
        for m in re.finditer(re.escape(opener), text):
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            opens = before in _OPEN_AFTER and not after.isspace()
            pieces += [text[at : m.start()], ("“" if opens else "”") * len(opener)]
            at = m.end()
        text = "".join(pieces) + text[at:]
    return text


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in `text`, quote marks included, paragraph by
    paragraph (lines)."""
    text = _single_marks(text)
    spans: list[tuple[int, int]] = []
    base = 0
    for line in text.split("\n"):
        spans.extend(_paragraph_spans(line, base))
        base += len(line) + 1
    return spans


def has_quotation(text: str) -> bool:
    """Whether the text quotes someone at any length worth the name."""
    return any(end - start - 2 >= _MIN_QUOTED for start, end in quoted_spans(text))


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the words at start:end lie in one of the spans."""
    return any(a <= start and end <= b for a, b in spans)
