"""Turning raw bytes from a user into an article, with clear errors. Shared by every front
door (API, jobs, Slack, CLI) so all refuse the same inputs the same way and hand the engine
the same `ArticleInput`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Protocol

from service.errors import BinaryContent, EmptyArticle, InputTooLarge, InvalidEncoding
from service.pipeline.models import ArticleInput

# Control characters other than tab/newline/carriage return/form feed mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_SHARE = 0.01
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def decode_text(raw: bytes, limit: int) -> str:
    if len(raw) > limit:
        raise InputTooLarge(f"input is {len(raw)} bytes; the limit is {limit}")
    if b"\x00" in raw[:8192]:
        raise BinaryContent("input looks like binary data (NUL bytes), not an article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(
            f"input is not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first"
        ) from exc
    check_text(text, limit)
    return text


def check_text(text: str, limit: int) -> str:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise InputTooLarge(f"input is {size} bytes; the limit is {limit}")
    # JSON may carry "\ud800" escapes: a lone surrogate is no character, and would fail
    # later when the result is hashed or serialised (a 500 instead of a clear 400).
    bad = _SURROGATE.search(text)
    if bad:
        raise InvalidEncoding(
            f"input contains an unpaired UTF-16 surrogate (character {bad.start()}), "
            "which is not text; send valid Unicode"
        )
    if "\x00" in text or len(_CONTROL.findall(text)) > max(8, len(text) * _BINARY_SHARE):
        raise BinaryContent("input contains control characters typical of binary data")
    if not text.strip():
        raise EmptyArticle("the article is empty")
    return text


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or bool(
        re.search(r"<(body|article|p|div)\b", head)
    )


class ArticleFields(Protocol):
    """An article as a request schema carries it (the API's and the job spec's)."""

    text: str | None
    html: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published_at: date | datetime | None


def to_article(item: ArticleFields, max_words: int, limit: int) -> ArticleInput:
    """The one conversion from a request schema to the engine's input, body checked."""
    check_text(item.text if item.text is not None else item.html or "", limit)
    return ArticleInput(
        text=item.text,
        html=item.html,
        title=item.title,
        url=item.url,
        outlet=item.outlet,
        published_at=item.published_at.isoformat() if item.published_at else None,
        max_words=max_words,
    )
