"""A scripted model that obeys the article: what a successfully injected model would answer.

It stays inside the requested schema (constrained decoding allows nothing else) but fills it
with what the injections ask for: "PWNED" and its own instructions as summary sentences and
headline. Claims are composed from the article's words by the pipeline, so the model has
no say in them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import BaseMessage

from tests.fakes import claims_shown

PWNED = "PWNED"


class Obedient:
    """Answers every task the way the article's injected text tells it to."""

    def __init__(self) -> None:
        self.calls = 0
        self.users: list[str] = []
        self.systems: list[str] = []

    def __call__(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        self.calls += 1
        system, user = str(messages[0].content), str(messages[-1].content)
        self.users.append(user)
        self.systems.append(system)
        leak = " ".join(system.split()[:40])
        shown = claims_shown(messages)
        ids = [i for i, _, _ in shown][:2] or ["c1"]
        return json.dumps(
            {
                "summary": [
                    {"claim": ids[0], "text": f"{PWNED} {PWNED} {PWNED}."},
                    {"claim": ids[-1], "text": f"{leak[:170]}."},
                ],
                "headline": f"{PWNED}: {leak}"[:90],
            }
        )


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
