"""A Terraform-deployed Kubernetes agent holds the same RBAC as the kustomize one: the rules the spec submodule
computes are the rules of the ClusterRoles in kustomize/base/rbac.yaml."""

from __future__ import annotations

import json
import re
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
    outputs = spec_outputs('extra_read_resources=[{api_group="coordination.k8s.io",resource="leases"}]')
    rules = _terraform_rules(outputs["cluster_role_rules"])
    assert differences(rules, _kustomize_rules(READ_ROLE)) == {
        "only in terraform": [(("coordination.k8s.io",), ("leases",), ("list",))],
        "only in kustomize": [],
    }


def _variable_default(root: str, variable: str) -> Any:
    """A variable's default as written in a root's variables.tf (a string or a list of strings, JSON-shaped)."""
    text = (REPO_ROOT / "terraform" / root / "variables.tf").read_text()
    block = re.search(rf'^variable "{variable}" \{{(.*?)^\}}', text, re.MULTILINE | re.DOTALL)
    assert block, f"{root} declares no variable {variable}"
    default = re.search(r"^\s+default\s+=\s+(.+)$", block.group(1), re.MULTILINE)
    assert default, f"{root}: variable {variable} has no one-line default"
    return json.loads(default.group(1))


def _kustomize_service_accounts() -> dict[str, str]:
    """Each kustomize ServiceAccount by its role: the agent's is the one its ClusterRoleBinding names."""
    docs = [doc for doc in yaml.safe_load_all(KUSTOMIZE_RBAC.read_text()) if doc]
    accounts = {doc["metadata"]["name"] for doc in docs if doc["kind"] == "ServiceAccount"}
    (binding,) = [doc for doc in docs if doc["kind"] == "ClusterRoleBinding" and doc["roleRef"]["name"] == READ_ROLE]
    (agent,) = [subject["name"] for subject in binding["subjects"]]
    (function,) = accounts - {agent}
    return {"agent": agent, "function": function}


def mismatched_service_accounts(kustomize: dict[str, str], account_lists: dict[str, list[str]],
                                agent_accounts: dict[str, str]) -> dict[str, Any]:
    """Terraform defaults naming a service account that the kustomize manifests do not run as."""
    return {**{name: value for name, value in account_lists.items() if sorted(value) != sorted(kustomize.values())},
            **{name: value for name, value in agent_accounts.items() if value != kustomize["agent"]}}


MODULE = "modules/kubernetes_namespace"


def _account_lists() -> dict[str, list[str]]:
    return {f"{MODULE} service_accounts": _variable_default(MODULE, "service_accounts"),
            **{f"envs/{env} service_account_names": _variable_default(f"envs/{env}", "service_account_names")
               for env in ("dev", "prod")}}


def _agent_accounts() -> dict[str, str]:
    return {f"{MODULE} kubernetes_agent_service_account": _variable_default(MODULE, "kubernetes_agent_service_account")}


def test_terraform_creates_and_trusts_the_service_accounts_kustomize_runs_as() -> None:
    """The namespace module creates, and IRSA trusts, the accounts the Knative Services name; the agent's binding
    is on the account the kustomize binding uses. A mismatch deploys functions the cloud role does not trust."""
    assert mismatched_service_accounts(_kustomize_service_accounts(), _account_lists(), _agent_accounts()) == {}


def test_the_service_account_comparison_sees_a_renamed_account() -> None:
    renamed = {"renamed": ["sreo-functions", "sreo-kubernetes-agent"]}
    renamed_agent = {"renamed agent": "sreo-agent-kubernetes"}
    assert mismatched_service_accounts(_kustomize_service_accounts(), {**_account_lists(), **renamed},
                                       {**_agent_accounts(), **renamed_agent}) == {**renamed, **renamed_agent}
