"""The apps depend downwards only (docs/architecture.md), checked by import-linter's contract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
