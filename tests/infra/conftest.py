"""Fixtures shared by the infrastructure tests (Terraform and Ansible)."""

from __future__ import annotations

import pytest
from infra_terraform import TerraformWorkspace
from support.servers import require_binary


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
