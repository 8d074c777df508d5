from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, state_of
from support.kube_cluster import healthy_cluster, meta, write_snapshot

from functions._platform.analyzers.runner import run


def test_an_unbound_claim_names_its_missing_storage_class_and_its_statefulset(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["storageclasses"] = [{
        "kind": "StorageClass", "apiVersion": "storage.k8s.io/v1", "provisioner": "ebs.csi.aws.com",
        "volumeBindingMode": "WaitForFirstConsumer",
        "metadata": meta("gp3", namespace=None,
                         annotations={"storageclass.kubernetes.io/is-default-class": "true"})}]
    cluster["objects"]["statefulsets"] = [{
        "kind": "StatefulSet", "apiVersion": "apps/v1", "metadata": meta("reports-db"),
        "spec": {"replicas": 1, "volumeClaimTemplates": [{"metadata": {"name": "data"}}],
                 "template": {"spec": {"containers": [{"name": "postgres", "image": "postgres:16"}]}}},
        "status": {"replicas": 1, "readyReplicas": 0}}]
    cluster["objects"]["persistentvolumeclaims"].append({
        "kind": "PersistentVolumeClaim", "apiVersion": "v1", "metadata": meta("data-reports-db-0"),
        "spec": {"storageClassName": "fast-ssd", "accessModes": ["ReadWriteOnce"],
                 "resources": {"requests": {"storage": "50Gi"}}}, "status": {"phase": "Pending"}})
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    claim = next(f for f in findings if f.kind == "pvc_pending")
    assert claim.subject == "reports-db"
    assert claim.evidence["storage_class"] == "fast-ssd" and claim.evidence["storage_class_exists"] is False
    assert 'storageclass "fast-ssd" not found' in claim.summary
