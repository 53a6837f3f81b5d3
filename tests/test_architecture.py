"""The apps depend downwards only (docs/architecture.md), checked by import-linter's contract."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own tool on our own tree
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(cwd)},
    )


def test_apps_depend_downwards_only():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_the_contract_catches_an_upward_import(tmp_path):
    """The same layers applied to a tree where accounts imports moderation must fail."""
    tree = tmp_path / "tree"
    for name in ("lower", "higher"):
        (tree / name).mkdir(parents=True)
        (tree / name / "__init__.py").write_text("")
    (tree / "lower" / "bad.py").write_text("import higher\n")
    config = tmp_path / "contract.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n    lower\n    higher\n\n"
        "[importlinter:contract:layers]\nname = layers\ntype = layers\n"
        "layers =\n    higher\n    lower\n"
    )
    result = lint_imports(tree, "--config", str(config))
    assert result.returncode != 0
    assert "lower.bad -> higher" in result.stdout


def _layers_in_pyproject() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        contracts = tomllib.load(file)["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return list(layers)


def test_the_architecture_doc_shows_the_layers_of_the_contract():
    """The diagram in docs/architecture.md lists the layers top to bottom, one per line."""
    doc = (ROOT / "docs" / "architecture.md").read_text()
    diagram = doc.split("## Layers and their direction", 1)[1].split("```")[1]
    drawn = [line.split()[0] for line in diagram.strip().splitlines() if line.strip() != "↓"]
    assert drawn == _layers_in_pyproject()


def test_no_module_imports_itself_back_through_others():
    """No import cycle between our modules, function-level imports included (grimp sees those),
    so no cycle hides behind an import inside a function."""
    graph = grimp.build_graph(*_layers_in_pyproject(), include_external_packages=False)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert _cycles(edges) == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
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
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_services_take_the_time_from_the_one_clock():
    """`now` comes from `core.clock` (model field defaults aside), so one operation writes one
    instant and tests move time for all of it at once."""
    offenders = [
        str(path.relative_to(ROOT))
        for package in _layers_in_pyproject()
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and path != ROOT / "core" / "clock.py"
        and "timezone.now()" in path.read_text()
    ]
    assert offenders == []
