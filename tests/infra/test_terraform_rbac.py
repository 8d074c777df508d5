"""A Terraform-deployed Kubernetes agent holds the same RBAC as the kustomize one: the rules the spec submodule
computes are the rules of the ClusterRoles in kustomize/base/rbac.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from infra_terraform import TerraformWorkspace
from support.paths import REPO_ROOT

SPEC = "modules/kubernetes_namespace/modules/spec"
KUSTOMIZE_RBAC = REPO_ROOT / "kustomize" / "base" / "rbac.yaml"
READ_ROLE = "sreo-kubernetes-agent-read"
CONFIGMAPS_ROLE = "sreo-kubernetes-agent-configmaps-reader"

Rule = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _terraform_rules(rules: list[dict[str, list[str]]]) -> list[Rule]:
    return sorted((tuple(sorted(r["api_groups"])), tuple(sorted(r["resources"])), tuple(sorted(r["verbs"])))
                  for r in rules)


def _kustomize_rules(role: str) -> list[Rule]:
    (found,) = [doc for doc in yaml.safe_load_all(KUSTOMIZE_RBAC.read_text())
                if doc and doc["kind"] == "ClusterRole" and doc["metadata"]["name"] == role]
    return sorted((tuple(sorted(r["apiGroups"])), tuple(sorted(r["resources"])), tuple(sorted(r["verbs"])))
                  for r in found["rules"])


def differences(terraform_rules: list[Rule], kustomize_rules: list[Rule]) -> dict[str, list[Rule]]:
    return {
        "only in terraform": [r for r in terraform_rules if r not in kustomize_rules],
        "only in kustomize": [r for r in kustomize_rules if r not in terraform_rules],
    }


NO_DIFFERENCE: dict[str, list[Rule]] = {"only in terraform": [], "only in kustomize": []}


@pytest.fixture(scope="module")
def spec_outputs(terraform: TerraformWorkspace) -> Callable[..., dict[str, Any]]:
    """The spec's planned outputs for the given `-var` assignments."""
    init = terraform.init(SPEC)
    assert init.returncode == 0, init.stdout + init.stderr

    def plan(*assignments: str) -> dict[str, Any]:
        variables = [f"-var={a}" for a in ("namespace=sreo", *assignments)]
        planned = terraform.run(SPEC, "plan", "-input=false", "-no-color", "-out=rbac.tfplan", *variables)
        assert planned.returncode == 0, planned.stdout + planned.stderr
        shown = terraform.run(SPEC, "show", "-json", "-no-color", "rbac.tfplan")
        assert shown.returncode == 0, shown.stderr
        outputs = json.loads(shown.stdout)["planned_values"]["outputs"]
        return {name: output["value"] for name, output in outputs.items()}

    return plan


def test_the_cluster_role_rules_are_the_kustomize_ones(spec_outputs) -> None:
    rules = _terraform_rules(spec_outputs()["cluster_role_rules"])
    assert differences(rules, _kustomize_rules(READ_ROLE)) == NO_DIFFERENCE


def test_the_configmaps_rule_is_the_kustomize_one(spec_outputs) -> None:
    rules = _terraform_rules(spec_outputs()["configmap_reader_rules"])
    assert rules == _kustomize_rules(CONFIGMAPS_ROLE) == [(("",), ("configmaps",), ("list",))]


def test_the_comparison_sees_a_rule_kustomize_lacks(spec_outputs) -> None:
    outputs = spec_outputs('extra_read_resources=[{api_group="policy",resource="poddisruptionbudgets"}]')
    rules = _terraform_rules(outputs["cluster_role_rules"])
    assert differences(rules, _kustomize_rules(READ_ROLE)) == {
        "only in terraform": [(("policy",), ("poddisruptionbudgets",), ("list",))],
        "only in kustomize": [],
    }
