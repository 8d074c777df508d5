"""A CronJob with runs active at once under concurrencyPolicy Allow: cronjob_runs_overlap, a change per run."""

from __future__ import annotations

from pathlib import Path

from kube_snapshots import found
from support.kube_cluster import healthy_cluster, meta

from functions._platform.domains.kubernetes.analyzers.cronjob_overlap import CronJobOverlapAnalyzer


def _cronjob(policy: str | None, runs: list[str]) -> dict:
    spec = {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}
    if policy:
        spec["concurrencyPolicy"] = policy
    return {"kind": "CronJob", "apiVersion": "batch/v1", "metadata": meta("usage-rollup"), "spec": spec,
            "status": {"active": [{"kind": "Job", "name": f"usage-rollup-{run}"} for run in runs]}}


def _job(run: str, started: str) -> dict:
    return {"kind": "Job", "apiVersion": "batch/v1", "metadata": meta(f"usage-rollup-{run}"),
            "spec": {"template": {"spec": {"containers": []}}}, "status": {"startTime": started, "active": 1}}


def _cluster(policy: str | None, runs: dict[str, str]) -> dict:
    cluster = healthy_cluster()
    cluster["objects"].setdefault("cronjobs", []).append(_cronjob(policy, list(runs)))
    cluster["objects"].setdefault("jobs", []).extend(_job(run, at) for run, at in runs.items())
    return cluster


def test_runs_active_at_once_overlap_from_the_second_runs_start(tmp_path: Path) -> None:
    runs = {"1": "2026-03-14T09:45:00Z", "2": "2026-03-14T09:50:00Z", "3": "2026-03-14T09:55:00Z"}
    [overlap] = found(CronJobOverlapAnalyzer(), _cluster(None, runs), tmp_path)
    assert (overlap.kind, overlap.subject, overlap.evidence["active_runs"]) == ("cronjob_runs_overlap", "usage-rollup", 3)
    assert overlap.onset.isoformat() == "2026-03-14T09:50:00+00:00"
    assert overlap.evidence["changed_at"] == ["2026-03-14T09:50:00+00:00", "2026-03-14T09:55:00+00:00"]


def test_one_run_or_a_policy_that_forbids_overlap_is_no_finding(tmp_path: Path) -> None:
    assert found(CronJobOverlapAnalyzer(), _cluster(None, {"1": "2026-03-14T09:45:00Z"}), tmp_path / "one") == []
    runs = {"1": "2026-03-14T09:45:00Z", "2": "2026-03-14T09:50:00Z"}
    assert found(CronJobOverlapAnalyzer(), _cluster("Forbid", runs), tmp_path / "forbid") == []
