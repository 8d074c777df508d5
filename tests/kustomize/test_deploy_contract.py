"""A deploy that keeps its data: a required database Secret, least-privilege RBAC, the SinkBinding label, and
an image entrypoint that needs only FUNCTION_TARGET."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kubernetes_calls import cluster_wide_permissions, granted_permissions, used_permissions
from kustomize_builds import BuildTarget, build_targets
from manifest_views import containers, env_of, knative_services, of_kind
from support.paths import REPO_ROOT

from functions._local import entrypoint
from functions._platform import config, runtime

ROOT = REPO_ROOT
TARGETS = build_targets()
OVERLAYS = [t for t in TARGETS if t.is_overlay]
BASE = next(t for t in TARGETS if t.name == "base")
CODE = sorted((ROOT / "functions").rglob("*.py"))


# read only in the watched namespaces (SREO_KUBE_CONFIGMAP_NAMESPACES): never called or granted cluster-wide
WATCHED_NAMESPACES_ONLY = {("", "configmaps", "list")}
AGENT = "sreo-kubernetes-agent"


def _agent_bindings(docs, kind: str) -> list[dict]:
    return [b for b in of_kind(docs, kind) if any(s["name"] == AGENT for s in b.get("subjects", []))]


def _agent_roles(docs, binding_kinds: tuple[str, ...] = ("ClusterRoleBinding", "RoleBinding")) -> list[dict]:
    bound = {b["roleRef"]["name"] for kind in binding_kinds for b in _agent_bindings(docs, kind)}
    return [r for r in of_kind(docs, "ClusterRole") + of_kind(docs, "Role") if r["metadata"]["name"] in bound]


def _cluster_wide_grants(docs) -> set[tuple[str, str, str]]:
    return granted_permissions(_agent_roles(docs, ("ClusterRoleBinding",)))


def _watched_namespaces(docs) -> set[str]:
    (config,) = [c for c in of_kind(docs, "ConfigMap") if c["metadata"]["name"] == "sreo-config"]
    listed = config.get("data", {}).get("SREO_KUBE_CONFIGMAP_NAMESPACES", "")
    return {name.strip() for name in listed.split(",") if name.strip()}


def configmap_grant_problems(docs) -> list[str]:
    """ConfigMaps granted cluster-wide, or by a RoleBinding outside the watched namespaces or granting more."""
    problems = [f"granted cluster-wide: {p}" for p in sorted(_cluster_wide_grants(docs) & WATCHED_NAMESPACES_ONLY)]
    bindings = _agent_bindings(docs, "RoleBinding")
    for binding in bindings:
        roles = [r for r in of_kind(docs, binding["roleRef"]["kind"])
                 if r["metadata"]["name"] == binding["roleRef"]["name"]]
        if granted_permissions(roles) != WATCHED_NAMESPACES_ONLY:
            problems.append(f"{binding['metadata']['name']} grants {sorted(granted_permissions(roles))}")
    bound = {b["metadata"]["namespace"] for b in bindings}
    if bound != _watched_namespaces(docs):
        problems.append(f"ConfigMaps bound in {sorted(bound)}, watched {sorted(_watched_namespaces(docs))}")
    return problems


def test_rbac_grants_exactly_the_kubernetes_calls_the_code_makes(built) -> None:
    used = used_permissions(CODE)
    assert ("", "pods/log", "get") in used  # the reading found the calls
    assert WATCHED_NAMESPACES_ONLY <= used
    assert _cluster_wide_grants(built(BASE)) == used - WATCHED_NAMESPACES_ONLY
    for overlay in OVERLAYS:
        assert granted_permissions(_agent_roles(built(overlay))) == used, overlay.name


def test_the_rbac_comparison_sees_an_unused_grant(built) -> None:
    roles = _agent_roles(built(BASE))
    roles[0]["rules"].append({"apiGroups": [""], "resources": ["pods"], "verbs": ["watch"]})
    assert granted_permissions(roles) - used_permissions(CODE) == {("", "pods", "watch")}


def test_the_code_lists_configmaps_only_namespace_by_namespace(tmp_path: Path) -> None:
    assert cluster_wide_permissions(CODE) & WATCHED_NAMESPACES_ONLY == set()
    assert ("", "pods", "list") in cluster_wide_permissions(CODE)  # the reading tells the scopes apart
    across = tmp_path / "across.py"
    across.write_text('CALLS = {"configmaps": ("CoreV1Api", "list_config_map_for_all_namespaces")}\n')
    assert cluster_wide_permissions([across]) == WATCHED_NAMESPACES_ONLY


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_configmaps_are_granted_only_in_the_watched_namespaces(built, target: BuildTarget) -> None:
    assert configmap_grant_problems(built(target)) == []


def test_the_configmap_check_sees_a_cluster_wide_grant_and_a_stray_binding(built) -> None:
    docs = built(OVERLAYS[0])
    cluster_role = _agent_roles(docs, ("ClusterRoleBinding",))[0]
    cluster_role["rules"].append({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]})
    assert configmap_grant_problems(docs) == ["granted cluster-wide: ('', 'configmaps', 'list')"]
    docs = built(OVERLAYS[0])
    stray = copy.deepcopy(_agent_bindings(docs, "RoleBinding")[0])
    stray["metadata"]["namespace"] = "kube-system"
    assert configmap_grant_problems([*docs, stray])


@pytest.mark.parametrize("target", OVERLAYS, ids=lambda t: t.name)
def test_every_deployed_function_reads_its_database_from_a_required_secret(built, target: BuildTarget) -> None:
    for name, service in knative_services(built(target)).items():
        env = {e["name"]: e for e in containers(service)[0]["env"]}
        ref = env.get("SREO_DATABASE_URL", {}).get("valueFrom", {}).get("secretKeyRef")
        assert ref == {"name": "sreo-database", "key": "url"}, name  # no `optional`: no Secret, no revision


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_the_namespace_opts_in_to_sinkbindings(built, target: BuildTarget) -> None:
    namespaces = of_kind(built(target), "Namespace")
    assert namespaces and all(n["metadata"]["labels"]["bindings.knative.dev/include"] == "true" for n in namespaces)


def test_a_target_alone_finds_its_source(built) -> None:
    for name, service in knative_services(built(BASE)).items():
        env = env_of(service)
        argv = entrypoint.command({"FUNCTION_TARGET": env["FUNCTION_TARGET"], "PORT": "9000"}, [])
        assert argv[:2] == ["functions-framework", f"--source={env['FUNCTION_SOURCE']}"], name
        assert "--port=9000" in argv


def test_no_target_serves_everything_and_arguments_run_as_given() -> None:
    assert entrypoint.command({}, []) == ["sreo", "serve", "--host", "0.0.0.0", "--port", "8080"]
    assert entrypoint.command({"FUNCTION_TARGET": "x"}, ["sreo", "demo"]) == ["sreo", "demo"]
    with pytest.raises(entrypoint.StartError, match="no function of this image"):
        entrypoint.command({"FUNCTION_TARGET": "nope_http"}, [])


def _start(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SREO_") and k != "K_SERVICE"}
    return subprocess.run([sys.executable, "-m", "functions._local.entrypoint"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False, env={**env, "FUNCTION_TARGET": "triage_http", **extra})


def test_a_deployed_function_refuses_to_start_on_sqlite() -> None:
    result = _start({"K_SERVICE": "triage"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SREO_DATABASE_URL is not set" in lines[0] and "sreo-database" in lines[0]


def test_the_runtime_refuses_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("K_SERVICE", "report")
    monkeypatch.setenv("SREO_HOME", str(tmp_path))
    monkeypatch.delenv("SREO_DATABASE_URL", raising=False)
    config.reset_settings()
    runtime.set_runtime(None)
    try:
        with pytest.raises(RuntimeError, match="SREO_DATABASE_URL is not set"):
            runtime.get_runtime()
        monkeypatch.setenv("SREO_ALLOW_EPHEMERAL_STORE", "true")
        config.reset_settings()
        assert runtime.get_runtime().settings.store_problem() is None
    finally:
        runtime.set_runtime(None)
        config.reset_settings()


def test_the_build_context_leaves_out_the_venv_and_the_image_serves_by_target() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".git", "tests"} <= set(ignored)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "-m", "functions._local.entrypoint"]' in dockerfile
    assert "SREO_HOME=/tmp" not in dockerfile
