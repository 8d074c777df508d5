from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MONITORING_DIR = REPO_ROOT / "kustomize" / "components" / "monitoring"
RUNBOOKS_DIR = REPO_ROOT / "runbooks" / "sreo"
PROMTOOL_TESTS_DIR = Path(__file__).with_name("promtool")


def require_binary(name: str) -> str:
    """Path of `name`; skips without it, but fails on CI where the image must provide it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not on PATH"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    return path


@pytest.fixture
def promtool() -> str:
    return require_binary("promtool")
