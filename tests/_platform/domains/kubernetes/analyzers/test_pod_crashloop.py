from __future__ import annotations

from pathlib import Path

from kube_snapshots import WINDOW, found, scenario, state_of
from support.kube_cluster import find, healthy_cluster, pod, ts, write_snapshot

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.pod_crashloop import CrashLoopAnalyzer


def crashloop_score(tmp_path: Path, finished_minutes: float) -> tuple[float, str]:
    cluster = healthy_cluster()
    find(cluster, "pods", "payments-bbb222-x1").update(pod(
        "payments", "bbb222", "x1", "registry.local/payments:2.3", ready=False, restarts=40,
        waiting={"reason": "CrashLoopBackOff"},
        last_terminated={"reason": "Error", "exitCode": 2, "finishedAt": ts(finished_minutes)}))
    findings = run("kubernetes", state_of(write_snapshot(cluster, tmp_path / str(finished_minutes))),
                             AnalysisContext.around("kubernetes", WINDOW))
    crash = next(f for f in findings if f.kind == "pod_crashloop")
    return crash.score, crash.evidence["onset_in"]


def test_a_crash_loop_keeps_its_score_while_it_persists_however_old_it_is(tmp_path: Path) -> None:
    fresh, fresh_in = crashloop_score(tmp_path, 5)
    chronic, chronic_in = crashloop_score(tmp_path, -24 * 60)
    assert (fresh_in, chronic_in) == ("window", "before_baseline")  # the onset still tells old from new
    assert fresh == chronic > 0.8


def test_a_container_killed_for_memory_is_its_own_kind(tmp_path: Path) -> None:
    [finding] = found(CrashLoopAnalyzer(), scenario("oomkilled").cluster(), tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == ("pod_oomkilled", "payments", "critical")
    assert finding.evidence["exit_codes"] == {"137": 1}


def test_a_healthy_cluster_gives_no_crash_loop(tmp_path: Path) -> None:
    assert found(CrashLoopAnalyzer(), healthy_cluster(), tmp_path) == []
