from __future__ import annotations

from pathlib import Path

from kube_snapshots import CONTEXT, state_of
from support.kube_cluster import healthy_cluster, meta, ts, write_snapshot

from functions._platform.analyzers.runner import run


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
