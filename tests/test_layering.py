"""Imports go downward only: front doors (api, slack, cli, job workers) -> engine ->
pipeline, story -> llm, store. Read from the source with `ast`, so an import inside a
function or under TYPE_CHECKING counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent / "service"
CORE = ("pipeline", "llm", "store", "story")
FRONT_DOORS = ("service.api", "service.slack", "service.cli", "service.cli_ops")
ABOVE_CORE = (*FRONT_DOORS, "service.jobs", "service.engine", "service.compose", "evals")


def module_of(path: Path) -> str:
    parts = path.relative_to(SERVICE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved."""
    package = module_of(path) if path.name == "__init__.py" else module_of(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(packages: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for package in packages:
        files = sorted((SERVICE / package).rglob("*.py")) if (SERVICE / package).is_dir() else []
        assert files, f"no sources under service/{package}"
        for path in files:
            for name in sorted(imports(path)):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    bad.append(f"{path.relative_to(SERVICE.parent)} imports {name}")
    return bad


def test_the_core_imports_nothing_above_it() -> None:
    assert violations(CORE, ABOVE_CORE) == []


def test_jobs_import_no_front_door_and_no_composition() -> None:
    assert violations(("jobs",), (*FRONT_DOORS, "service.compose", "evals")) == []


def test_the_engine_imports_no_front_door_and_no_jobs() -> None:
    bad = [
        name
        for name in imports(SERVICE / "engine.py") | imports(SERVICE / "cache.py")
        if name.startswith((*FRONT_DOORS, "service.jobs", "service.compose", "evals"))
    ]
    assert bad == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n    from service.api.app import create_app\n", "service.api.app"),
        ("if TYPE_CHECKING:\n    import service.slack.notify\n", "service.slack.notify"),
        ("from ..jobs import runner\n", "service.jobs.runner"),
    ],
)
def test_the_reader_sees_nested_and_relative_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, expected: str
) -> None:
    fake = tmp_path / "service"
    (fake / "pipeline").mkdir(parents=True)
    (fake / "pipeline" / "x.py").write_text(source)
    monkeypatch.setattr(__import__(__name__, fromlist=["SERVICE"]), "SERVICE", fake)
    assert expected in imports(fake / "pipeline" / "x.py")
    assert violations(("pipeline",), ABOVE_CORE) != []
