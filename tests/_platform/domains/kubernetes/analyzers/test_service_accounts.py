from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, state_of
from support.kube_cluster import healthy_cluster, meta, write_snapshot

from functions._platform.analyzers.runner import run


def _payments_as_a_missing_account() -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["serviceaccounts"] = [
        {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": meta(name)} for name in ("default", "checkout")]
    payments = next(d for d in cluster["objects"]["deployments"] if d["metadata"]["name"] == "payments")
    payments["spec"]["template"]["spec"]["serviceAccountName"] = "payments-sa"
    return cluster


def test_a_workload_running_as_a_missing_service_account(tmp_path: Path):
    cluster = _payments_as_a_missing_account()
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    missing = [f for f in findings if f.kind == "missing_service_account"]
    assert [f.subject for f in missing] == ["payments"] and missing[0].evidence["service_account"] == "payments-sa"


def test_a_refused_pod_makes_the_missing_account_the_failure(tmp_path: Path):
    """Pods running as an account that is gone are a risk for the next pod; a FailedCreate makes it the cause."""
    cluster = _payments_as_a_missing_account()

    def missing() -> list:
        findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
        return [f for f in findings if f.kind == "missing_service_account"]

    assert [(f.severity, f.score) for f in missing()] == [("info", 0.2)]
    cluster["objects"].setdefault("events", []).append({
        "kind": "Event", "apiVersion": "v1", "metadata": meta("payments-7d9f.17a"), "reason": "FailedCreate",
        "type": "Warning", "involvedObject": {"kind": "ReplicaSet", "name": "payments-7d9f", "namespace": "shop"},
        "message": 'Error creating: pods "payments-7d9f-" is forbidden: error looking up service account '
                   "shop/payments-sa: serviceaccount \"payments-sa\" not found"})
    assert [(f.severity, f.score) for f in missing()] == [("critical", 0.85)]
