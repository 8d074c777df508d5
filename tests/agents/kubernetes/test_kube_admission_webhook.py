"""A fail-closed admission webhook whose backend is down refuses the focus's pods: the refusal names the webhook's
Service as the failing dependency, and the agent reads the webhook's namespace, where its backend's own trouble is."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import (
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

REFUSED = ('Error creating: Internal error occurred: failed calling webhook "validate.policy.example": failed to call '
           'webhook: Post "https://policy-webhook.policy.svc:443/validate?timeout=10s": no endpoints available for '
           'service "policy-webhook"')


def _cluster(message: str = REFUSED) -> dict:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["events"].append(event("ReplicaSet", "checkout-aaa111", "FailedCreate", message, at=6, count=14))
    image = "registry.local/policy-webhook:1.0"
    crashing = pod("policy-webhook", "ggg777", "w1", image, ready=False, restarts=9,
                   waiting={"reason": "CrashLoopBackOff", "message": "back-off 5m0s"},
                   last_terminated={"reason": "OOMKilled", "exitCode": 137, "startedAt": ts(4), "finishedAt": ts(5)})
    objects["deployments"].append(in_namespace("policy", deployment("policy-webhook", image, replicas=1, available=0)))
    objects["replicasets"].append(in_namespace("policy", replicaset("policy-webhook", image, "ggg777", 1, ts(-600), 1)))
    objects["pods"].append(in_namespace("policy", crashing))
    objects["services"].append(in_namespace("policy", service("policy-webhook", port=443)))
    objects["endpoints"].append(in_namespace("policy", endpoints("policy-webhook", [], port=443)))
    return cluster


def _evidence(cluster: dict, tmp_path: Path):
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_refused_workload_names_the_webhook_service_as_its_failing_dependency(tmp_path: Path):
    evidence = _evidence(_cluster(), tmp_path)
    (refused,) = [f for f in evidence.findings if f.kind == "admission_webhook_failing"]
    assert refused.subject == "checkout" and refused.severity == "critical"
    assert refused.evidence["target"] == {"policy-webhook.policy.svc:443": 14}
    assert refused.evidence["webhook"] == "validate.policy.example"
    assert not [f for f in evidence.findings if f.kind == "warning_events" and f.subject == "checkout"]


def test_the_agent_reads_the_webhook_namespace_and_finds_its_backend_dying(tmp_path: Path):
    found = {(f.kind, f.subject) for f in _evidence(_cluster(), tmp_path).findings}
    assert {("pod_oomkilled", "policy-webhook"), ("service_no_endpoints", "policy-webhook")} <= found


def test_other_create_failures_stay_warning_events(tmp_path: Path):
    quota = ('Error creating: pods "checkout-aaa111-x9" is forbidden: exceeded quota: shop-compute, requested: '
             'requests.memory=3Gi, used: requests.memory=15Gi, limited: requests.memory=16Gi')
    evidence = _evidence(_cluster(quota), tmp_path)
    kinds = {(f.kind, f.subject) for f in evidence.findings}
    assert ("warning_events", "checkout") in kinds and not any(k == "admission_webhook_failing" for k, _ in kinds)
    assert not any(s == "policy-webhook" for _, s in kinds)  # its namespace is not read without a refused create
