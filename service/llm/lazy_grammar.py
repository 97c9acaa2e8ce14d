"""Greedy decoding under a JSON grammar that checks one token, not the whole vocabulary.

llama-cpp-python's sampler chain applies the grammar to all 152k candidates before picking
the greedy token, for every generated token; on this CPU that cost about a fifth of the
model time. Greedy under a grammar is the best-scoring token the grammar accepts, so we
take the best-scoring token first and ask the grammar about it alone; only when it is
rejected is the grammar applied to every candidate. The tokens are the same as the full
chain's (same argmax, ties to the lowest id, as llama.cpp's greedy sampler); llama.cpp's
own `common_sampler` does this too.

Used only for greedy decoding with a grammar and no penalties or logits processors; any
other request gets llama-cpp-python's own chain.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp._internals import LlamaContext, LlamaModel, LlamaTokenDataArray
from llama_cpp.llama_grammar import LlamaGrammar


class LazyGrammarSampler:
    """Drop-in for llama-cpp-python's `LlamaSampler` in `Llama.generate` (`sample` only)."""

    def __init__(self, model: LlamaModel, grammar: LlamaGrammar, n_vocab: int) -> None:
        self.n_vocab = n_vocab
        self.full_checks = 0  # how often the chosen token was refused (for the tests)
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self._grammar:
            raise ValueError("llama.cpp refused the grammar")
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array(
            data=ctypes.cast(self._one, llama_cpp.llama_token_data_p), size=1, selected=-1
        )
        self._all: LlamaTokenDataArray | None = None

    def sample(self, ctx: LlamaContext, idx: int = -1) -> int:
        pointer = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(pointer, shape=(self.n_vocab,))
        token = int(np.argmax(logits))
        if not self._accepts(token, float(logits[token])):
            token = self._best_allowed(logits)
        llama_cpp.llama_sampler_accept(self._grammar, token)
        return token

    def _accepts(self, token: int, logit: float) -> bool:
        self._one[0] = llama_cpp.llama_token_data(id=token, logit=logit, p=0.0)
        self._one_array.size = 1
        self._one_array.selected = -1
        self._one_array.sorted = False
        llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._one_array))
        return math.isfinite(self._one[0].logit)

    def _best_allowed(self, logits: np.ndarray[Any, np.dtype[np.float32]]) -> int:
        self.full_checks += 1
        if self._all is None:
            self._all = LlamaTokenDataArray(n_vocab=self.n_vocab)
        self._all.copy_logits(logits)
        llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(self._all.candidates))
        data = self._all.candidates_data
        return int(data.id[int(np.argmax(data.logit[: self._all.candidates.size]))])

    def close(self) -> None:
        if self._grammar:
            llama_cpp.llama_sampler_free(self._grammar)
            self._grammar = None

    def __del__(self) -> None:
        self.close()


# Llama is Any while llama-cpp-python is not installed yet: mypy passes either way
class LazyGrammarLlama(Llama):  # type: ignore[misc,unused-ignore]
    """`Llama` whose greedy, grammar-constrained generation uses `LazyGrammarSampler`."""

    lazy = True  # False: llama-cpp-python's own chain (the tests compare the two)
    last_sampler: LazyGrammarSampler | None = None

    # llama-cpp-python (pinned) calls this with keywords only; we read the few that matter
    def _init_sampler(self, **kwargs: Any) -> Any:  # type: ignore[override,unused-ignore]
        plain = (
            kwargs.get("logits_processor") is None
            and kwargs.get("repeat_penalty", 1.0) == 1.0
            and kwargs.get("frequency_penalty", 0.0) == 0.0
            and kwargs.get("presence_penalty", 0.0) == 0.0
        )
        grammar = kwargs.get("grammar")
        if self.lazy and grammar is not None and kwargs.get("temp") == 0.0 and plain:
            self.last_sampler = LazyGrammarSampler(self._model, grammar, self._n_vocab)
            return self.last_sampler
        self.last_sampler = None
        return super()._init_sampler(**kwargs)
