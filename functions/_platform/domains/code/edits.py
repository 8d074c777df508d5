"""Turn a fix's edits into a unified diff, and check it: it applies (`git apply --check`), the patched file
parses, and the rule that raised the issue no longer fires there."""

from __future__ import annotations

import ast
import difflib
import subprocess
import tempfile
from pathlib import Path

from functions._platform.domains.code.model import Edit, Fix


def apply_edits(text: str, edits: list[Edit]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def position(line: int, col: int) -> int:
        return offsets[line - 1] + col

    out = text
    for edit in sorted(edits, key=lambda e: (e.line, e.col), reverse=True):
        start, end = position(edit.line, edit.col), position(edit.end_line, edit.end_col)
        out = out[:start] + edit.text + out[end:]
    return out


def _imported(tree: ast.Module, statement: str) -> bool:
    wanted = ast.parse(statement).body[0]
    names = {alias.asname or alias.name for alias in wanted.names}  # type: ignore[attr-defined]
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom) and type(node) is type(wanted):
            if isinstance(node, ast.ImportFrom) and node.module != wanted.module:  # type: ignore[attr-defined]
                continue
            if names <= {alias.asname or alias.name for alias in node.names}:
                return True
    return False


def add_imports(text: str, statements: list[str]) -> str:
    """Insert each import after the module's last top-level import (or its docstring), unless present."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    missing = [s for s in dict.fromkeys(statements) if not _imported(tree, s)]
    if not missing:
        return text
    after = 0
    for node in tree.body:
        is_docstring = (node is tree.body[0] and isinstance(node, ast.Expr)
                        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))
        if isinstance(node, ast.Import | ast.ImportFrom) or is_docstring:
            after = node.end_lineno or after
        elif after:
            break
    lines = text.splitlines(keepends=True)
    if after and not lines[after - 1].endswith("\n"):
        lines[after - 1] += "\n"
    return "".join(lines[:after] + [s + "\n" for s in missing] + lines[after:])


def patched_text(text: str, fix: Fix) -> str:
    out = apply_edits(text, fix.edits)
    return add_imports(out, fix.imports) if fix.imports else out


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=f"a/{path}", tofile=f"b/{path}"))


def patch_applies(path: str, before: str, patch: str) -> bool:
    """`git apply --check` against the original file in a scratch directory (no repository needed)."""
    with tempfile.TemporaryDirectory(prefix="sreo-patch-") as scratch:
        target = Path(scratch, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(before)
        Path(scratch, "fix.patch").write_text(patch)
        try:
            done = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=scratch, capture_output=True,
                                  timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0


def parses(path: str, text: str) -> bool:
    if not path.endswith(".py"):
        return True
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True
