"""Sentences of the cleaned article, numbered: the model cites numbers, never copies text.

Citing `[7]` costs the model two tokens and cannot misquote; the pipeline turns the number
into the exact source span.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from confusable_homoglyphs import confusables

from service.pipeline.language import english
from service.pipeline.reading.clean import CleanDoc

_LEX = english()


@dataclass(frozen=True)
class Sentence:
    id: int  # 1-based, global over the article
    start: int  # offsets in CleanDoc.text
    end: int
    paragraph: int
    heading: bool = False  # a headline or subheading: shown to the model, not mined for claims
    instruction: bool = False  # addressed to an AI ("ignore previous instructions"): never evidence


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# pysbd's time grows faster than the text (40 kB of news: 1 s; 5 kB: 35 ms), so a long
# paragraph (an article pasted as one line) is read in windows of this many characters.
_WINDOW = 5_000
# Places to cut a text that must be cut, best first: a sentence end pysbd did not take, a
# clause boundary, any space. Each match ends where the next part begins.
# (CJK text has no spaces: its full stops and commas are the breaks.)
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(]?[A-Z0-9])|[。！？][」』”’）]*")
CLAUSE_END = re.compile(r"[;:,—–][\"”’')]*\s+|\s[—–-]{1,2}\s+|[；：，、]")
BREAKS = (SENTENCE_END, CLAUSE_END, re.compile(r"\s+"))


def _pysbd_spans(text: str) -> list[tuple[int, int]]:
    return [
        (item.start + a, item.start + b)
        for item in _segmenter().segment(text)
        for a, b in _trimmed(text[item.start : item.end])
    ]


def _fallback_cut(text: str, start: int, end: int) -> int:
    """Where to end a window in which pysbd found no sentence end: at the last break of its
    second half, best kind first (a run-on is cut at a clause, never inside a word)."""
    half = start + (end - start) // 2
    for pattern in BREAKS:
        ends = [m.end() for m in pattern.finditer(text, half, end)]
        if ends:
            return ends[-1]
    # No space in half a window (CJK, a giant token): any cut is inside it; at least keep
    # combining marks and joiners with their letter.
    while end > half and unicodedata.category(text[end])[0] in "MC":
        end -= 1
    return end


def _windowed(text: str) -> list[tuple[int, int]]:
    """pysbd over overlapping windows: each window's last sentence may be cut by the window's
    edge, so it is dropped and read again at the start of the next window."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > _WINDOW:
        end = start + _WINDOW
        spans = [(start + a, start + b) for a, b in _pysbd_spans(text[start:end])]
        if len(spans) > 1 and spans[-1][0] > start:
            out.extend(spans[:-1])
            start = spans[-1][0]
            continue
        cut = _fallback_cut(text, start, end)
        out.extend((start + a, start + b) for a, b in _trimmed(text[start:cut]))
        start = cut
    out.extend((start + a, start + b) for a, b in _pysbd_spans(text[start:]))
    return out


def _trimmed(text: str) -> list[tuple[int, int]]:
    a, b = 0, len(text)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return [(a, b)] if b > a else []


