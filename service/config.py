"""Settings, read from the environment (prefix SUMMARIZER_) and validated on construction.

Never instantiate at import time: the app factory and the CLI build one and pass it down,
tests build their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "summarizer"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", extra="ignore")

    backend: Literal["local", "openai"] = "local"

    # Embedded model (llama.cpp). model_path wins over the assembled PyPI parts.
    model_path: Path | None = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    n_ctx: int = Field(default=4096, ge=1024, le=131072)
    n_threads: int = Field(default=2, ge=1, le=256)

    # OpenAI-compatible endpoint. The standard OPENAI_* variables are honoured too.
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    openai_model: str = "gpt-4o-mini"
    openai_context_tokens: int = Field(default=16384, ge=1024)
    # auto: try json_schema, fall back to json_object+schema when the server refuses it
    structured_output: Literal["auto", "json_schema", "json_object"] = "auto"

    # Model-call robustness
    call_timeout_s: float = Field(default=180.0, gt=0)
    max_attempts: int = Field(default=3, ge=1, le=10)

    prompts_dir: Path = REPO_ROOT / "prompts"
    prompt_versions: dict[str, str] = Field(default_factory=dict)

    # Input limits
    max_input_bytes: int = Field(default=2_000_000, ge=1_000)
    window_sentences: int = Field(default=5, ge=1, le=20)

    @model_validator(mode="after")
    def _check_backend(self) -> Settings:
        if self.backend == "openai" and self.openai_api_key is None and not self.openai_base_url:
            raise ValueError(
                "backend=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a keyless local server)"
            )
        return self

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"
