"""Capacity forecasts: a series with a known trend is projected to run out inside the stated 95% interval,
in the analyzer, the scan and `sreo capacity report --json`."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.capacity_metrics import SCRAPE_S, write_capacity_metrics
from support.paths import REPO_ROOT

from functions._platform.config import Settings
from functions._platform.trend import exhaustion
from functions.scan.threats import run_scan

ROOT = REPO_ROOT


def noisy_trend(seed: int, start: float, level: float, per_day: float, ar: float, noise: float, n: int,
                step: float = 300.0) -> list[tuple[float, float]]:
    rng, error, points = random.Random(seed), 0.0, []
    for i in range(n):
        error = ar * error + rng.gauss(0.0, noise)
        points.append((start + i * step, level + per_day * i * step / 86400 + error))
    return points


@pytest.mark.parametrize("ar", [0.0, 0.8], ids=["independent-noise", "autocorrelated-noise"])
def test_the_true_exhaustion_date_lies_in_the_interval_about_95_percent_of_the_time(ar: float):
    level, per_day, n = 0.4, 0.3, 288  # one day of 5-minute samples; full (1.0) 2 days after the first
    truth = (1 - level) / per_day * 86400
    hits, widths = 0, []
    for seed in range(200):
        forecast = exhaustion(noisy_trend(seed, 0.0, level, per_day, ar, 0.02, n))
        assert forecast is not None and forecast.earliest is not None
        hits += forecast.earliest <= truth <= (forecast.latest or float("inf"))
        widths.append(((forecast.latest or truth * 2) - forecast.earliest) / 3600)
    assert hits / 200 >= 0.9
    assert sorted(widths)[100] < 24, "the interval is informative (median width under a day)"


def test_a_flat_or_falling_series_has_no_exhaustion_date():
    assert exhaustion(noisy_trend(1, 0.0, 0.5, 0.0, 0.0, 0.0, 50)) is None
    assert exhaustion(noisy_trend(1, 0.0, 0.5, -0.1, 0.0, 0.01, 50)) is None


@pytest.fixture
def capacity_file(tmp_path: Path) -> tuple[Path, int, dict[str, float]]:
    end = int(time.time()) // SCRAPE_S * SCRAPE_S
    path = tmp_path / "capacity.om"
    return path, end, write_capacity_metrics(path, end)


def within(row: dict, truth: float) -> bool:
    earliest = datetime.fromisoformat(row["earliest"]).timestamp()
    latest = datetime.fromisoformat(row["latest"]).timestamp() if row["latest"] else float("inf")
    return earliest <= truth <= latest


def test_sreo_capacity_report_json_projects_each_resource_inside_its_interval(capacity_file, tmp_path: Path):
    path, end, truth = capacity_file
    env = {**os.environ, "SREO_HOME": str(tmp_path / "home"), "SREO_METRICS_FILES": str(path)}
    until = datetime.fromtimestamp(end, UTC).isoformat()
    done = subprocess.run([sys.executable, "-m", "functions._local.cli", "capacity", "report", "--since", "6h",
                           "--until", until, "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    rows = {(r["subject"], r["resource"]): r for r in json.loads(done.stdout)["forecasts"]}
    for key in (("api", "memory"), ("node/node-1", "disk"), ("database/orders-db", "connections")):
        assert key in rows, sorted(rows)
        assert within(rows[key], truth[key[0]]), rows[key]
    assert abs(rows[("api", "memory")]["current_utilisation"] - 0.6) < 0.02


def test_the_scan_reports_a_capacity_threat_with_its_date(capacity_file, tmp_path: Path):
    path, end, truth = capacity_file
    settings = Settings(home=tmp_path / "home", metrics_files=str(path))
    threats = run_scan(settings, "1h", datetime.fromtimestamp(end + 1, UTC)).threats
    memory = next(t for t in threats if t.kind == "capacity_forecast" and t.subject == "api")
    assert memory.evidence["resource"] == "memory"
    assert within(memory.evidence, truth["api"]), memory.evidence
    assert "full around" in memory.evidence["summary"]
