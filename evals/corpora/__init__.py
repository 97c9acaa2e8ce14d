"""Public corpora the evals read from a local folder, never from the repository: their
article text is third-party (PolNeAR, GAP, the BBC news set) and stays out of it.

`SUMMARIZER_CORPORA` (default `~/.cache/summarizer/corpora`) holds one folder each:
`polnear/` (a checkout of networkdynamics/PolNeAR), `gap/` (google-research-datasets/
gap-coreference), `bbc/` (the BBC news set: business, entertainment, politics, sport, tech).
A suite whose corpus is absent is skipped and says so; it never fails for that reason.
`scripts/corpora.sh` fetches all three into that folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    default = Path.home() / ".cache" / "summarizer" / "corpora"
    return Path(os.environ.get("SUMMARIZER_CORPORA", default)).expanduser()


def corpus(name: str) -> Path | None:
    """The corpus folder, or None when it is not on this machine."""
    path = root() / name
    return path if path.is_dir() else None
