"""The RCA benchmark drives the product on constructed Nezha-format cases: a network delay to a leaf.

The delayed service's own metrics stay flat; only its callers' client-side latency rises. The cases are written
by the test (no public data); the benchmark posts an alert to an in-process orchestrator that reads the case's
wide CSV and call graph, and scores the stored report.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

BENCH = REPO_ROOT / "bench" / "rca_nezha.py"
COLUMNS = ["CpuUsageRate(%)", "MemoryUsage(Mi)", "NetworkReceiveBytes", "PodClientLatencyP90(s)",
           "PodServerLatencyP90(s)", "PodSuccessRate(%)"]
EDGES = [("frontend", "checkout"), ("frontend", "cart"), ("checkout", "cart"), ("checkout", "payment")]
T0 = datetime(2024, 5, 1, 3, 0)
INJECT_MINUTE = 5


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("rca_nezha", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_case(root: Path, delayed: str = "payment") -> dict:
    """``delayed="payment"``: only checkout calls it. ``delayed="cart"``: frontend calls it too, but frontend's
    client latency already runs near the delay, so it rises only a little."""
    rng = random.Random(3)
    case_dir = root / "rca" / "case-0"
    case_dir.mkdir(parents=True)
    with (case_dir / "pod_metrics.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["service", "Time", "TimeStamp", "PodName", *COLUMNS])
        for minute in range(10):
            moment = T0 + timedelta(minutes=minute)
            for service in ("frontend", "checkout", "cart", "payment"):
                values = [40, 300, 5e4, 0.05, 0.2, 100]
                row = [v * (1 + rng.gauss(0, 0.03)) for v in values]
                if service == "frontend" and delayed == "cart":
                    row[3] = 0.3 * (1 + rng.gauss(0, 0.2)) + (0.1 if minute >= INJECT_MINUTE else 0.0)
                if service == "checkout" and minute >= INJECT_MINUTE:
                    row[3] *= 8  # its calls wait: the delay is on the path to the delayed service
                    row[4] *= 3  # and so does its own answer
                writer.writerow([service, moment.isoformat(), int(moment.timestamp()), f"{service}-6d5f8b7c9-ab1cd",
                                 *row])
    with (case_dir / "dependency.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Source", "Target", "Weight"])
        writer.writerows((a, b, 1) for a, b in EDGES)
    inject = T0 + timedelta(minutes=INJECT_MINUTE)
    return {
        "case_id": f"constructed-{delayed}-network_delay", "expected_root_cause_service": delayed,
        "inject_time_wallclock": inject.isoformat(sep=" "),
        "window": [T0.isoformat(), (T0 + timedelta(minutes=9)).isoformat()],
        "files": {"pod_metrics": "rca/case-0/pod_metrics.csv", "dependency": "rca/case-0/dependency.csv"},
    }


def test_waiting_caller_points_at_the_quiet_dependency_only_it_calls(bench, tmp_path):
    case = write_case(tmp_path)
    ours, _, table, _, fresh = bench.evaluate([case], tmp_path, with_graph=True)
    assert table[0][2] == 1, table
    assert ours["AC@1"] == 1.0
    assert fresh == [True]  # the hit's evidence (its callers' wait) starts at the injection


def test_a_caller_whose_tail_hides_the_delay_does_not_clear_the_dependency_it_shares(bench, tmp_path):
    case = write_case(tmp_path, delayed="cart")
    _, _, table, _, _ = bench.evaluate([case], tmp_path, with_graph=True)
    assert table[0][2] is not None and table[0][2] <= 3, table


def test_a_case_without_a_call_graph_is_ranked_not_crashed(bench, tmp_path):
    case = write_case(tmp_path)
    del case["files"]["dependency"]
    _, _, table, _, _ = bench.evaluate([case], tmp_path, with_graph=True)
    assert table[0][4], table  # causes were named, without any graph
    assert "checkout" in table[0][4]


def test_the_command_prints_figures_and_the_per_case_table(bench, tmp_path, capsys):
    case = write_case(tmp_path)
    cases_file = tmp_path / "cases.jsonl"
    cases_file.write_text(json.dumps(case) + "\n")
    assert bench.main(["--data-root", str(tmp_path), "--cases", str(cases_file)]) == 0
    out, err = capsys.readouterr()
    assert "ranking (ours)       AC@1 1.00" in out
    assert "naive max z-score" in out and "within 1 min of the symptom: 1/1" in out
    assert "constructed-payment-network_delay" in err
    assert bench.main(["--data-root", str(tmp_path), "--cases", str(cases_file), "--without-graph"]) == 0
    assert "without the call graph" in capsys.readouterr().out
