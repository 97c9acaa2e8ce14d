"""Running articles through `Engine.claims` for the attribution suites: each article's
claims are kept in the run file, so a later scorer can score the same claims again
(`--rescore`) without running the pipeline; model calls and per-article errors are counted."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from service.pipeline.models import ArticleInput, Claim

KEEP = {"id", "text", "speaker", "attribution", "substitutions", "kind", "sentence_ids", "evidence"}


class ClaimsRun:
    """`engine`: anything with `claims(ArticleInput)` (the service's Engine); `saved`: the
    claims of an earlier run file instead (no engine needed)."""

    def __init__(self, engine: Any = None, saved: dict[str, list[dict[str, Any]]] | None = None):
        self.engine = engine
        self.replay = saved
        self.calls = 0
        self.errors: list[dict[str, str]] = []
        self.saved: dict[str, list[dict[str, Any]]] = {}
        self.started = time.perf_counter()

    @classmethod
    def rescoring(cls, run_file: Path) -> ClaimsRun:
        return cls(saved=json.loads(run_file.read_text(encoding="utf-8"))["claims"])

    def claims(self, name: str, article: ArticleInput) -> list[Claim] | None:
        """The article's claims, or None (recorded as an error) when the run failed."""
        if self.replay is not None:
            if name not in self.replay:
                self.errors.append({"article": name, "error": "not in the saved run"})
                return None
            raw = self.replay[name]
        else:
            try:
                result = self.engine.claims(article)
            except Exception as exc:  # one article's failure is reported, the run goes on
                self.errors.append({"article": name, "error": f"{type(exc).__name__}: {exc}"})
                return None
            self.calls += len(result.ctx.calls)
            raw = [c.model_dump(mode="json", include=KEEP) for c in result.claims]
        self.saved[name] = raw
        return [Claim.model_validate(c) for c in raw]

    def record(self) -> dict[str, Any]:
        return {
            "code": code_version(),
            "model_calls": self.calls,
            "wall_seconds": round(time.perf_counter() - self.started, 1),
            "errors": self.errors,
            "rescored": self.replay is not None,
            "claims": self.saved,
        }


def code_version() -> dict[str, Any]:
    """Which code made the claims: the folder `service` was imported from, its git commit and
    whether tracked files differ from it (None outside a checkout, as in an exported tree)."""
    import service

    root = Path(service.__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"code": str(root), "commit": commit, "dirty": bool(status) if commit else None}
