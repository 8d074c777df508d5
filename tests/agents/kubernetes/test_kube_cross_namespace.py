"""An investigation scoped to one namespace also reads the namespaces its focus workloads call by cluster DNS
name (`<service>.<namespace>.svc`), so a broken dependency there is analysed and ranked."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
    deployment,
    endpoints,
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
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import (
    dependencies_of,
    referenced_namespaces,
)
from functions.agents.investigate import collect_evidence


def _cluster() -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    env = [{"name": "AMQP_URL", "value": "amqp://notifications@rabbitmq.messaging.svc.cluster.local:5672/shop"}]
    objects["deployments"].append(deployment("notifications", "registry.local/notifications:4.0", env=env))
    objects["replicasets"].append(replicaset("notifications", "registry.local/notifications:4.0", "eee555", 1, ts(-600), 2))
    notifications = [pod("notifications", "eee555", s, "registry.local/notifications:4.0") for s in ("n1", "n2")]
    objects["pods"] += notifications
    objects["services"].append(service("notifications"))
    objects["endpoints"].append(endpoints("notifications", notifications))
    image = "rabbitmq:3.13"
    crashing = pod("rabbitmq", "fff666", "r1", image, waiting={"reason": "CrashLoopBackOff", "message": "back-off 5m0s"},
                   last_terminated={"reason": "Error", "exitCode": 1, "startedAt": ts(3), "finishedAt": ts(3.1)}, restarts=8)
    objects["deployments"].append(in_namespace("messaging", deployment("rabbitmq", image, replicas=1, available=0)))
    objects["replicasets"].append(in_namespace("messaging", replicaset("rabbitmq", image, "fff666", 1, ts(-600), 1)))
    objects["pods"].append(in_namespace("messaging", crashing))
    objects["services"].append(in_namespace("messaging", service("rabbitmq", port=5672)))
    objects["endpoints"].append(in_namespace("messaging", endpoints("rabbitmq", [], port=5672)))
    return cluster


def test_a_dns_name_with_a_namespace_names_that_namespace_s_service():
    objects = _cluster()["objects"]
    data = ClusterState(**{kind: objects[kind] for kind in ("deployments", "replicasets", "pods", "services")})
    assert referenced_namespaces(data, frozenset({"notifications"})) == {"messaging"}
    assert "rabbitmq" in dependencies_of(data, "notifications")
    assert referenced_namespaces(data, frozenset({"checkout"})) == set()  # bare names stay in their namespace


def test_the_agent_reads_the_called_namespace_and_finds_its_crash_loop(tmp_path: Path):
    root = write_snapshot(_cluster(), tmp_path / "snapshot")
    evidence = collect_evidence(investigation("notifications", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    assert ("pod_crashloop", "rabbitmq") in {(f.kind, f.subject) for f in evidence.findings}


def test_what_the_called_namespace_adds_is_seen_by_every_analyzer(tmp_path: Path):
    """Indexes built over the first namespace's objects are rebuilt once the called namespace's are added: its
    Service without endpoints is matched to its crash-looping pod, not said to select no pod."""
    root = write_snapshot(_cluster(), tmp_path / "snapshot")
    evidence = collect_evidence(investigation("notifications", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    (endpointless,) = [f for f in evidence.findings if f.kind == "service_no_endpoints"]
    assert endpointless.subject == "rabbitmq" and endpointless.evidence["matching_pods"]
    assert "none is ready" in endpointless.summary
