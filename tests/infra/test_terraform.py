"""Terraform: formatting, module shape, init/validate offline, and `terraform test` on every root."""

from __future__ import annotations

import re

import pytest
from infra_terraform import (
    MODULES,
    ROOTS,
    ROOTS_WITH_TESTS,
    STANDARD_FILES,
    TF_DIR,
    TerraformWorkspace,
    missing_providers,
    plugin_dir,
)


def _initialized_or_skip(terraform: TerraformWorkspace, root: str) -> None:
    missing = missing_providers(root)
    if missing:
        # Not a missing binary CI could install: the mirror is offline and holds only what the image ships.
        pytest.skip(
            f"provider(s) {sorted(missing)} not in the offline plugin dir {plugin_dir()}; parsed only"
        )
    init = terraform.init(root)
    assert init.returncode == 0, init.stdout + init.stderr


def test_discovers_every_module_and_environment() -> None:
    assert {
        "modules/opensearch",
        "modules/postgres",
        "modules/identity",
        "modules/kubernetes_namespace",
    } <= set(MODULES)
    assert {"envs/dev", "envs/prod", "envs/dev/cluster", "envs/prod/cluster"} <= set(ROOTS)


def test_formatting_is_canonical(terraform: TerraformWorkspace) -> None:
    result = terraform.run(".", "fmt", "-check", "-recursive", "-diff", "-no-color")
    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("module", MODULES)
def test_module_has_standard_shape(module: str) -> None:
    missing = [name for name in (*STANDARD_FILES, "README.md") if not (TF_DIR / module / name).is_file()]
    assert not missing, f"{module} lacks {missing}"


def _blocks(text: str, kind: str) -> dict[str, str]:
    parts = re.split(rf'^{kind} "([^"]+)" \{{', text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.mark.parametrize("root", ROOTS)
def test_variables_and_outputs_are_described_and_typed(root: str) -> None:
    variables = _blocks((TF_DIR / root / "variables.tf").read_text(), "variable")
    outputs = _blocks((TF_DIR / root / "outputs.tf").read_text(), "output")
    assert variables and outputs
    for name, body in variables.items():
        assert re.search(r"^\s+description\s+=", body, re.MULTILINE), f"variable {name} has no description"
        assert re.search(r"^\s+type\s+=", body, re.MULTILINE), f"variable {name} has no type"
    for name, body in outputs.items():
        assert re.search(r"^\s+description\s+=", body, re.MULTILINE), f"output {name} has no description"


@pytest.mark.parametrize("root", ROOTS)
def test_configuration_loads_offline(terraform: TerraformWorkspace, root: str) -> None:
    """Init loads the configuration and its modules; only providers absent from the mirror may fail it."""
    init = terraform.init(root)
    output = init.stdout + init.stderr
    missing = missing_providers(root)
    if not missing:
        assert init.returncode == 0, output
        return
    assert "Initializing provider plugins" in output, output
    errors = re.findall(r"Error: (.+)", output)
    assert errors and all(e.strip() == "Failed to query available provider packages" for e in errors), output
    assert all(f"provider registry.terraform.io/{name}" in output for name in missing), output


@pytest.mark.parametrize("root", ROOTS)
def test_root_validates(terraform: TerraformWorkspace, root: str) -> None:
    _initialized_or_skip(terraform, root)
    result = terraform.run(root, "validate", "-no-color")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("root", ROOTS_WITH_TESTS)
def test_terraform_tests_pass(terraform: TerraformWorkspace, root: str) -> None:
    _initialized_or_skip(terraform, root)
    result = terraform.run(root, "test", "-no-color")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Success! \d+ passed, 0 failed", result.stdout), result.stdout
