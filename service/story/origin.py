"""Where an article's quotes come from: an interview, a wire report, an event.

Outlets that relay one interview ("in an interview with Bloomberg") are one source, not
independent confirmation. An article's origins are read from its own words; a claim made
by a named speaker inherits the article's origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"(?:the )?(?P<src>[A-Z][\w&’'-]*(?: [A-Z][\w&’'-]*){0,3})"
_INTERVIEW = re.compile(
    rf"\b(?i:in an? (?:recent |exclusive )?(?:interview|conversation) with|told|speaking to|in comments to) "
    rf"{_NAME}"
)
_WIRE = re.compile(
    r"\b(?:reported|according to) (?P<src>Reuters|Bloomberg|AP|AFP|the Associated Press|[A-Z]\w+ News)\b"
)
_EVENT = re.compile(
    r"\b(?i:speaking|spoke|speech|keynote(?: speech)?|remarks) (?:at|during) (?:an? |the )?"
    r"(?P<event>(?:[A-Z][\w-]* )*(?:conference|forum|summit|event|meeting)(?: [A-Z][\w-]*)*)"
    r"(?: in (?P<city>[A-Z][a-z]+))?"
)


@dataclass(frozen=True)
class SourceOrigin:
    key: str  # what makes two relays the same origin
    description: str


def origins_of(text: str) -> list[SourceOrigin]:
    """Origins in the order the article mentions them."""
    found: list[tuple[int, SourceOrigin]] = []
    for m in _INTERVIEW.finditer(text):
        src = m.group("src").rstrip(".")
        found.append(
            (m.start(), SourceOrigin(f"interview:{src.casefold()}", f"interview with {src}"))
        )
    for m in _EVENT.finditer(text):
        city, event = m.group("city"), m.group("event")
        # Reports of one appearance name the venue differently; the city is what they share.
        key = f"event:{city.casefold()}" if city else f"event:{event.casefold()}"
        found.append((m.start(), SourceOrigin(key, f"{event} in {city}" if city else event)))
    for m in _WIRE.finditer(text):
        src = m.group("src")
        found.append((m.start(), SourceOrigin(f"wire:{src.casefold()}", f"report by {src}")))
    unique: dict[str, SourceOrigin] = {}
    for _, origin in sorted(found, key=lambda f: f[0]):
        unique.setdefault(origin.key, origin)
    return list(unique.values())


def primary_origin(text: str) -> SourceOrigin | None:
    """The interview or event the article relays; a wire credit only when there is neither."""
    found = origins_of(text)
    first_hand = [o for o in found if not o.key.startswith("wire:")]
    ranked = first_hand or found
    return ranked[0] if ranked else None
