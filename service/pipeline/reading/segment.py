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

from service.pipeline.reading.clean import CleanDoc


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


# pysbd on a pathological paragraph (one 100 kB line) is slow; cut such lines first.
_MAX_PARAGRAPH = 5_000


def _spans(text: str) -> list[tuple[int, int]]:
    if len(text) > _MAX_PARAGRAPH:
        out: list[tuple[int, int]] = []
        for start in range(0, len(text), _MAX_PARAGRAPH):
            piece = text[start : start + _MAX_PARAGRAPH]
            out.extend((start + a, start + b) for a, b in _spans(piece))
        return out
    spans: list[tuple[int, int]] = []
    for item in _segmenter().segment(text):
        a, b = item.start, item.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans or [(0, len(text))]


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


def is_heading(paragraph: str) -> bool:
    """No closing punctuation and short: a title or subheading, which restates the body."""
    return (
        not re.search(r"[.!?:;\"”’)]$", paragraph) and len(paragraph.split()) <= _HEADING_MAX_WORDS
    )


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
