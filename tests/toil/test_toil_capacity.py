"""The toil report's capacity section: the forecasts over its period from the metrics source, as a table and a
chart; without a metrics source it says so."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.capacity_metrics import SCRAPE_S, write_capacity_metrics
from typer.testing import CliRunner

from functions._local.commands.toil import app
from functions._platform.config import Settings, reset_settings
from functions._platform.db.engine import Database
from functions.toil.build import build_report
from functions.toil.capacity import NOT_CONFIGURED, with_capacity
from functions.toil.render import RENDERERS


@pytest.fixture
def metrics(tmp_path: Path) -> tuple[Path, datetime, dict[str, float]]:
    end = int(time.time()) // SCRAPE_S * SCRAPE_S
    path = tmp_path / "capacity.om"
    return path, datetime.fromtimestamp(end, UTC), write_capacity_metrics(path, end)


def test_the_report_carries_each_forecast_with_its_date(settings: Settings, database: Database, metrics) -> None:
    path, end, truth = metrics
    with database.session() as session:
        report = build_report(session, "6h", end)
    report = with_capacity(report, settings.model_copy(update={"metrics_files": str(path)}))
    found = {(item.subject, item.resource): item for item in report.capacity}
    api = found[("api", "memory")]
    assert api.earliest.timestamp() <= truth["api"] <= (api.latest.timestamp() if api.latest else float("inf"))
    assert ("database/orders-db", "connections") in found and report.capacity_note is None
    markdown = RENDERERS.render("markdown", report)
    section = markdown.split("## Capacity", 1)[1]
    assert "| api | memory |" in section and f"{api.exhausted_at:%Y-%m-%d %H:%M}" in section
    html = RENDERERS.render("html", report)
    assert "<h2>Capacity</h2>" in html and "class='fill soon'" in html  # api is full within hours


def test_without_a_metrics_source_the_section_says_so(settings: Settings, database: Database) -> None:
    with database.session() as session:
        report = with_capacity(build_report(session, "7d"), settings)
    assert report.capacity == [] and report.capacity_note == NOT_CONFIGURED
    assert NOT_CONFIGURED.split(" (")[0] in RENDERERS.render("html", report)


def test_sreo_toil_report_shows_capacity(settings: Settings, database: Database, metrics,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path, end, _ = metrics
    monkeypatch.setenv("SREO_HOME", str(settings.home))
    monkeypatch.setenv("SREO_METRICS_FILES", str(path))
    if settings.database_url:
        monkeypatch.setenv("SREO_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("SREO_DATABASE_URL", raising=False)
    reset_settings()
    try:
        result = CliRunner().invoke(app, ["report", "--since", "6h", "--until", end.isoformat()])
    finally:
        reset_settings()
    assert result.exit_code == 0, result.output
    assert "| database/orders-db | connections |" in result.stdout.split("## Capacity", 1)[1]
