from __future__ import annotations

from pathlib import Path

from kube_snapshots import state_of
from support.kube_cluster import NS, healthy_cluster, pod, ts, write_snapshot

from functions._platform.domains.kubernetes.analyzers.collection import log_requests


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


def test_what_the_limit_leaves_reads_the_focus_workloads_other_healthy_pods_last(tmp_path: Path):
    cluster = healthy_cluster()
    cluster["objects"]["pods"].append(pod("flaky", "eee111", "a", "busybox", restarts=1,
                                          last_terminated={"reason": "Error", "exitCode": 1, "finishedAt": ts(5)}))
    data = state_of(write_snapshot(cluster, tmp_path))
    pods = [r.pod for r in log_requests(data, frozenset({"payments"}))]
    assert pods == ["payments-bbb222-x1", "flaky-eee111-a", "payments-bbb222-x2"]
    assert [r.pod for r in log_requests(data, frozenset({"payments"}), limit=2)] == pods[:2]
