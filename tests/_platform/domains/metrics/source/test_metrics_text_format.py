"""The tolerant OpenMetrics / Prometheus text reader: what backfill and export files really contain."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from functions._platform.domains.metrics.source import MetricsSourceError
from functions._platform.domains.metrics.source.files import load_metric_files
from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider


def by_name(path: Path) -> dict[str, list]:
    return {"/".join(f"{k}={v}" for k, v in sorted(s.labels.items())): s.points for s in load_metric_files([path])}


def test_fractional_bucket_counts_and_interleaved_bucket_and_count_lines_are_read(tmp_path: Path):
    path = tmp_path / "backfill.om"
    path.write_text(
        "# TYPE rpc_seconds histogram\n"
        'rpc_seconds_bucket{le="0.1",pod="a"} 1.5 100\n'
        'rpc_seconds_count{pod="a"} 2.25 100\n'
        'rpc_seconds_bucket{le="+Inf",pod="a"} 2.25 100\n'
        'rpc_seconds_bucket{le="0.1",pod="a"} 3.5 115\n'
        'rpc_seconds_bucket{le="+Inf",pod="a"} 4.75 115 # {trace_id="abc"} 0.07 114\n'
        "# EOF\n")
    series = by_name(path)
    assert series["__name__=rpc_seconds_bucket/le=0.1/pod=a"] == [(100.0, 1.5), (115.0, 3.5)]
    assert series["__name__=rpc_seconds_bucket/le=+Inf/pod=a"] == [(100.0, 2.25), (115.0, 4.75)]
    assert series["__name__=rpc_seconds_count/pod=a"] == [(100.0, 2.25)]


def test_later_lines_of_a_series_read_as_the_first_did(tmp_path: Path):
    """Lines of a series already read skip the full match; they must read exactly as it would."""
    path = tmp_path / "repeated.om"
    path.write_text(
        'q{path="/a} b"} 1 100\n'  # a `} ` inside a quoted label value
        'q{path="/a} b"} 2 115\n'
        'r{pod="a"} 1 100\n'
        'r{pod="a"} 2 115 # {trace_id="abc"} 0.07 114\n'  # exemplar
        'r{pod="a"} 3 # {trace_id="abc"} 0.07\n'  # no timestamp: the file's time
        'r{pod="a"} 4 130 extra\n'  # trailing text: not a sample
        'r{pod="a"} five 145\n'
        'r{pod="a"}\t6 160\n'  # a tab after the labels
        "# EOF\n")
    series = by_name(path)
    assert series["__name__=q/path=/a} b"] == [(100.0, 1.0), (115.0, 2.0)]
    mtime = path.stat().st_mtime
    assert series["__name__=r/pod=a"] == sorted([(100.0, 1.0), (115.0, 2.0), (mtime, 3.0), (160.0, 6.0)])


def test_one_bad_line_does_not_drop_the_other_families(tmp_path: Path):
    path = tmp_path / "mixed.om"
    path.write_text('up{job="api"} 1 100\nbroken{job="api" 1 100\nload{host="n1"} not-a-number 100\n'
                    'node_load1{host="n1"} 0.5 100\n# EOF\n')
    series = by_name(path)
    assert set(series) == {"__name__=up/job=api", "__name__=node_load1/host=n1"}


def test_a_file_with_no_sample_that_parses_is_an_error_naming_a_line(tmp_path: Path):
    path = tmp_path / "garbage.om"
    path.write_text("this is not\nmetrics at all\n# EOF\n")
    with pytest.raises(MetricsSourceError, match="garbage.om.*line 1"):
        load_metric_files([path])


def test_prometheus_text_timestamps_are_milliseconds_and_escapes_are_read(tmp_path: Path):
    path = tmp_path / "scrape.prom"
    path.write_text('# HELP x a gauge\nx{path="/a\\"b",msg="l1\\nl2"} 3 1700000000000\n')
    series = load_metric_files([path])
    assert series[0].labels == {"__name__": "x", "path": '/a"b', "msg": "l1\nl2"}
    assert series[0].points == [(1700000000.0, 3.0)]


def test_a_large_backfill_streams_into_series(tmp_path: Path):
    path = tmp_path / "large.om"
    with path.open("w") as handle:
        for pod in range(30):
            for step in range(2400):
                handle.write(f'cpu_seconds_total{{pod="p{pod}"}} {step * 0.25} {1_700_000_000 + 15 * step}\n')
        handle.write("# EOF\n")
    provider = OfflineMetricsProvider.from_files([path])
    found = asyncio.run(provider.range('cpu_seconds_total{pod="p7"}', 1_700_000_000, 1_700_000_000 + 15 * 2399, 15))
    assert len(found) == 1 and len(found[0].points) == 2400
    assert found[0].points[-1] == (1_700_000_000 + 15 * 2399, 2399 * 0.25)
