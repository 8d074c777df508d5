from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from functions._local.commands.runbooks import app
from functions._platform.config import reset_settings

from .conftest import FIXTURES, RUNBOOKS


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("SREO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SREO_DATABASE_URL", raising=False)
    monkeypatch.delenv("SREO_OPENSEARCH_URL", raising=False)
    reset_settings()
    yield CliRunner()
    reset_settings()


def test_ingest_then_search_in_separate_invocations(runner: CliRunner, tmp_path: Path) -> None:
    ingested = runner.invoke(app, ["ingest", str(RUNBOOKS), "--json"])
    assert ingested.exit_code == 0, ingested.output
    ids = {r["id"] for r in json.loads(ingested.stdout)["runbooks"]}
    assert "database/PostgresReplicationLagHigh" in ids
    assert (tmp_path / "home" / "sreo.db").is_file()

    found = runner.invoke(app, ["search", "replica lag stale reads", "--k", "2", "--json"])
    assert found.exit_code == 0, found.output
    runbooks = json.loads(found.stdout)["runbooks"]
    assert len(runbooks) == 2
    assert runbooks[0]["id"] == "database/PostgresReplicationLagHigh"
    assert set(runbooks[0]) == {"id", "title", "section", "score", "path"}


def test_match_reads_an_alertmanager_webhook(runner: CliRunner) -> None:
    assert runner.invoke(app, ["ingest", str(RUNBOOKS)]).exit_code == 0
    result = runner.invoke(app, ["match", str(FIXTURES / "webhook_crashloop.json"), "--json"])
    assert result.exit_code == 0, result.output
    matches = json.loads(result.stdout)["matches"]
    assert [(m["alertname"], m["method"]) for m in matches] == [
        ("KubePodCrashLooping", "alertname"),
        ("ReplicaBehind", "search"),
    ]
    assert matches[0]["runbooks"][0]["id"] == "kubernetes/KubePodCrashLooping"
    assert matches[1]["runbooks"][0]["id"] == "database/PostgresReplicationLagHigh"


def test_missing_paths_are_clear_errors(runner: CliRunner, tmp_path: Path) -> None:
    ingest = runner.invoke(app, ["ingest", str(tmp_path / "nope")])
    assert ingest.exit_code == 2
    assert "no such file or folder" in ingest.output
    match = runner.invoke(app, ["match", str(tmp_path / "alert.json")])
    assert match.exit_code == 2
    assert "no such file" in match.output


def test_match_rejects_json_without_alerts(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "alert.json"
    bad.write_text('{"hello": "world"}')
    result = runner.invoke(app, ["match", str(bad)])
    assert result.exit_code == 2
    assert "no alerts found" in result.output
