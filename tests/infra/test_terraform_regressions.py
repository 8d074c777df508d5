"""The `terraform test` suites must catch the regressions they exist for: each case breaks a copy of a module."""

from __future__ import annotations

import pytest
from infra_terraform import TerraformWorkspace

REGRESSIONS = {
    "public_database": (
        "modules/postgres",
        "main.tf",
        "publicly_accessible    = false",
        "publicly_accessible    = true",
        "The instance must not be publicly accessible.",
    ),
    "unencrypted_search": (
        "modules/opensearch",
        "main.tf",
        "node_to_node_encryption {\n    enabled = true",
        "node_to_node_encryption {\n    enabled = false",
        "Node-to-node encryption must be enabled.",
    ),
    "wildcard_secret_resource": (
        "modules/identity",
        "main.tf",
        "resources = var.secret_arns",
        'resources = ["*"]',
        'No statement may use a "*" resource',
    ),
    "agent_reads_secrets": (
        "modules/kubernetes_namespace/modules/spec",
        "main.tf",
        '"namespaces", "serviceaccounts"]',
        '"namespaces", "serviceaccounts", "secrets"]',
        "must never include secrets",
    ),
    "agent_reads_configmaps_cluster_wide": (
        "modules/kubernetes_namespace/modules/spec",
        "main.tf",
        '"namespaces", "serviceaccounts"]',
        '"namespaces", "serviceaccounts", "configmaps"]',
        "must not include configmaps",
    ),
    "agent_watches": (
        "modules/kubernetes_namespace/modules/spec",
        "main.tf",
        'verbs      = ["list"]',
        'verbs      = ["list", "watch"]',
        "get and list, no watch",
    ),
    "prod_without_deletion_protection": (
        "envs/prod",
        "main.tf",
        "deletion_protection        = true",
        "deletion_protection        = false",
        "prod must enable deletion protection on the database.",
    ),
}


@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_suite_fails_on_regression(terraform: TerraformWorkspace, case: str) -> None:
    root, filename, good, bad, expected_message = REGRESSIONS[case]
    source = terraform.base / root / filename
    original = source.read_text()
    assert good in original, f"{case}: the guarded line moved; update the regression case"
    init = terraform.init(root)
    assert init.returncode == 0, init.stdout + init.stderr
    source.write_text(original.replace(good, bad))
    try:
        result = terraform.run(root, "test", "-no-color")
    finally:
        source.write_text(original)
    assert result.returncode != 0
    assert expected_message in result.stdout + result.stderr
