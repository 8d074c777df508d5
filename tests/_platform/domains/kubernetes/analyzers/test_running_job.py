"""running_job: a Job started just before the trouble and still running uses the database the focus's failing
workload uses (a Helm hook's migration): the finding is on the Job, with that workload as a blocked caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import WINDOW, state_of
from support.kube_cluster import container_spec, healthy_cluster, meta, ts, write_snapshot

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.running_job import RunningJobAnalyzer
from functions.report.actions import suggest
from sreo_events.models import Finding

FOCUS = frozenset({"checkout", "orders-db", "payments"})


def _with_job(started: float, active: bool = True, dsn: str = "postgres://migrator@orders-db:5432/orders") -> dict[str, Any]:
    cluster = healthy_cluster()
    job = {"kind": "Job", "apiVersion": "batch/v1",
           "metadata": meta("checkout-migrate", annotations={"helm.sh/hook": "pre-upgrade"}),
           "spec": {"template": {"spec": {"containers": [container_spec("flyway", "flyway/flyway:10")]}}},
           "status": {"startTime": ts(started), **({"active": 1} if active else {"succeeded": 1})}}
    runner = {"kind": "Pod", "apiVersion": "v1",
              "metadata": meta("checkout-migrate-x7q2k", labels={"job-name": "checkout-migrate"},
                               ownerReferences=[{"kind": "Job", "name": "checkout-migrate", "controller": True}]),
              "spec": {"nodeName": "node-1", "containers": [
                  {**container_spec("flyway", "flyway/flyway:10", env=[{"name": "FLYWAY_URL", "value": dsn}])}]},
              "status": {"phase": "Running" if active else "Succeeded", "startTime": ts(started)}}
    cluster["objects"]["jobs"] = [job]
    cluster["objects"]["pods"].append(runner)
    return cluster


def _found(cluster: dict[str, Any], tmp_path: Path) -> list[Finding]:
    data = state_of(write_snapshot(cluster, tmp_path / "snapshot"))
    return run("kubernetes", data, AnalysisContext.around("kubernetes", WINDOW, focus=FOCUS),
               only=[RunningJobAnalyzer()])


def test_a_job_started_just_before_the_trouble_and_using_the_focus_database_is_blamed(tmp_path: Path) -> None:
    (finding,) = _found(_with_job(started=2), tmp_path)
    assert (finding.subject, finding.severity) == ("checkout-migrate", "warning")
    assert finding.evidence["shared"] == ["orders-db"] and finding.evidence["blocked_callers"] == ["checkout"]
    assert finding.evidence["helm_hook"] == "pre-upgrade"
    commands = [action.command for action in suggest([finding], "shop")]
    assert "kubectl delete job -n shop checkout-migrate" in commands


def test_a_finished_an_old_or_an_unrelated_job_is_not(tmp_path: Path) -> None:
    assert _found(_with_job(started=2, active=False), tmp_path / "done") == []
    assert _found(_with_job(started=-60 * 24), tmp_path / "old") == []
    assert _found(_with_job(started=2, dsn="postgres://migrator@reports-db:5432/reports"), tmp_path / "other") == []
