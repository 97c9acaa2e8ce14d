"""Imports go downward only, and no two modules import each other, however indirectly.

Layers, top to bottom: the entry points (the `summarizer` commands, `summarizer eval`, the
bench) -> the composition root -> the front doors (API, Slack, the eval library) -> the
composed services record -> jobs -> the engine -> stories, input decoding -> the pipeline ->
model access, store, prompts, fetching -> the base (settings, errors, limits, logs, metrics).
A layer may import its own component and any layer below it; two components of one layer
(the API and Slack, say) never import each other. Every module of service/, evals/ and bench/
must have a place. Read from the source with `ast`, so an import inside a function or under
TYPE_CHECKING counts as much as one at the top: such an import hides a cycle, it does not
remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "evals", "bench")

# Top to bottom; each layer is a tuple of components, each component a tuple of module
# prefixes. A module belongs to the component with the longest matching prefix.
LAYERS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("service.cli", "service.cli_ops", "evals.cli", "bench"),),
    (("service.compose",),),
    (("service.api",), ("service.slack",), ("evals",)),
    (("service.services",),),
    (("service.jobs",),),
    (("service.engine", "service.cache"),),
    (("service.story",), ("service.inputs",)),
    (("service.pipeline",),),
    (("service.llm",), ("service.store",), ("service.prompts",), ("service.fetch",)),
    (
        (
            "service",
            "service.config",
            "service.errors",
            "service.http_errors",
            "service.limits",
            "service.logs",
            "service.metrics",
        ),
    ),
)

# Upward imports and cycles still to remove (an entry here is a known debt, named).
KNOWN: frozenset[str] = frozenset()
KNOWN_CYCLES: list[list[str]] = []

Graph = dict[str, set[str]]


def modules(root: Path) -> dict[str, Path]:
    """Every module under the packages, by dotted name (a package by its __init__)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _known(name: str, names: Mapping[str, Path]) -> str | None:
    """The longest prefix of a dotted name that is one of our modules."""
    while name and name not in names:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str, path: Path, names: Mapping[str, Path]) -> set[str]:
    """The modules of ours that one file imports, anywhere in it; relative imports resolved.
    `from a.b import c` names a.b.c when that is a module, else a.b."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    raw: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            raw.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                raw.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base)
    found = {_known(name, names) for name in raw}
    return {name for name in found if name is not None and name != module}


def graph(root: Path) -> Graph:
    names = modules(root)
    return {module: imports(module, path, names) for module, path in names.items()}


def place(module: str) -> tuple[int, int] | None:
    """(layer, component) of a module: the component with the longest matching prefix."""
    best: tuple[int, int, int] | None = None
    for layer, components in enumerate(LAYERS):
        for component, prefixes in enumerate(components):
            for prefix in prefixes:
                inside = module == prefix or module.startswith(prefix + ".")
                if inside and (best is None or len(prefix) > best[2]):
                    best = (layer, component, len(prefix))
    return None if best is None else best[:2]


def unplaced(g: Graph) -> list[str]:
    return sorted(m for m in g if place(m) is None)


def upward(g: Graph) -> list[str]:
    """Imports of a higher layer, or of another component of the same layer."""
    bad = []
    for module, targets in sorted(g.items()):
        here = place(module)
        for target in sorted(targets):
            there = place(target)
            if here is None or there is None or here == there:
                continue
            if there[0] < here[0] or (there[0] == here[0] and there[1] != here[1]):
                bad.append(f"{module} imports {target}")
    return bad


def cycles(g: Graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(g):
        if start in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(start, iter(sorted(g.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(iter(children), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(g.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


@pytest.fixture(scope="module")
def repo() -> Graph:
    return graph(ROOT)


def test_every_module_has_a_layer(repo: Graph) -> None:
    assert {"service.api.app", "service.slack", "evals.cli", "bench.run"} <= set(repo)
    assert unplaced(repo) == []


def test_imports_go_downward_only(repo: Graph) -> None:
    bad = [found for found in upward(repo) if found not in KNOWN]
    assert bad == [], "imports that climb:\n" + "\n".join(bad)


def test_no_import_cycles(repo: Graph) -> None:
    bad = [cycle for cycle in cycles(repo) if cycle not in KNOWN_CYCLES]
    assert bad == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in bad)


def _tree(root: Path, files: Mapping[str, str]) -> Graph:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return graph(root)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # an upward import inside a function
            {"service/pipeline/x.py": "def f():\n    from service.api.app import create_app\n"},
            ["service.pipeline.x imports service.api.app"],
        ),
        (  # under TYPE_CHECKING
            {"service/llm/x.py": "if TYPE_CHECKING:\n    import service.slack.notify\n"},
            ["service.llm.x imports service.slack.notify"],
        ),
        (  # relative, into a sibling package
            {"service/engine.py": "from .jobs import runner\n"},
            ["service.engine imports service.jobs.runner"],
        ),
        (  # one front door into another
            {"service/api/app.py": "def f():\n    from service import slack\n"},
            ["service.api.app imports service.slack"],
        ),
        (  # the root from below it
            {"service/slack/x.py": "from service.compose import build_services\n"},
            ["service.slack.x imports service.compose"],
        ),
    ],
)
def test_a_planted_upward_import_is_found(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    targets = {
        "service/api/app.py": "",
        "service/slack/__init__.py": "",
        "service/slack/notify.py": "",
        "service/jobs/runner.py": "",
        "service/compose.py": "",
    }
    assert upward(_tree(tmp_path, targets | files)) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # hidden by a function-level import
            {
                "evals/cases.py": "def f():\n    from evals.matching import normalize\n",
                "evals/matching.py": "from evals.cases import Case\n",
            },
            [["evals.cases", "evals.matching"]],
        ),
        (  # three modules round, one relative
            {
                "service/llm/a.py": "from service.llm import b\n",
                "service/llm/b.py": "from .c import x\n",
                "service/llm/c.py": "if TYPE_CHECKING:\n    from service.llm.a import y\n",
            },
            [["service.llm.a", "service.llm.b", "service.llm.c"]],
        ),
        (  # a package and its own submodule
            {
                "service/slack/__init__.py": "def f():\n    from service.slack.socket import serve\n",
                "service/slack/socket.py": "def g():\n    from service.slack import build_app\n",
            },
            [["service.slack", "service.slack.socket"]],
        ),
    ],
)
def test_a_planted_cycle_is_found(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    g = _tree(tmp_path, files)
    assert cycles(g) == expected
    assert upward(g) == []  # within one component: only the cycle check sees it


def test_a_package_importing_its_submodule_is_no_cycle(tmp_path: Path) -> None:
    g = _tree(
        tmp_path,
        {
            "service/llm/__init__.py": "from service.llm.backend import Backend\n",
            "service/llm/backend.py": "from service.llm.errors import LLMError\n",
            "service/llm/errors.py": "",
        },
    )
    assert cycles(g) == []
