"""The probability a model gives to "yes" against "no" as the next token: one forward pass,
no decoding.

A small model's sampled verdicts are near chance, but the relative weight of its answer
tokens carries signal. The local backend reads the logits after the prompt; an
OpenAI-compatible server returns them as `top_logprobs` (OpenAI, vLLM and llama.cpp's
server do) or not at all, which is reported, never guessed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage

from service.llm.calls import CallUsage, Probability
from service.llm.errors import LLMError, classify_exception, is_transport_error

YES = ("yes", "Yes", "YES", " yes", " Yes")
NO = ("no", "No", "NO", " no", " No")
TOP_LOGPROBS = 20  # OpenAI's maximum; "yes"/"no" are always among them when either is likely


@dataclass
class YesNo:
    """Log-probabilities of the answer tokens, summed over their spellings."""

    yes_logprob: float
    no_logprob: float

    @property
    def probability(self) -> float:
        """P(yes | yes or no): the mass on other tokens is not an answer either way."""
        top = max(self.yes_logprob, self.no_logprob)
        yes, no = math.exp(self.yes_logprob - top), math.exp(self.no_logprob - top)
        return yes / (yes + no)


class LogprobsUnsupported(LLMError):
    """The server answered without token log-probabilities: this check cannot run there."""

    code = "model_logprobs_unsupported"
    retryable = False


def _logsumexp(values: Iterable[float]) -> float:
    found = [v for v in values if v > -math.inf]
    if not found:
        return -math.inf
    top = max(found)
    return top + math.log(sum(math.exp(v - top) for v in found))


def from_top_logprobs(top: list[tuple[str, float]]) -> YesNo:
    """From (token, logprob) alternatives of the first answer token."""
    yes = _logsumexp(lp for token, lp in top if token in YES)
    no = _logsumexp(lp for token, lp in top if token in NO)
    if yes == -math.inf and no == -math.inf:
        raise LLMError("the model's likely answers were neither yes nor no")
    return YesNo(yes, no)


def from_logits(logits: Any, yes_ids: list[int], no_ids: list[int]) -> YesNo:
    """From the raw next-token logits (a sequence indexable by token id)."""
    values = [float(v) for v in logits]
    norm = _logsumexp(values)
    return YesNo(
        _logsumexp(values[i] - norm for i in yes_ids), _logsumexp(values[i] - norm for i in no_ids)
    )


def top_logprobs_of(message: AIMessage) -> list[tuple[str, float]]:
    """The first token's alternatives from an OpenAI-format reply, or LogprobsUnsupported."""
    content = (message.response_metadata.get("logprobs") or {}).get("content") or []
    if not content or not content[0].get("top_logprobs"):
        raise LogprobsUnsupported(
            "the model server returned no token log-probabilities; the faithfulness checker "
            "needs a server that returns them (OpenAI, vLLM and llama.cpp's server do)"
        )
    first = content[0]
    # The chosen token is usually among its alternatives too: count each token once.
    found = {str(first["token"]): float(first["logprob"])}
    found.update((str(t["token"]), float(t["logprob"])) for t in first["top_logprobs"])
    return list(found.items())


def chat_yes_probability(
    chat: BaseChatModel, messages: list[BaseMessage], usage: CallUsage
) -> Probability:
    """Ask `chat` for one token with its alternatives. A chat model that can read its own
    logits (the embedded one) says so with an `answer_logprobs` method."""
    started = time.perf_counter()
    own = getattr(chat, "answer_logprobs", None)
    if callable(own):
        answer, counts = own(messages, YES, NO)
        usage.prompt_tokens, usage.cached_prompt_tokens = counts
        usage.prefill_s = time.perf_counter() - started
    else:
        bound = chat.bind(logprobs=True, top_logprobs=TOP_LOGPROBS, max_tokens=1, temperature=0.0)
        try:
            message = bound.invoke(messages)
        except LLMError:
            raise
        except Exception as exc:
            if not is_transport_error(exc):
                raise
            raise classify_exception(exc) from exc
        meta: dict[str, Any] = dict(message.usage_metadata or {})
        usage.prompt_tokens = int(meta.get("input_tokens", 0))
        details = meta.get("input_token_details") or {}
        usage.cached_prompt_tokens = int(details.get("cache_read", 0) or 0)
        usage.completion_tokens = int(meta.get("output_tokens", 0))
        answer = from_top_logprobs(top_logprobs_of(message))
    usage.latency_s = time.perf_counter() - started
    return Probability(answer.probability, usage)
