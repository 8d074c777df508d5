"""Fixtures: the slow-payments scenario and its OTLP/JSON file."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.traces_scenario import TracesScenario, make_spans, write_otlp


@pytest.fixture(scope="session")
def scenario() -> TracesScenario:
    return TracesScenario(make_spans())


@pytest.fixture
def otlp_file(scenario: TracesScenario, tmp_path: Path) -> Path:
    return write_otlp(scenario.spans, tmp_path / "traces.json")
