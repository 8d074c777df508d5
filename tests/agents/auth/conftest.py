from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def missing(message: str) -> NoReturn:
    """Skip for a missing server or binary, except on CI, where everything must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required on CI)")
    pytest.skip(message)


def require_binary(name: str) -> str:
    return shutil.which(name) or missing(f"{name} is not installed")
