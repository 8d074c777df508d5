"""`sreo toil report` reads the embedded store of another process and prints every format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from toil_week import END, seed_week
from typer.testing import CliRunner, Result

from functions._local.commands.toil import app
from functions._platform.config import Settings, reset_settings
from functions._platform.db.engine import Database
from functions._platform.runtime import Runtime
from functions.toil import store

UNTIL = ["--until", END.isoformat()]


@pytest.fixture
def seeded(settings: Settings, database: Database, runtime: Runtime,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("SREO_HOME", str(settings.home))
    if settings.database_url:
        monkeypatch.setenv("SREO_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("SREO_DATABASE_URL", raising=False)
    reset_settings()
    seed_week(runtime)
    yield database
    reset_settings()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["report", *args])


def test_markdown_by_default(seeded: Database) -> None:
    result = run(*UNTIL)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Toil report 2026-03-02 09:00 to 2026-03-09 09:00 UTC")
    assert "CheckoutErrorRate fired 4 times" in result.stdout


def test_json_is_machine_readable(seeded: Database) -> None:
    result = run("--format", "json", "--since", "3d", *UNTIL)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["period_start"].startswith("2026-03-06T09:00")
    assert body["totals"]["incidents"] == 8  # the 02:30 page on 03-06 falls before the period


def test_html_to_a_file_and_save_as_latest(seeded: Database, tmp_path: Path) -> None:
    target = tmp_path / "toil.html"
    result = run("--format", "html", "-o", str(target), "--save", "--timezone", "Europe/Paris", *UNTIL)
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("<!DOCTYPE html>")
    with seeded.session() as session:
        latest = store.latest(session)
    assert latest is not None and latest.options.timezone == "Europe/Paris"
    assert latest.period_end == END


def test_nothing_saved_without_the_flag(seeded: Database) -> None:
    assert run(*UNTIL).exit_code == 0
    with seeded.session() as session:
        assert store.latest(session) is None


@pytest.mark.parametrize("args", [["--since", "soon"], ["--format", "pdf"], ["--timezone", "Mars/Base"]])
def test_bad_input_is_a_usage_error(seeded: Database, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2


def test_the_period_moves_with_until(seeded: Database) -> None:
    result = run("--format", "json", "--until", (END - timedelta(days=30)).isoformat())
    assert json.loads(result.stdout)["totals"]["incidents"] == 0
