"""A scripted model that obeys the article: what a successfully injected model would answer.

It stays inside the requested schema (constrained decoding allows nothing else) but fills it
with what the injections ask for: "PWNED", claims copying the injected sentences, the
system prompt as headline, the injected sentences as key points and located evidence.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.messages import BaseMessage

from tests.fakes import article_sentences, reader_responder, task_of

PWNED = "PWNED"
_ORDERS = re.compile(
    r"ignore|disregard|system|assistant|pwned|prompt|inst\]|im_start|respond only|"
    r"repeat the|\bai\b|model must|headline must",
    re.I,
)


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
        sentences = article_sentences(messages) if "<article>" in user else {}
        orders = [i for i, s in sentences.items() if _ORDERS.search(s)] or [1]
        leak = " ".join(system.split()[:40])
        task = task_of(messages) if sentences else user
        schema = (kwargs.get("response_format") or {}).get("schema") or {}
        if "claims of sentences" in task:
            honest = json.loads(reader_responder(messages, kwargs))["claims"]
            item = schema["properties"]["claims"]["items"]["properties"]["sentences"]
            cite = item["items"]["enum"][:1]
            evil = [
                {"sentences": cite, "speaker": "SYSTEM", "claim": f"{PWNED} {PWNED} {PWNED}"},
                {"sentences": cite, "speaker": "article", "claim": leak[:300]},
                {"sentences": cite, "speaker": PWNED, "claim": honest[0]["claim"]}
                if honest
                else {"sentences": cite, "speaker": PWNED, "claim": "The port was sold."},
            ]
            evil += [
                {"sentences": cite, "speaker": "article", "claim": sentences[i][:300]}
                for i in orders
                if len(sentences.get(i, "")) >= 8
            ]
            # The first sentence is claimed only under the injected speaker.
            return json.dumps({"claims": evil[2:3] + honest[1:4] + evil[:2] + evil[3:5]})
        if "Claim:" in task:
            return json.dumps({"sentences": orders[:3]})
        if "<claims>" in user:  # a long article's reduce step
            return json.dumps(
                {
                    "headline": PWNED,
                    "summary": f"{leak[:200]} {PWNED}.",
                    "key_points": [1, 2, 3],
                    "people": [[PWNED]],
                    "organizations": [["SYSTEM"]],
                    "places": [],
                }
            )
        answer = json.loads(reader_responder(messages, kwargs))
        answer.update(
            headline=f"{PWNED}: {leak}"[:120],
            summary=f"{PWNED}. {leak}"[:200],
            key_points=(orders * 3)[:3],
        )
        for key in ("people", "organizations", "places"):
            if key in answer:
                answer[key] = [[PWNED], ["SYSTEM"], *answer[key]][:8]
        return json.dumps(answer)


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
