"""Helpers of the topology tests (a module name no other test folder uses)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(name: str, found: str | None = None) -> str:
    """The binary's path; skips when it is absent, but fails on CI (CI=true), where every binary must exist."""
    path = found or shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)
