"""A queue backlog alert names a broker that is healthy and logs nothing about its clients: the agent finds the
workloads of other namespaces whose config names the broker's Service, and reads them. A broker in trouble is
investigated on its own."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
    deployment,
    healthy_cluster,
    in_namespace,
    investigation,
    member,
    pod,
    service,
    ts,
    write_snapshot,
)

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

PKIX = ("ERROR o.s.a.r.l.ConditionalRejectingErrorHandler - Execution of Rabbit message listener failed: "
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path "
        "to requested target (https://ledger.finance.svc:8443)")


def _evidence(tmp_path: Path, broker_restarts: int = 0):
    cluster = healthy_cluster()
    objects = cluster["objects"]
    broker = in_namespace("messaging", member("rabbitmq", 0, "rabbitmq:3.13"))
    broker["status"]["containerStatuses"][0]["restartCount"] = broker_restarts
    objects["pods"].append(broker)
    objects["services"].append(in_namespace("messaging", service("rabbitmq", port=5672)))
    worker = in_namespace("finance", deployment("invoice-worker", "registry.local/invoice-worker:3.2", env=[
        {"name": "SPRING_RABBITMQ_HOST", "value": "rabbitmq.messaging.svc"}]))
    objects["deployments"].append(worker)
    objects["pods"].append(in_namespace("finance", pod("invoice-worker", "f1f1f1", "w1", "registry.local/invoice-worker:3.2")))
    cluster["logs"][("finance", "invoice-worker-f1f1f1-w1", "invoice-worker", False)] = "".join(
        f"{ts(m)} {PKIX}\n" for m in range(1, 12))
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("rabbitmq", "messaging"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_callers_of_a_healthy_server_are_read_in_their_namespaces(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path)
    failing = [f for f in evidence.findings if f.subject == "invoice-worker" and f.kind == "container_log_error"]
    assert failing and failing[0].evidence["category"] == "tls_error"


def test_a_server_in_trouble_is_investigated_without_its_callers(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path, broker_restarts=3)
    assert not [f for f in evidence.findings if f.subject == "invoice-worker"]
