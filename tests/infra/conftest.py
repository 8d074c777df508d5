"""Fixtures shared by the infrastructure tests (Terraform and Ansible)."""

from __future__ import annotations

import os
import shutil

import pytest
from infra_terraform import TerraformWorkspace


def require_binary(name: str) -> str:
    """Path of an external binary; skip without it, but fail under CI=true where .ci/run installs it."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> TerraformWorkspace:
    return TerraformWorkspace(require_binary("terraform"), tmp_path_factory.mktemp("tf"))


@pytest.fixture(scope="session")
def ansible_playbook() -> str:
    return require_binary("ansible-playbook")


@pytest.fixture(scope="session")
def amtool() -> str:
    return require_binary("amtool")


@pytest.fixture(scope="session")
def alertmanager_binary() -> str:
    return require_binary("prometheus-alertmanager")
