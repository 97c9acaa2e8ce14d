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

    # Faithfulness checker (opt-in): flags, never drops, claims and key points it doubts.
    check_faithfulness: bool = False
    check_threshold: float | None = Field(default=None, ge=0.0, le=1.0)  # None: the fitted one

    # Storage and jobs. SQLite by default (zero set-up); a postgresql+psycopg:// URL at scale.
    database_url: str = ""  # empty: sqlite:///<cache_dir>/summarizer.db
    queue: Literal["inprocess", "procrastinate"] = "inprocess"
    workers: int = Field(default=1, ge=0, le=64)  # in-process workers in the API process
    job_max_attempts: int = Field(default=3, ge=1, le=20)
    job_retry_base_s: float = Field(default=5.0, ge=0)
    job_stale_after_s: float = Field(default=60.0, gt=0)  # a running job with no heartbeat
    max_queued_per_key: int = Field(default=100, ge=1)
    rate_limit_per_minute: int = Field(default=600, ge=0)  # per API key; 0 = unlimited
    sync_max_bytes: int = Field(default=200_000, ge=1_000)  # longer texts: use /v1/jobs
    require_api_key: bool = False
    nightly_eval_cron: str = "15 2 * * *"
    log_json: bool = True
    otel: bool = False  # OpenTelemetry tracing of the API, when the `otel` extra is installed

    # Slack (Bolt). HTTP mode needs the signing secret; Socket Mode the app token.
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"  # tests point this at a local fake

    # Fetching URLs (Slack, jobs): strict limits, never private addresses.
    fetch_max_bytes: int = Field(default=3_000_000, ge=1_000)
    fetch_timeout_s: float = Field(default=10.0, gt=0)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    fetch_allow_private: bool = False  # tests only: lets a loopback fixture server through

    @model_validator(mode="after")
    def _check_backend(self) -> Settings:
        if self.backend == "openai" and self.openai_api_key is None and not self.openai_base_url:
            raise ValueError(
                "backend=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a keyless local server)"
            )
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.cache_dir / 'summarizer.db'}"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"
