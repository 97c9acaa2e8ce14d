"""Stage 1: article body out of text or HTML, web boilerplate removed and audited (page
furniture, captions and credits: `furniture.py`; repeats and stray fragments: here).

Kept lines are copied verbatim into the cleaned text, so every cleaned offset maps back to
the exact same characters of the source (`CleanDoc.to_source`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.errors import InputTooLarge
from service.pipeline.models import Removed
from service.pipeline.reading.furniture import Found, drop_captions, furniture, outlet_word

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SENTENCE_END = re.compile(r"[.!?…:\"”’)]$")
_FRAGMENT_MAX_WORDS = 3


@dataclass(frozen=True)
class Segment:
    clean_start: int
    source_start: int
    length: int


@dataclass
class CleanDoc:
    source: str  # the text evidence offsets point into
    text: str  # cleaned text: kept lines joined by blank lines
    segments: list[Segment]
    paragraphs: list[tuple[int, int]]  # spans in `text`
    removed: list[Removed] = field(default_factory=list)
    title: str | None = None
    masthead: str | None = None  # the outlet's own name, from a line the cleaner removed

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned-text span (within one paragraph) to source offsets."""
        for seg in self.segments:
            if seg.clean_start <= start < seg.clean_start + seg.length:
                offset = seg.source_start - seg.clean_start
                if end > seg.clean_start + seg.length:
                    raise ValueError("span crosses a paragraph boundary")
                return start + offset, end + offset
        raise ValueError(f"offset {start} is not inside a kept paragraph")


def _norm(line: str) -> str:
    folded = unicodedata.normalize("NFKC", line).casefold()
    return re.sub(r"\W+", " ", folded).strip()


def _classify(line: str, seen: set[str], is_first: bool) -> Found | None:
    found = furniture(line)
    if found:
        return found
    key = _norm(line)
    if not key:
        return Found("no_words", 0)
    if key in seen:
        return Found("duplicate", 0)
    words = len(key.split())
    title_like = is_first and words >= 2
    if not title_like and words <= _FRAGMENT_MAX_WORDS and not _SENTENCE_END.search(line):
        # Category labels, counters, lone names under photos, outlet names.
        return Found("fragment", 0)
    return None


def clean_text(source: str) -> CleanDoc:
    """Clean a plain-text article. `source` is kept as-is for offsets."""
    kept: list[tuple[int, int]] = []
    removed: list[Removed] = []
    seen: set[str] = set()
    for match in re.finditer(r"[^\n]+", source):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        found = _classify(stripped, seen, is_first=not kept)
        if found and found.start:
            # A prompt closing a real paragraph ("... Click here to subscribe."): the
            # paragraph stays, the prompt goes.
            head = stripped[: found.start].rstrip()
            seen.add(_norm(head))
            kept.append((start, start + len(head)))
            start += found.start
        if found:
            removed.append(
                Removed(start=start, end=end, text=source[start:end], reason=found.reason)
            )
            continue
        seen.add(_norm(stripped))
        kept.append((start, end))
    return _assemble(source, kept, removed)


def _assemble(source: str, kept: list[tuple[int, int]], removed: list[Removed]) -> CleanDoc:
    parts: list[str] = []
    segments: list[Segment] = []
    paragraphs: list[tuple[int, int]] = []
    cursor = 0
    for start, end in kept:
        if parts:
            parts.append("\n\n")
            cursor += 2
        parts.append(source[start:end])
        segments.append(Segment(clean_start=cursor, source_start=start, length=end - start))
        paragraphs.append((cursor, cursor + end - start))
        cursor += end - start
    text = "".join(parts)
    first = text[paragraphs[0][0] : paragraphs[0][1]] if paragraphs else ""
    # A first line without closing punctuation is a headline, not a body sentence.
    title = first if first and not re.search(r"[.!?]$", first) else None
    return CleanDoc(source, text, segments, paragraphs, removed, title, masthead(removed))


_CREDIT = re.compile(
    r"^(?:read the original article|originally published|this (?:article|story) "
    r"(?:first|originally) appeared)\s+(?:on|in|at|by)\s+(?P<name>[A-Z][\w&.'’ -]{1,60}?)\.?$",
    re.I,
)


def masthead(removed: list[Removed]) -> str | None:
    """The outlet's name when the page states it: a credit line ("Read the original article
    on X") or a short title-case line near the top naming a news organisation ("ICARO Media
    Group"). Only lines the cleaner already removed: body text never names the outlet."""
    for item in removed:
        credit = _CREDIT.match(item.text) if item.reason == "source_note" else None
        if credit:
            return credit.group("name").strip()
    for item in removed[:4]:
        words = item.text.split()
        if (
            item.reason == "fragment"
            and 2 <= len(words) <= 4
            and all(w[:1].isupper() for w in words)
            and outlet_word(item.text)
        ):
            return item.text
    return None


# Inline styles that hide an element from readers. trafilatura drops display:none and
# visibility:hidden itself, but not every spelling of them, nor zero size or opacity.
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|"
    r"font-size\s*:\s*0(?:\.0*)?(?:px|em|rem|pt|%)?|opacity\s*:\s*0(?:\.0*)?)\s*(?:!important)?\s*(?:;|$)",
    re.I,
)


# trafilatura's extraction time grows with the square of the paragraph count: 20,000 tiny
# paragraphs took a minute of CPU, a 2 MB page of them half an hour. News pages have a few
# thousand elements.
MAX_HTML_ELEMENTS = 15_000


def _visible_tree(html: str) -> HtmlElement | None:
    """The page without what no reader sees: <template> content (never rendered, but kept by
    trafilatura, which only strips the tag) and elements hidden by an inline style. Text
    there is a classic place for instructions aimed at an AI."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    count = sum(1 for _ in tree.iter())
    if count > MAX_HTML_ELEMENTS:
        raise InputTooLarge(
            f"the page has {count} HTML elements; the limit is {MAX_HTML_ELEMENTS}. "
            "Send the article's text instead"
        )
    for element in tree.xpath("//template | //*[@style]"):
        if element.tag == "template" or _HIDDEN_STYLE.search(element.get("style", "")):
            element.drop_tree()
    return tree


def _extract(html: str) -> tuple[str, str | None, list[str]]:
    """Article body and title from HTML, via trafilatura (offline), and the picture captions
    and credits taken out of the page first (trafilatura keeps some: <p class="credit">)."""
    import copy

    import trafilatura

    tree = _visible_tree(html)
    if tree is None:
        return "", None, []
    meta = trafilatura.extract_metadata(copy.deepcopy(tree))
    captions = drop_captions(tree)
    body = trafilatura.extract(
        tree,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        # Not trafilatura's deduplication: it counts paragraphs across calls in a process-wide
        # cache, so the 4th request for one page lost them. Repeats within a page go in clean_text.
        deduplicate=False,
    )
    title = meta.title if meta is not None else None
    return body or "", title, captions


def extract_html(html: str) -> tuple[str, str | None]:
    """Article body and title from HTML."""
    body, title, _ = _extract(html)
    return body, title


def clean_html(html: str) -> CleanDoc:
    body, title, captions = _extract(html)
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    doc = clean_text(text)
    dropped = len(html) - len(text)
    # Offsets point into the extracted text, which no longer holds these: empty spans.
    audit = [Removed(start=0, end=0, text=c, reason="image_caption") for c in captions]
    doc.removed[:0] = [
        Removed(
            start=0,
            end=0,
            text=f"{dropped} characters of markup and page chrome",
            reason="html_extraction",
        ),
        *audit,
    ]
    return doc
