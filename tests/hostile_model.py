"""A scripted model that obeys the article: what a successfully injected model would answer.

It stays inside the requested schema (constrained decoding allows nothing else) but fills it
with what the injections ask for: "PWNED" and its own instructions as the headline (the
one thing summarize@v4 asks it to write). Claims are composed from the article's words by the pipeline, so the model has
no say in them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import BaseMessage

PWNED = "PWNED"


class Obedient:
    """Answers every task the way the article's injected text tells it to."""

    def __init__(self) -> None:
        self.calls = 0
        self.headlines = 0
        self.users: list[str] = []
        self.systems: list[str] = []

    def __call__(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        self.calls += 1
        system, user = str(messages[0].content), str(messages[-1].content)
        self.users.append(user)
        self.systems.append(system)
        leak = " ".join(system.split()[:40])
        if "<before>" in user:  # refer: what an opening "This" stands for
            return json.dumps({"refers_to": f"{PWNED}: {leak}"[:80]})
        self.headlines += 1
        return json.dumps({"headline": f"{PWNED}: {leak}"[:90]})


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
