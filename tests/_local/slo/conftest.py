from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import REPO_ROOT
from support.servers import require_binary

MONITORING_DIR = REPO_ROOT / "kustomize" / "components" / "monitoring"
RUNBOOKS_DIR = REPO_ROOT / "runbooks" / "sreo"
PROMTOOL_TESTS_DIR = Path(__file__).with_name("promtool")


@pytest.fixture
def promtool() -> str:
    return require_binary("promtool")
