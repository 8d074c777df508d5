"""Jobs and CronJobs, claims with their StorageClass, ServiceAccounts, node pod capacity, and which logs are read."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import NS, WINDOW_END, WINDOW_START, healthy_cluster, meta, pod, ts, write_snapshot
from test_kube_analyzers import state_of

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.collection import log_requests
from sreo_events.models import TimeWindow

CONTEXT = AnalysisContext.around("kubernetes", TimeWindow(start=WINDOW_START, end=WINDOW_END))


def _job(name: str, cronjob: str | None, failed: dict | None = None, complete_at: str | None = None) -> dict:
    extra = {"ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cronjob,
                                  "controller": True}]} if cronjob else {}
    conditions = []
    if failed:
        conditions.append({"type": "Failed", "status": "True", "lastTransitionTime": ts(4), **failed})
    if complete_at:
        conditions.append({"type": "Complete", "status": "True", "lastTransitionTime": complete_at})
    return {"kind": "Job", "apiVersion": "batch/v1", "metadata": meta(name, **extra),
            "spec": {"backoffLimit": 6, "template": {"spec": {"containers": [
                {"name": "invoices", "image": "registry.local/invoices:4.2"}], "restartPolicy": "Never"}}},
            "status": {"failed": 7 if failed else 0, "startTime": ts(-20), "conditions": conditions,
                       **({"completionTime": complete_at, "succeeded": 1} if complete_at else {})}}


def _job_pod(job: str) -> dict:
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": meta(f"{job}-7kq2p", labels={"job-name": job},
                             ownerReferences=[{"kind": "Job", "name": job, "controller": True}]),
            "spec": {"containers": [{"name": "invoices", "image": "registry.local/invoices:4.2"}]},
            "status": {"phase": "Failed", "containerStatuses": [{
                "name": "invoices", "ready": False, "restartCount": 0,
                "state": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ts(3)}}}]}}


def test_a_cronjob_whose_job_exceeded_its_backoff_limit_is_a_cause(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["cronjobs"] = [{"kind": "CronJob", "apiVersion": "batch/v1", "metadata": meta("invoices"),
                                       "spec": {"schedule": "0 * * * *"}}]
    cluster["objects"]["jobs"] = [
        _job("invoices-28570920", "invoices", complete_at=ts(-60)),
        _job("invoices-28570980", "invoices",
             failed={"reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}),
        _job("migrate-once", None, failed={"reason": "DeadlineExceeded",
                                           "message": "Job was active longer than specified deadline"}),
    ]
    cluster["objects"]["pods"].append(_job_pod("invoices-28570980"))
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    failed = {f.subject: f for f in findings if f.kind == "job_failed"}
    assert set(failed) == {"invoices", "migrate-once"}
    assert failed["invoices"].evidence["reason"] == "BackoffLimitExceeded"
    assert failed["invoices"].evidence["job"] == "invoices-28570980"
    assert failed["invoices"].evidence["pod_exits"][0]["exit_code"] == 1
    assert failed["migrate-once"].evidence["reason"] == "DeadlineExceeded"


def test_a_failed_job_followed_by_a_successful_run_is_not_a_cause(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["jobs"] = [
        _job("invoices-1", "invoices", failed={"reason": "BackoffLimitExceeded", "message": "backoff"}),
        _job("invoices-2", "invoices", complete_at=ts(20)),
    ]
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    assert not [f for f in findings if f.kind == "job_failed"]


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


def test_a_workload_running_as_a_missing_service_account(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["serviceaccounts"] = [
        {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": meta(name)} for name in ("default", "checkout")]
    payments = next(d for d in cluster["objects"]["deployments"] if d["metadata"]["name"] == "payments")
    payments["spec"]["template"]["spec"]["serviceAccountName"] = "payments-sa"
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    missing = [f for f in findings if f.kind == "missing_service_account"]
    assert [f.subject for f in missing] == ["payments"] and missing[0].evidence["service_account"] == "payments-sa"


def test_a_node_at_its_allocatable_pod_count(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["nodes"][0]["status"]["allocatable"] = {"pods": "7", "cpu": "2", "memory": "8Gi"}
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path)), CONTEXT)
    assert not [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    cluster["objects"]["pods"] += [pod(f"filler{i}", "fff000", "a", "busybox", node="node-1") for i in range(3)]
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path / "full")), CONTEXT)
    full = [f for f in findings if f.evidence.get("condition") == "PodCapacity"]
    assert [f.subject for f in full] == ["node/node-1"] and full[0].evidence["pods_on_node"] == 7


def test_the_asked_about_workload_is_read_before_bystanders_old_restarts(tmp_path: Path):
    cluster = healthy_cluster()
    for i in range(15):
        cluster["objects"]["pods"].append(pod(f"bystander{i:02d}", "eee000", "a", "busybox", restarts=3,
                                              last_terminated={"reason": "Error", "exitCode": 1,
                                                               "finishedAt": ts(-3000 + i)}))
    cluster["objects"]["pods"].append(pod("flaky", "eee111", "a", "busybox", restarts=1,
                                          last_terminated={"reason": "Error", "exitCode": 1, "finishedAt": ts(5)}))
    data = state_of(write_snapshot(cluster, tmp_path))
    requests = log_requests(data, frozenset({"payments"}), limit=3)
    pods = [r.pod for r in requests]
    assert pods[0].startswith("payments-")  # the focus workload's healthy pod first
    assert pods[1] == "flaky-eee111-a"  # then the most recent failure elsewhere
    assert len({(r.namespace, r.pod) for r in requests}) == 3 and all(r.namespace == NS for r in requests)


def test_an_image_pull_error_says_what_the_registry_answered():
    from functions._platform.domains.kubernetes.analyzers.image_pull import registry_says

    image = "ghcr.io/acme-shop/cart:2.5.0-rc1"
    message = (f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image '
               f'"{image}": failed to resolve reference "{image}": {image}: not found')
    assert registry_says(["Back-off pulling image", message]) == f"{image}: not found"
    assert registry_says(['Back-off pulling image "x"']) is None
