"""Fixtures: the scenario written as OpenMetrics, and a real Prometheus backfilled from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.metrics_scenario import Scenario, make_scenario, write_openmetrics
from support.prometheus import prometheus


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="session")
def openmetrics_file(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_openmetrics(scenario, tmp_path_factory.mktemp("metrics") / "scenario.om.txt")


@pytest.fixture(scope="session")
def prometheus_url(openmetrics_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prometheus(openmetrics_file.read_text(encoding="utf-8"), tmp_path_factory.mktemp("prometheus")) as url:
        yield url
