"""Page furniture: the lines a web page puts around an article (picture captions and credits,
"Scroll down for video", "Share this article", "Read more: ...", comment boxes, bylines).

Left in, they become claims, supply antecedents ("the Tory leader" resolved to a name in a
photo caption) and can lead the summary. The cleaner removes them and audits each one in
`removed`. Precision comes first: a rule fires only on a cue that article prose does not
use (a credit at the very end of a short line, a prompt opening a sentence), never on a
cue word alone ("Read more than 300 pages, he said." stays). The cue words are the
language pack's (`Lexicon.furniture`); this module only says how they combine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from service.pipeline.language import Lexicon, english

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Captions, credits and prompts are short; a longer line is article prose whatever it holds.
SHORT_WORDS = 45
CAPTION_WORDS = 60
# A prompt that opens a later sentence of a line removes only itself when the words before it
# are at least this many (a real sentence); fewer ("Want more updates?") go with it.
KEEP_PREFIX_WORDS = 6


@dataclass(frozen=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int | None = None  # fires only on lines this short
    tail: bool = False  # a prompt starting a sentence: only the text from there is furniture


@dataclass(frozen=True)
class Found:
    reason: str
    start: int  # where the furniture begins in the line (0: the whole line)


def _alt(lex: Lexicon, key: str) -> str:
    cues = lex.furniture.get(key, ())
    # A pack without the list matches nothing (an empty group would match every line).
    return "(?:" + "|".join(cues) + ")" if cues else "(?!)"


# A sentence opens at the line's start, after a sentence end, or after a spaced dash.
_OPENS = r"(?:^|(?:(?<=[.!?])|(?<=[.!?][”\"’')]))\s+|\s[-–—]\s+)\(?"


def _rules(lex: Lexicon) -> list[Rule]:
    agency = _alt(lex, "picture_agencies")
    label = _alt(lex, "credit_labels")
    # "Scott Olson via Getty Images.", "John Moore/Getty Images.", "AP Photo/Evan Vucci"
    credit = rf"(?:[^\s/()]+(?: [^\s/()]+){{0,4}}(?:/| via ))?{agency}(?:/[^/()]{{1,40}})*\.?"
    ends = r"\s*[.!:]?$"
    return [
        Rule(
            "read_also", re.compile(rf"^[\W_]{{0,2}}{_alt(lex, 'related')}\s*(?:[:\-–—|]|$)", re.I)
        ),
        Rule("comment_prompt", re.compile(rf"^{_alt(lex, 'comment_prompts')}", re.I)),
        Rule("share_prompt", re.compile(rf"^{_alt(lex, 'prompt_lines')}{ends}", re.I)),
        # A player's message is furniture wherever it stands in a short line.
        Rule("video_prompt", re.compile(_alt(lex, "video_lines"), re.I), 15),
        Rule("source_note", re.compile(rf"^{_alt(lex, 'source_notes')}", re.I)),
        # Credits: the whole line is one, or starts with a label or mark.
        Rule("image_caption", re.compile(rf"^\(?{credit}\)?\.?$")),
        Rule(
            "image_caption",
            re.compile(
                rf"^\(?(?:{label}(?:\s*[:|/(]|\s+(?:by|courtesy)\b)|{_alt(lex, 'credit_marks')})",
                re.I,
            ),
            SHORT_WORDS,
        ),
        # Captions: a short line ending in a credit or a caption tag.
        Rule(
            "image_caption",
            re.compile(
                rf"(?:\((?:{_alt(lex, 'caption_tags')}|{label}\s*[:/][^()]{{1,60}})\)"
                rf"|(?:^|(?<=[.!?])\s+|\s[|–—-]\s+){label}\s*:\s*[^.:!?()]{{1,60}})\.?$",
                re.I,
            ),
            CAPTION_WORDS,
        ),
        # In brackets closing a line, only a credit naming a photographer or a picture
        # service: "(AP Photo/Evan Vucci)", never "... Protection Agency (EPA)."
        Rule(
            "image_caption",
            re.compile(rf"\((?=[^()]*(?:/| via |Photo|Images|Picture)){credit}\)\.?$"),
            CAPTION_WORDS,
        ),
        # Alt text: "A military scene depicting ..."
        Rule(
            "image_caption",
            re.compile(
                rf"^an? (?:\S+ ){{0,3}}{_alt(lex, 'picture_nouns')}s? {_alt(lex, 'picture_verbs')}\b",
                re.I,
            ),
            SHORT_WORDS,
        ),
        # "Watch the video above.", "See photos from the debate below:"
        Rule(
            "video_prompt",
            re.compile(
                rf"^{_alt(lex, 'embed_verbs')}\b.{{0,120}}\b{_alt(lex, 'embed_places')}\s*[.:]?$",
                re.I,
            ),
            20,
        ),
        Rule("byline", re.compile(rf"^{_alt(lex, 'reporting_credits')}", re.I), 20),
        Rule(
            "byline",
            re.compile(
                rf"^{_alt(lex, 'byline')} (?!{_alt(lex, 'not_names')}\b)"
                rf"[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){{0,3}}(,[^.!?]*)?$"
            ),
        ),
        Rule(
            "share_prompt",
            re.compile(rf"{_OPENS}{_alt(lex, 'prompt_starts')}\b", re.I),
            SHORT_WORDS,
            True,
        ),
        # An appeal for money takes its whole (short) paragraph: the outlet's self-promotion.
        Rule(
            "donation", re.compile(rf"{_OPENS}{_alt(lex, 'donation_starts')}\b", re.I), SHORT_WORDS
        ),
        Rule(
            "video_prompt",
            re.compile(rf"{_OPENS}{_alt(lex, 'video_lines')}", re.I),
            SHORT_WORDS,
            True,
        ),
    ]


@lru_cache(maxsize=1)
def _english_rules() -> list[Rule]:
    return _rules(english())


def furniture(line: str, lex: Lexicon | None = None) -> Found | None:
    """Why a stripped line (or its tail) is page furniture, or None for article text."""
    rules = _rules(lex) if lex is not None else _english_rules()
    words = len(line.split())
    for rule in rules:
        if rule.max_words is not None and words > rule.max_words:
            continue
        match = rule.pattern.search(line)
        if match is None:
            continue
        if not rule.tail or match.start() == 0:
            return Found(rule.reason, 0)
        text = match.group(0)
        start = match.start() + len(text) - len(text.lstrip().lstrip("-–—").lstrip())
        before = line[:start].split()
        return Found(rule.reason, start if len(before) >= KEEP_PREFIX_WORDS else 0)
    return None


@lru_cache(maxsize=1)
def _outlet_words() -> re.Pattern[str]:
    return re.compile(rf"\b{_alt(english(), 'outlet_words')}\b")


def outlet_word(text: str) -> bool:
    """Whether `text` holds a word naming a news organisation ("Media", "Herald")."""
    return bool(_outlet_words().search(text))


def _class_words(element: HtmlElement) -> list[str]:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return [w for w in re.split(r"[^a-z0-9]+", names) if w]


def _is_caption(element: HtmlElement, cues: tuple[str, ...]) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("html", "body", "article", "main"):
        return False  # a page-wide class ("has-captions") marks no caption
    if tag == "figure":
        # A picture's frame; a <figure> around a quotation or an embed is left alone.
        framed = not element.xpath(".//blockquote") and bool(element.xpath(".//img|.//picture"))
    else:
        words = _class_words(element)
        framed = tag == "figcaption" or any(
            w.startswith(c) or w.endswith(c) for w in words for c in cues
        )
    # A caption is short: an element holding more is a wrapper ("content has-caption").
    return framed and len(element.text_content().split()) <= CAPTION_WORDS


def drop_captions(tree: HtmlElement) -> list[str]:
    """Remove picture captions and credits (<figcaption>, picture <figure>s, elements whose
    class or id names a caption or credit) from the page before extraction; their texts,
    for the audit."""
    cues = english().furniture.get("html_class_words", ())
    texts: list[str] = []
    for element in list(tree.iter()):
        if not _is_caption(element, cues) or element.getparent() is None:
            continue
        if any(_is_caption(a, cues) for a in element.iterancestors()):
            continue  # dropped with its caption ancestor
        text = " ".join(element.text_content().split())
        element.drop_tree()
        if text:
            texts.append(text)
    return texts
