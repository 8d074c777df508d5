"""The traces benchmark runs end to end on two small cases, and its exports are what the product reads.

No score is asserted: the benchmark prints figures, the tests only check that it produces them.
"""

from __future__ import annotations

import importlib
import random
import sys
import time

import pytest
from support.paths import REPO_ROOT

from functions._platform.domains.traces.source.files import read_spans


@pytest.fixture(scope="module")
def bench():
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    return importlib.import_module("bench.traces")


def test_an_export_is_read_whole_by_the_product(bench, tmp_path):
    now = time.time()
    case = bench.make_case(("queue", "slow_dependency", "order-events", None), 3, now)
    path, written = bench.generate(case, now, tmp_path, 3, history_s=900)
    spans = read_spans(path)
    assert len(spans) == written > 100
    assert {span.kind for span in spans} == {"server", "client", "producer", "consumer"}
    assert any(span.error for span in spans)  # the noisy neighbour fails some requests
    assert {span.service for span in spans} == set(case.topology.services)


def test_the_fault_moves_the_faulty_service_and_not_before_it_starts(bench, tmp_path):
    now = time.time()
    case = bench.make_case(("chain", "self_latency", "pricing", None), 5, now)
    path, _ = bench.generate(case, now, tmp_path, 5, history_s=1800)
    pricing = [s for s in read_spans(path) if s.service == "pricing" and s.kind == "server"]
    skew = case.noise.skew_s["pricing"]
    before = sorted(s.duration for s in pricing if s.start - skew < case.fault_at)
    after = sorted(s.duration for s in pricing if s.start - skew >= case.fault_at)
    assert after[len(after) // 2] - before[len(before) // 2] > case.fault.added_ms / 1000 / 2


def test_the_bench_scores_two_small_cases_through_the_product(bench, capsys):
    specs = (("chain", "self_latency", "inventory", None), ("chain", "edge_errors", "pricing", "inventory"))
    figures = bench.evaluate(specs, seed=random.randrange(1000), history_s=2400)
    assert set(figures) == {"product", "alert names it", "naive p95 rise"}
    assert all(0.0 <= value <= 1.0 for row in figures.values() for value in row.values())
    out, err = capsys.readouterr()
    assert "cases: 2" in out and "time per case" in out
    assert "chain-self_latency-inventory" in err and "chain-edge_errors-pricing" in err
