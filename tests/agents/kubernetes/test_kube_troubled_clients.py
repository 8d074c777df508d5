"""A healthy server's logs name its clients by address: the agent finds those pods across the cluster, and the
troubled ones (a consumer crashing on every message it is handed) are investigated in their own namespace. A
Vault agent injected at pod creation names its server only in the pod's own spec, base64-encoded: the server's
namespace is read too."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from support.kube_cluster import (
    deployment,
    event,
    healthy_cluster,
    in_namespace,
    investigation,
    member,
    pod,
    ts,
    write_snapshot,
)

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

CRASHED = {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"}


def _broker_cluster(consumer_crashes: bool = True) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    broker = [in_namespace("messaging", member("rabbitmq", i, "rabbitmq:3.13")) for i in range(2)]
    for i, one in enumerate(broker):
        one["status"]["podIP"] = f"10.244.1.{10 + i}"
    consumer = pod("shipment-consumer", "c0ffee", "a1", "registry.local/shipment-consumer:2.3",
                   waiting=CRASHED if consumer_crashes else None, restarts=9 if consumer_crashes else 0,
                   last_terminated={"exitCode": 1, "reason": "Error", "finishedAt": ts(10)})
    consumer = in_namespace("shipping", consumer)
    consumer["status"]["podIP"] = "10.244.2.77"
    objects["pods"] += [*broker, consumer]
    objects["deployments"].append(in_namespace("shipping", deployment(
        "shipment-consumer", "registry.local/shipment-consumer:2.3", replicas=1, available=0)))
    lines = [f"{ts(m)} [info] <0.{m}.0> accepting AMQP connection (10.244.2.77:4{m:04d} -> 10.244.1.11:5672)"
             for m in range(1, 12)]
    lines += [f"{ts(m)} [warning] <0.{m}.0> client unexpectedly closed TCP connection" for m in range(1, 12)]
    cluster["logs"][("messaging", "rabbitmq-1", "rabbitmq", False)] = "\n".join(sorted(lines)) + "\n"
    cluster["logs"][("messaging", "rabbitmq-0", "rabbitmq", False)] = f"{ts(0)} [info] <0.1.0> ready\n"
    return cluster


def _evidence(cluster: dict, tmp_path: Path, service: str, namespace: str):
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation(service, namespace), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_a_crashing_client_the_brokers_logs_name_is_investigated_in_its_namespace(tmp_path: Path) -> None:
    evidence = _evidence(_broker_cluster(), tmp_path, "rabbitmq", "messaging")
    crashloops = [f for f in evidence.findings if f.kind == "pod_crashloop"]
    assert [f.subject for f in crashloops] == ["shipment-consumer"]
    assert 'list_pods({"namespace": "shipping"})' in crashloops[0].query


def test_a_healthy_client_is_left_alone(tmp_path: Path) -> None:
    evidence = _evidence(_broker_cluster(consumer_crashes=False), tmp_path, "rabbitmq", "messaging")
    assert not [f for f in evidence.findings if f.subject == "shipment-consumer"]


def test_an_injected_agents_encoded_server_address_brings_the_servers_namespace_in(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    config = {"auto_auth": {"method": {"type": "kubernetes"}}, "vault": {"address": "http://vault.vault.svc:8200"}}
    for one in objects["pods"]:
        if one["metadata"]["name"].startswith("payments-"):
            one["spec"]["initContainers"] = [{"name": "vault-agent-init", "image": "hashicorp/vault:1.17.2", "env": [
                {"name": "VAULT_CONFIG", "value": base64.b64encode(json.dumps(config).encode()).decode()}]}]
    sealed = [in_namespace("vault", member("vault", i, "hashicorp/vault:1.17.2")) for i in range(3)]
    for one in sealed:
        one["status"]["containerStatuses"][0]["ready"] = False
    objects["pods"] += sealed
    vault_service = in_namespace("vault", {"kind": "Service", "apiVersion": "v1", "metadata": {"name": "vault"},
                                           "spec": {"selector": {"app": "vault"}, "ports": [{"port": 8200}]}})
    objects["services"].append(vault_service)
    for i in range(3):
        unready = in_namespace("vault", event("Pod", f"vault-{i}", "Unhealthy",
                                              "Readiness probe failed: Sealed true, Unseal Progress 0/3", at=2, count=90))
        unready["involvedObject"]["namespace"] = "vault"
        objects["events"].append(unready)
    evidence = _evidence(cluster, tmp_path, "payments", "shop")
    assert "vault" in {f.subject for f in evidence.findings}