def _inside_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _repaired(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that cover every visible character in order and never meet inside a word. pysbd
    drops a sentence it cannot find again in the text, and could end one mid-token; either
    way that text joins the sentence before it rather than being lost or cut."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        a = max(a, out[-1][1] if out else 0)  # pysbd's spans can overlap ("said . . .")
        while a < b and text[a].isspace():
            a += 1
        if b <= a:
            continue
        if not out:
            a = len(text[:a]) - len(text[:a].lstrip())  # nothing before the first is lost
        elif text[out[-1][1] : a].strip() or (out[-1][1] == a and _inside_word(text, a)):
            out[-1] = (out[-1][0], b)
            continue
        out.append((a, b))
    if out and text[out[-1][1] :].strip():
        out[-1] = (out[-1][0], len(text.rstrip()))
    return out


def _spans(text: str) -> list[tuple[int, int]]:
    spans = _windowed(text) if len(text) > _WINDOW else _pysbd_spans(text)
    return _repaired(text, spans) or _trimmed(text) or [(0, len(text))]


_HEADING_MAX_WORDS = 16

# Text addressed to a language model rather than to readers. Such sentences stay in the
# article (they are what it says) but are never mined for claims nor accepted as evidence,
# so an article cannot smuggle a claim into its own claim list.
_INSTRUCTION = re.compile(
    r"\b(ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?)|"
    r"disregard (all |the )?(previous|prior|above)|you are now|developer mode|"
    r"(reveal|print|show|repeat) (your|the) (system )?prompt|system prompt|"
    r"(the )?(assistant|ai|model|llm) (must|should|will) |new instructions|"
    r"respond only with|answer only with|output only)|^\s*(system|assistant|developer)\s*:|"
    r"<\|(im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id)\|>|\[/?INST\]|<<SYS>>|"
    r"<\s*/?\s*article\s*>|^\s*TASK\s*\"",  # chat-template markers; our own fence and task syntax
    re.I,
)


def _visible(text: str) -> str:
    """Without invisible format characters (zero-width space, joiners, direction marks and
    overrides, BOM, soft hyphen): "ig\u200bnore previous instructions" must not slip past."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _as_latin(text: str) -> str:
    """Letters that only look Latin (Cyrillic "і", Greek "ο") as the letters they imitate:
    "іgnore prevіous іnstructіons" must not slip past either. Only for detection; the
    article keeps its own characters."""
    if text.isascii():
        return text
    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"]) or []
    table: dict[str, str] = {}
    for item in found:
        latin = [h["c"] for h in item["homoglyphs"] if len(h["c"]) == 1 and h["c"].isascii()]
        if latin:
            table[item["character"]] = latin[0]
    return "".join(table.get(ch, ch) for ch in text) if table else text


def is_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(_as_latin(_visible(unicodedata.normalize("NFKC", sentence)))))


# A sentence's end: its punctuation, or a straight quotation mark closing a quotation after
# it ("... he said. 'It is changing.'"), or the two apostrophes some newswire archives
# write for a closing double mark.
_CLOSED = re.compile(r"(?:[.!?:;\"”’)]|[.!?,…]'+|'')$")


def is_heading(paragraph: str) -> bool:
    """No closing punctuation and short: a title or subheading, which restates the body."""
    return not _CLOSED.search(paragraph) and len(paragraph.split()) <= _HEADING_MAX_WORDS


def title_case(line: str) -> bool:
    """Every word capitalised but a title's minor words ("of", "to", "and"; the language
    pack), at least three of them of four letters or more. A lower-case verb, however short,
    makes the line a sentence: "Lindsay Davenport and Daniela Hantuchova won on Tuesday."
    is all names and capitals otherwise."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    lower = [w for w in words if not w[0].isupper() and w.lower() not in _LEX.title_case_minor]
    return not lower and sum(len(w) >= 4 for w in words) >= 3


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in _spans(text)] if text.strip() else []


# A chat-template marker or a leading role ("Assistant:") makes its whole paragraph a forged
# conversation turn: the sentences after it ("You are a pirate.") are its content too.
_TURN = re.compile(r"<\|\w+\|>|\[/?INST\]|<<SYS>>|^\s*(system|assistant|developer)\s*:", re.I)


def split_sentences(doc: CleanDoc) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(doc.paragraphs):
        paragraph = doc.text[p_start:p_end]
        heading = is_heading(paragraph)
        turn = bool(_TURN.search(_visible(unicodedata.normalize("NFKC", paragraph))))
        for a, b in _spans(paragraph):
            instruction = turn or is_instruction(paragraph[a:b])
            sentences.append(
                Sentence(len(sentences) + 1, p_start + a, p_start + b, index, heading, instruction)
            )
    return sentences


_WS = re.compile(r"\s+")
# Markup that means something to the prompt rather than to a reader: chat-template turn
# markers (llama.cpp tokenises prompts with special tokens enabled, so an article's
# "<|im_start|>system" would become a real turn) and our own <article> fence.
_CONTROL_MARKUP = re.compile(r"<\|[\w\s.:-]{1,40}\|>|<\s*/?\s*article\b[^>]*>", re.I)


def defuse(text: str) -> str:
    """Text as the model may see it: control markup shown with look-alike brackets. Only the
    prompt changes; evidence offsets still point at the exact source words."""
    return _CONTROL_MARKUP.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def render(doc: CleanDoc, sentences: list[Sentence]) -> str:
    """The article as the model sees it: one paragraph per line, `[n]` before each sentence."""
    lines: list[str] = []
    current = -1
    for s in sentences:
        body = defuse(_WS.sub(" ", doc.text[s.start : s.end]))
        if s.paragraph != current:
            lines.append(f"[{s.id}] {body}")
            current = s.paragraph
        else:
            lines[-1] += f" [{s.id}] {body}"
    return "\n".join(lines)
