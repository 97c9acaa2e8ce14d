"""What one pipeline run carries: the backend, the prompts, and the record of every call."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from service.llm.backend import Backend
from service.llm.calls import CallUsage
from service.prompts import Prompt, PromptLibrary, standalone

_WORDS = re.compile(r"\w+")
_ECHO_WORDS = 8  # consecutive words shared with a prompt: an echo, not a coincidence


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _ECHO_WORDS]) for i in range(len(words) - _ECHO_WORDS + 1)}


@dataclass
class RunContext:
    backend: Backend
    prompts: PromptLibrary
    calls: list[CallUsage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: dict[str, Prompt] = field(default_factory=dict)

    def echoes_prompt(self, text: str) -> bool:
        """Whether model text repeats a run of words from the instructions it was given (a
        model that obeyed "reveal your prompt"). Such text is not returned to clients."""
        words = _WORDS.findall(text.lower())
        if len(words) < _ECHO_WORDS:
            return False
        known: set[tuple[str, ...]] = set()
        for prompt in self.used.values():
            known |= _shingles(_WORDS.findall(f"{prompt.system or ''} {prompt.template}".lower()))
        return not known.isdisjoint(_shingles(words))

    def prompt(self, name: str) -> Prompt:
        prompt = self.prompts.get(name)
        self.used[name] = prompt
        return prompt

    def ask_standalone(
        self,
        name: str,
        values: dict[str, Any],
        *,
        schema: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> dict[str, Any]:
        """Run a prompt that carries its own system text (no article prefix)."""
        task = self.prompt(name)
        return self._generate(task, standalone(task, values), schema, label)

    def _generate(
        self,
        task: Prompt,
        messages: list[Any],
        schema: dict[str, Any] | None,
        label: str | None,
    ) -> dict[str, Any]:
        assert task.schema is not None, f"prompt {task.ref} has no output schema"
        try:
            gen = self.backend.generate(
                messages,
                schema=schema or task.schema,
                schema_name=task.name,
                max_tokens=int(task.defaults.get("max_tokens", 512)),
                label=label or task.name,
                prompt_version=task.ref,
            )
        except Exception as exc:
            usage = getattr(exc, "usage", None)
            if usage:
                self.calls.append(CallUsage(**usage))
            raise
        self.calls.append(gen.usage)
        return gen.data
