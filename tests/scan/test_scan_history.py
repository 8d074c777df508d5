"""Scanning a historical file: its own span is the window, the baseline starts at its first line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.paths import REPO_ROOT

from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.timeparse import parse_duration
from functions._platform.search import get_search_backend
from functions.scan.threats import run_scan

REPO = REPO_ROOT
START = datetime(2021, 3, 4, 8, 0, tzinfo=UTC)


def steady_log(path: Path, minutes: int = 120, per_minute: int = 30) -> Path:
    """A busy, even service log that begins abruptly (as every file does)."""
    lines = []
    for minute in range(minutes):
        for i in range(per_minute):
            at = START + timedelta(minutes=minute, seconds=2 * i)
            lines.append(f"{at:%Y-%m-%d %H:%M:%S},000 INFO [worker-{i % 4}] served request {minute * 100 + i}")
    path.write_text("\n".join(lines) + "\n")
    return path


def attack_log(path: Path) -> Path:
    lines = [f"{START + timedelta(seconds=10 * i):%b %d %H:%M:%S} gw sshd[{5000 + i}]: Failed password for root "
             f"from 203.0.113.77 port 4{i:03d} ssh2" for i in range(40)]
    path.write_text("\n".join(lines) + "\n")
    return path


def ingest(settings: Settings, path: Path, service: str) -> None:
    backend = get_search_backend(settings)
    try:
        ingest_file(path, backend, service=service)
    finally:
        backend.close()


def test_no_flood_at_the_start_of_a_file(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest(settings, steady_log(tmp_path / "app.log"), "app")
    # the scan window covers the first hour: its baseline would be empty time before the file began
    result = run_scan(settings, "1h", START + timedelta(minutes=60))
    assert not [t for t in result.threats if t.kind == "log_flood"]


def test_durations_in_weeks_and_years() -> None:
    assert parse_duration("2w") == timedelta(weeks=2) and parse_duration("1y") == timedelta(days=365)


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "functions._local.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_historical_file_scanned_over_its_own_span_in_two_processes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SREO_DATABASE_URL", "SREO_OPENSEARCH_URL")}
    env["SREO_HOME"] = str(tmp_path / "home")
    auth = attack_log(tmp_path / "auth.log")
    past = (START + timedelta(hours=2)).timestamp()
    os.utime(auth, (past, past))
    assert run_cli(env, "logs", "ingest", str(auth)).returncode == 0
    assert run_cli(env, "logs", "ingest", str(steady_log(tmp_path / "app.log")), "--service", "app").returncode == 0
    scanned = run_cli(env, "scan", "--since", "1h", "--json", "--no-record")
    assert scanned.returncode == 0, scanned.stderr
    threats = json.loads(scanned.stdout)["threats"]
    brute = [t for t in threats if t["kind"] == "brute_force"]
    assert brute and brute[0]["evidence"]["source_ip"] == "203.0.113.77" and brute[0]["evidence"]["attempts"] == 40
    assert "lines end at" in scanned.stderr
    # the query starts where the window does: the six baseline windows before the file's first line hold nothing
    read_from = datetime.fromisoformat(brute[0]["evidence"]["query"].split("[", 1)[1].split(",")[0])
    assert read_from >= START - timedelta(hours=1)
    only_app = run_cli(env, "scan", "--since", "1y", "--service", "app", "--json", "--no-record")
    assert only_app.returncode == 0, only_app.stderr
    assert all(t["subject"] == "app" for t in json.loads(only_app.stdout)["threats"])


def test_log_text_is_shown_as_text_on_the_terminal() -> None:
    from rich.console import Console
    from rich.markup import escape

    from functions._local.commands.scan import terminal_safe

    shown = terminal_safe("GET /[bold]x[/bold]\x1b[2J\r\n")
    assert "\x1b" not in shown and "\r" not in shown and "\n" not in shown
    console = Console(record=True, width=200)
    console.print(escape(shown))
    assert "[bold]x[/bold]" in console.export_text()
