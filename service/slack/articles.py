"""What in a Slack message is an article: its links, and its text when it is long enough to
be one (a pasted article) rather than a remark about a link."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from service.jobs.models import JobArticle
from service.limits import MAX_STORY_ARTICLES

# Slack writes links as <https://…> or <https://…|label>; a slash command's text may be raw.
_SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")
_BARE_LINK = re.compile(r"https?://[^\s<>|\"']+")
_SLACK_TOKEN = re.compile(r"<[@#!][^>]*>")  # mentions, channels, <!here>
PASTED_ARTICLE_WORDS = 40  # in a thread, shorter text is conversation, not an article
MAX_URL_LEN = 2000


def links(text: str) -> list[str]:
    found = _SLACK_LINK.findall(text)
    rest = _SLACK_LINK.sub(" ", text)
    found += [u.rstrip(".,;:!?)") for u in _BARE_LINK.findall(html.unescape(rest))]
    return [u for u in dict.fromkeys(found) if len(u) <= MAX_URL_LEN]


def prose(text: str) -> str:
    """The message without its links and mentions, as the words a person typed."""
    text = _SLACK_TOKEN.sub(" ", _SLACK_LINK.sub(" ", text))
    text = _BARE_LINK.sub(" ", html.unescape(text))
    # Keep the line structure (paragraphs help sentence splitting); trim each line.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()


def message_text(message: dict[str, Any]) -> str:
    """A message's text, including attachment text when Slack moved a paste there."""
    parts = [str(message.get("text") or "")]
    for attachment in message.get("attachments") or []:
        parts.append(str(attachment.get("text") or ""))
        if attachment.get("original_url") or attachment.get("from_url"):
            parts.append(f"<{attachment.get('original_url') or attachment.get('from_url')}>")
    return "\n".join(p for p in parts if p)


def from_message(message: dict[str, Any], lone_text: bool = False) -> list[JobArticle]:
    """The message's links, and its text when it is an article. `lone_text`: any text is
    the article when the message has no link (someone chose this very message)."""
    text = message_text(message)
    urls = links(text)
    words = prose(text)
    needed = 1 if lone_text and not urls else PASTED_ARTICLE_WORDS
    articles = [JobArticle(text=words)] if len(words.split()) >= needed else []
    return articles + [JobArticle(url=u) for u in urls]


def from_command(text: str) -> list[JobArticle]:
    """A slash command's text: a pasted article (whose own links are part of it), or links."""
    articles = from_message({"text": text}, lone_text=True)
    return [a for a in articles if a.text] or articles


def from_thread(
    messages: Iterable[dict[str, Any]], bot_user_id: str | None
) -> tuple[list[JobArticle], int]:
    """Every link and pasted article in a thread, once, without our own earlier answers.
    Returns at most MAX_STORY_ARTICLES and how many more there were."""
    found: list[JobArticle] = []
    seen: set[str] = set()
    for message in messages:
        if message.get("bot_id") or (bot_user_id and message.get("user") == bot_user_id):
            continue
        for article in from_message(message):
            key = article.url or article.text or ""
            if key not in seen:
                seen.add(key)
                found.append(article)
    return found[:MAX_STORY_ARTICLES], max(0, len(found) - MAX_STORY_ARTICLES)
