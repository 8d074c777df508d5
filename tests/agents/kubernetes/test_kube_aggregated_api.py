"""The focus's HPAs cannot read their metrics because the aggregated API serving them is unavailable: the agent
lists the APIServices, then the namespace of the Service behind the unavailable one, and reads the workload
serving it, whose own trouble is the evidence; the focus's blind HPA events are that API finding's dependents."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
    api_service,
    deployment,
    endpoints,
    event,
    healthy_cluster,
    in_namespace,
    investigation,
    pod,
    replicaset,
    service,
    ts,
    write_snapshot,
)

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

BLIND = ("failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from "
         "resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)")
X509 = ('E0501 10:01:12.393603       1 scraper.go:149] "Failed to scrape node" err="Get \\"https://10.0.1.44:10250/'
        'metrics/resource\\": tls: failed to verify certificate: x509: cannot validate certificate for 10.0.1.44 '
        'because it doesn\'t contain any IP SANs" node="node-1"\n')


def _cluster(available: bool = False) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    image = "registry.k8s.io/metrics-server/metrics-server:v0.7.2"
    unready = pod("metrics-server", "fff666", "m1", image, ready=False)
    objects["deployments"].append(in_namespace("kube-system", deployment("metrics-server", image, replicas=1, available=0)))
    objects["replicasets"].append(in_namespace("kube-system", replicaset("metrics-server", image, "fff666", 1, ts(-2), 1)))
    objects["pods"].append(in_namespace("kube-system", unready))
    objects["services"].append(in_namespace("kube-system", service("metrics-server", port=443)))
    objects["endpoints"].append(in_namespace("kube-system", endpoints("metrics-server", [], port=443)))
    objects["apiservices"] = [api_service(
        "metrics.k8s.io", "v1beta1", ("kube-system", "metrics-server"), available=available,
        reason="MissingEndpoints", since=-2,
        message='endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"')]
    objects["events"].append(event("HorizontalPodAutoscaler", "checkout", "FailedGetResourceMetric", BLIND, at=10,
                                   count=60, first=-1))
    cluster["logs"][("kube-system", "metrics-server-fff666-m1", "metrics-server", False)] = X509 * 20
    return cluster


def _evidence(cluster: dict, tmp_path: Path):
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_blind_hpas_name_the_metrics_server_and_the_agent_reads_it(tmp_path: Path) -> None:
    evidence = _evidence(_cluster(), tmp_path)
    (down,) = [f for f in evidence.findings if f.kind == "aggregated_api_unavailable"]
    assert down.subject == "metrics-server" and down.evidence["blocked_callers"] == ["checkout"]
    found = {(f.kind, f.subject) for f in evidence.findings}
    assert {("service_no_endpoints", "metrics-server"), ("container_log_error", "metrics-server")} <= found
    assert not [f for f in evidence.findings if f.subject == "checkout"]  # its HPA events are the dependents
    assert "list_apiservices({})" in down.query


def test_an_available_metrics_api_leaves_kube_system_unread(tmp_path: Path) -> None:
    evidence = _evidence(_cluster(available=True), tmp_path)
    kinds = {(f.kind, f.subject) for f in evidence.findings}
    assert ("warning_events", "checkout") in kinds
    assert not any(subject == "metrics-server" for _, subject in kinds)
