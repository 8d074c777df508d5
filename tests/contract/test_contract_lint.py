"""The whole tree passes ruff with the project's own rule set (pyproject.toml), so style drift fails the suite."""

from __future__ import annotations

import subprocess
import sys

from support.paths import REPO_ROOT

ROOT = REPO_ROOT


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
