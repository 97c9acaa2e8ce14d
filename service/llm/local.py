"""The embedded backend: llama.cpp behind a LangChain chat model.

One `Llama` per process (it takes seconds to load and is not thread-safe), shared by every
chat model instance and serialised by a lock. llama.cpp reuses the longest common token
prefix of consecutive prompts, so the pipeline puts the shared article first and the
varying task last; we record how many prompt tokens that saved.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from service.llm.assets import ModelSpec, ensure_model
from service.llm.probability import YesNo

_REGISTRY: dict[tuple[str, int, int], tuple[Any, threading.Lock]] = {}
_REGISTRY_LOCK = threading.Lock()

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def load_llama(path: Path, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    key = (str(path), n_ctx, n_threads)
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            # heavy import, only when the local backend is used
            from service.llm.lazy_grammar import LazyGrammarLlama

            llm = LazyGrammarLlama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_batch=512,
                seed=0,
                verbose=False,
            )
            _REGISTRY[key] = (llm, threading.Lock())
        return _REGISTRY[key]


def is_loaded(path: Path, n_ctx: int, n_threads: int) -> bool:
    return (str(path), n_ctx, n_threads) in _REGISTRY


class ChatLlamaCppLocal(BaseChatModel):
    """Minimal LangChain chat model over a shared in-process `llama_cpp.Llama`."""

    model_path: Path
    # The file is joined from its parts and verified on first load when a spec is given
    # (building the backend stays cheap; a failure is the load's, reported by /readyz).
    spec: ModelSpec | None = None
    n_ctx: int = 4096
    n_threads: int = 2
    timeout_s: float = 180.0
    _llm: Any = PrivateAttr(default=None)
    _lock: threading.Lock | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    def load(self) -> None:
        if self._llm is None:
            if self.spec is not None:
                ensure_model(self.spec, self.model_path.parent)
            self._llm, self._lock = load_llama(self.model_path, self.n_ctx, self.n_threads)

    def prime(self, system: str) -> None:
        """Evaluate the shared system message now. llama.cpp keeps the longest common prefix
        of consecutive prompts, so the first article starts where every later one does."""
        self.load()
        assert self._lock is not None
        with self._lock:
            self._llm.create_chat_completion(
                messages=[{"role": "system", "content": system}], max_tokens=1, temperature=0.0
            )

    def get_token_ids(self, text: str) -> list[int]:
        """The model's own tokenizer (LangChain's default would need transformers)."""
        self.load()
        return [int(t) for t in self._llm.tokenize(text.encode(), add_bos=False, special=False)]

    def answer_logprobs(
        self, messages: list[BaseMessage], yes: tuple[str, ...], no: tuple[str, ...]
    ) -> tuple[YesNo, tuple[int, int]]:
        """The next token's log-probabilities of `yes` and `no` after the chat prompt, read
        from the logits of one forward pass. The prompt is rendered and tokenised exactly as
        `create_chat_completion` does, so the article prefix comes from llama.cpp's cache.
        Returns the answer and (prompt tokens, of which cached)."""
        from service.llm.probability import from_logits

        self.load()
        assert self._lock is not None
        with self._lock:
            llm = self._llm
            tokens = llm.tokenize(self._chat_prompt(messages).encode(), add_bos=True, special=True)
            cached = _reuse_prefix(llm, tokens)
            llm.eval(tokens[cached:])
            logits = _last_logits(llm)
            yes_ids, no_ids = _single_tokens(llm, yes), _single_tokens(llm, no)
        return from_logits(logits, yes_ids, no_ids), (len(tokens), cached)

    def _chat_prompt(self, messages: list[BaseMessage]) -> str:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llm = self._llm
        formatter = Jinja2ChatFormatter(
            template=llm.metadata["tokenizer.chat_template"],
            eos_token=llm._model.token_get_text(llm.token_eos()),
            bos_token=llm._model.token_get_text(llm.token_bos()),
        )
        return str(formatter(messages=_payload(messages)).prompt)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.load()
        assert self._lock is not None
        payload = _payload(messages)
        deadline = time.monotonic() + float(kwargs.get("timeout_s", self.timeout_s))
        pieces: list[str] = []
        finish: str | None = None
        with self._lock:
            llm = self._llm
            _perf_reset(llm)
            t0 = time.perf_counter()
            # Streaming lets us stop at the deadline; a finished stream frees the context.
            stream = llm.create_chat_completion(
                messages=payload,
                response_format=kwargs.get("response_format"),
                max_tokens=int(kwargs.get("max_tokens", 512)),
                temperature=float(kwargs.get("temperature", 0.0)),
                seed=int(kwargs.get("seed", 0)),
                stop=stop,
                stream=True,
            )
            for chunk in stream:
                choice = chunk["choices"][0]
                content = choice["delta"].get("content")
                if content:
                    pieces.append(content)
                finish = choice.get("finish_reason") or finish
                if time.monotonic() > deadline:
                    finish = "timeout"
                    break
            wall = time.perf_counter() - t0
            perf = _perf(llm)
            evaluated = int(llm.n_tokens)
        completion = len(pieces)
        prompt_tokens = max(evaluated - int(perf.get("n_eval", completion)), 0)
        cached = max(prompt_tokens - int(perf.get("n_p_eval", prompt_tokens)), 0)
        prefill = perf.get("prefill_s", 0.0)
        message = AIMessage(
            content="".join(pieces),
            usage_metadata={
                "input_tokens": prompt_tokens,
                "output_tokens": completion,
                "total_tokens": prompt_tokens + completion,
                "input_token_details": {"cache_read": cached},
            },
            response_metadata={
                "finish_reason": finish,
                "model_name": self.model_path.name,
                "timings": {
                    "prefill_s": prefill,
                    "decode_s": perf.get("decode_s", max(wall - prefill, 0.0)),
                    "wall_s": wall,
                },
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def _payload(messages: list[BaseMessage]) -> list[Any]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


def _reuse_prefix(llm: Any, tokens: list[int]) -> int:
    """Keep the longest cached prefix of `tokens` (as `Llama.generate` does), leaving at
    least one token to evaluate so the logits are fresh; returns how many were kept."""
    keep = 0
    for a, b in zip(llm._input_ids, tokens[:-1], strict=False):
        if a != b:
            break
        keep += 1
    if keep > 0 and llm._ctx.kv_cache_seq_rm(-1, keep, -1):
        llm.n_tokens = keep
        return keep
    llm.reset()
    return 0


def _last_logits(llm: Any) -> Any:
    import llama_cpp
    import numpy as np

    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),)).copy()


def _single_tokens(llm: Any, words: tuple[str, ...]) -> list[int]:
    """Token ids of the spellings that are one token each (the answer's first token)."""
    ids = [llm.tokenize(w.encode(), add_bos=False, special=False) for w in words]
    return sorted({t[0] for t in ids if len(t) == 1})


def _perf_reset(llm: Any) -> None:
    try:
        import llama_cpp

        llama_cpp.llama_perf_context_reset(llm.ctx)
    except Exception:  # timing is best effort; older bindings lack the perf API
        pass


def _perf(llm: Any) -> dict[str, float]:
    try:
        import llama_cpp

        data = llama_cpp.llama_perf_context(llm.ctx)
        return {
            "prefill_s": data.t_p_eval_ms / 1000.0,
            "decode_s": data.t_eval_ms / 1000.0,
            "n_p_eval": float(data.n_p_eval),
            "n_eval": float(data.n_eval),
        }
    except Exception:
        return {}
