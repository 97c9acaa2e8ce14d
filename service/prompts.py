"""Versioned prompt files (prompts/<name>/<version>.yaml), rendered with LangChain templates.

A released version is never edited: a change is a new file. Each loaded prompt carries the
SHA-256 of its file so an output can name exactly which text produced it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.prompts import PromptTemplate


class PromptError(ValueError):
    pass


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    sha256: str
    template: str
    system: str | None = None
    schema: dict[str, Any] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def render(self, **values: Any) -> str:
        return PromptTemplate.from_template(self.template).format(**values)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.stem)) or (0,)


class PromptLibrary:
    def __init__(self, root: Path, pinned: dict[str, str] | None = None) -> None:
        self.root = root
        self.pinned = pinned or {}
        self._cache: dict[str, Prompt] = {}

    def get(self, name: str) -> Prompt:
        if name not in self._cache:
            self._cache[name] = self._load(name, self.pinned.get(name))
        return self._cache[name]

    def _load(self, name: str, version: str | None) -> Prompt:
        folder = self.root / name
        if version is None:
            files = sorted(folder.glob("v*.yaml"), key=_version_key)
            if not files:
                raise PromptError(f"no versions of prompt {name!r} in {folder}")
            path = files[-1]
        else:
            path = folder / f"{version}.yaml"
            if not path.exists():
                raise PromptError(f"prompt {name}@{version} not found at {path}")
        raw = path.read_bytes()
        data = yaml.safe_load(raw)
        if data.get("name") != name or data.get("version") != path.stem:
            raise PromptError(f"{path}: name/version fields must match the file location")
        schema = data.get("schema")
        if "schema_from" in data:
            other, _, other_version = str(data["schema_from"]).partition("@")
            schema = self._load(other, other_version or None).schema
        return Prompt(
            name=name,
            version=path.stem,
            sha256=hashlib.sha256(raw).hexdigest(),
            template=data["template"],
            system=data.get("system"),
            schema=schema,
            defaults=data.get("defaults", {}),
        )


def standalone(task: Prompt, values: dict[str, Any]) -> list[BaseMessage]:
    """A prompt that carries its own system text (no article prefix), as messages."""
    return [SystemMessage(task.system or ""), HumanMessage(task.render(**values))]
