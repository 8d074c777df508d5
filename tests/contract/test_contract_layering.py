"""Dependencies point one way: sreo_events <- _platform <- each function <- _local; functions never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

from support.paths import REPO_ROOT

ROOT = REPO_ROOT
FUNCTIONS = sorted(p.name for p in (ROOT / "functions").iterdir()
                   if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "__init__.py").exists())


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name for name in names if name.split(".")[0] in ("sreo_events", "functions")}


def _violations(folder: Path, allowed: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(folder)} imports {name}"
            for path in folder.rglob("*.py") for name in sorted(_imports(path))
            if name != "functions" and not name.startswith(allowed)]


def test_the_contract_imports_nothing_of_ours() -> None:
    assert _violations(ROOT / "sreo_events", ("sreo_events",)) == []


def test_platform_imports_only_events_and_itself() -> None:
    assert _violations(ROOT / "functions" / "_platform", ("sreo_events", "functions._platform")) == []


def test_functions_never_import_another_function() -> None:
    problems = []
    for name in FUNCTIONS:
        problems += _violations(ROOT / "functions" / name, ("sreo_events", "functions._platform", f"functions.{name}"))
    assert problems == []


def test_the_layering_check_can_fail(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text("from functions.report.publish import build\n")
    assert _violations(tmp_path, ("sreo_events", "functions._platform", "functions.triage"))
