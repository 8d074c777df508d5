from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, state_of
from support.kube_cluster import healthy_cluster, meta, write_snapshot

from functions._platform.analyzers.runner import run


def test_a_workload_running_as_a_missing_service_account(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["serviceaccounts"] = [
        {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": meta(name)} for name in ("default", "checkout")]
    payments = next(d for d in cluster["objects"]["deployments"] if d["metadata"]["name"] == "payments")
    payments["spec"]["template"]["spec"]["serviceAccountName"] = "payments-sa"
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    missing = [f for f in findings if f.kind == "missing_service_account"]
    assert [f.subject for f in missing] == ["payments"] and missing[0].evidence["service_account"] == "payments-sa"
