"""What a model call returns and what it cost: the records every backend, the response
cache and the pipeline share (below the backends, so each of them can build on these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CallUsage:
    """What one model call cost; recorded for every call, retries included."""

    label: str
    prompt_version: str
    model: str
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    prefill_s: float = 0.0
    decode_s: float = 0.0
    latency_s: float = 0.0
    attempts: int = 1
    tokens_estimated: bool = False

    @property
    def computed_tokens(self) -> int:
        return self.prompt_tokens - self.cached_prompt_tokens + self.completion_tokens


@dataclass
class Generation:
    data: dict[str, Any]
    text: str
    usage: CallUsage
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Probability:
    """P(yes | yes or no) for the answer token after the prompt, and what reading it cost."""

    probability: float
    usage: CallUsage
