"""The live provider against a loopback server answering recorded Kubernetes API JSON, through the same
agent and analyzers as the snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, investigation, write_snapshot
from support.kube_scenarios import SCENARIOS, Scenario
from support.recorded_api import RecordedApi

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.source import SecretsRefused
from functions._platform.domains.kubernetes.source.live import LiveProvider
from functions.agents.investigate import collect_evidence
from sreo_events.models import EvidenceCollected


@pytest.fixture(autouse=True)
def _outside_any_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def comparable(evidence: EvidenceCollected) -> list[tuple[str, str, float, str]]:
    return sorted((f.kind, f.subject, f.score, f.summary) for f in evidence.findings)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_live_api_yields_the_same_findings_as_the_snapshot(scenario: Scenario, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = scenario.cluster()
    request = investigation(scenario.service)
    offline = collect_evidence(request, Settings(kube_snapshot=write_snapshot(cluster, tmp_path / "snap"),
                                                 home=tmp_path))
    with RecordedApi(cluster) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        live = collect_evidence(request, Settings(kube_live=True, kube_context="recorded", home=tmp_path))
    assert live.status == "success", live.error
    assert any(f.kind == scenario.kind and f.subject == scenario.subject for f in live.findings)
    assert comparable(live) == comparable(offline)
    assert live.checked == offline.checked
    assert {method for method, _, _ in api.requests} == {"GET"}
    assert all(auth == "Bearer read-only-token" for _, _, auth in api.requests)
    assert not any("secrets" in path for _, path, _ in api.requests)


def test_live_namespace_and_logs_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = healthy_cluster()
    cluster["logs"][("shop", "checkout-aaa111-x1", "checkout", False)] = "line one\nline two\n"
    with RecordedApi(cluster) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        provider = LiveProvider()
        pods = provider.list("po", namespace="shop")
        log = provider.logs("shop", "checkout-aaa111-x1", "checkout", tail_lines=50)
        with pytest.raises(SecretsRefused):
            provider.list("secrets")
    assert {p["kind"] for p in pods} == {"Pod"} and len(pods) == 8
    assert log == "line one\nline two\n"
    paths = [path for _, path, _ in api.requests]
    assert paths[0].startswith("/api/v1/namespaces/shop/pods")
    assert "/api/v1/namespaces/shop/pods/checkout-aaa111-x1/log?" in paths[1] and "tailLines=50" in paths[1]


def test_unreachable_api_is_an_error_with_the_failed_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with RecordedApi(healthy_cluster()) as api:
        kubeconfig = api.write_kubeconfig(tmp_path / "kubeconfig")
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    evidence = collect_evidence(investigation(), Settings(kube_live=True, kube_context="recorded", home=tmp_path))
    assert evidence.status == "error"
    assert evidence.failed_query == 'list_pods({"namespace": "shop"})'


def test_live_jobs_cronjobs_accounts_and_storage_classes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = healthy_cluster()
    cluster["objects"]["jobs"] = [{"kind": "Job", "apiVersion": "batch/v1", "metadata": {
        "name": "invoices-1", "namespace": "shop", "ownerReferences": [{"kind": "CronJob", "name": "invoices"}]},
        "status": {"conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}]}}]
    cluster["objects"]["cronjobs"] = [{"kind": "CronJob", "apiVersion": "batch/v1",
                                       "metadata": {"name": "invoices", "namespace": "shop"}}]
    cluster["objects"]["serviceaccounts"] = [{"kind": "ServiceAccount", "apiVersion": "v1",
                                              "metadata": {"name": "default", "namespace": "shop"}}]
    cluster["objects"]["storageclasses"] = [{"kind": "StorageClass", "apiVersion": "storage.k8s.io/v1",
                                             "metadata": {"name": "gp3"}, "provisioner": "ebs.csi.aws.com"}]
    with RecordedApi(cluster) as api:
        provider = LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        assert [j["metadata"]["name"] for j in provider.list("jobs", "shop")] == ["invoices-1"]
        assert provider.list("cj", "shop")[0]["kind"] == "CronJob"
        assert provider.list("sa", "shop")[0]["metadata"]["name"] == "default"
        assert provider.list("storageclasses")[0]["provisioner"] == "ebs.csi.aws.com"
    paths = [path.split("?")[0] for _, path, _ in api.requests]
    assert "/apis/batch/v1/namespaces/shop/jobs" in paths and "/apis/storage.k8s.io/v1/storageclasses" in paths
