"""The scan core over logs ingested by the tests, and the `sreo logs ingest` / `sreo scan` commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.paths import REPO_ROOT
from typer.testing import CliRunner

from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.search import get_search_backend
from functions.scan.threats import run_scan, scan, threat_key

REPO = REPO_ROOT
END = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def write_access_log(path: Path, attack: bool) -> Path:
    lines = []
    at = END - timedelta(hours=7)
    i = 0
    while at < END:
        status = 200
        client = f"198.51.100.{i % 90}"
        lines.append(f'{client} - - [{at:%d/%b/%Y:%H:%M:%S +0000}] "GET /home HTTP/1.1" {status} 512 "-" "ua"')
        if attack and at >= END - timedelta(minutes=30) and i % 2 == 0:
            lines.append(f'203.0.113.66 - - [{at:%d/%b/%Y:%H:%M:%S +0000}] "POST /login HTTP/1.1" 401 20 "-" "bot"')
        at += timedelta(seconds=15)
        i += 1
    path.write_text("\n".join(lines) + "\n")
    return path


def ingest(settings: Settings, path: Path) -> None:
    backend = get_search_backend(settings)
    ingest_file(path, backend, service="shop")
    backend.close()


def test_attack_becomes_threats_with_mitigation(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest(settings, write_access_log(tmp_path / "shop.log", attack=True))
    result = run_scan(settings, "1h", END)
    kinds = {(t.kind, t.subject) for t in result.threats}
    assert ("brute_force", "shop") in kinds and ("auth_failure_spike", "shop") in kinds
    brute = next(t for t in result.threats if t.kind == "brute_force")
    assert brute.evidence["source_ip"] == "203.0.113.66"
    assert brute.mitigation and brute.predicted_impact and brute.level in ("medium", "high", "critical")
    assert brute.window.end == END
    assert any(note.startswith("metrics:") for note in result.notes)


def test_quiet_logs_give_no_threats(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest(settings, write_access_log(tmp_path / "shop.log", attack=False))
    assert scan(settings, "1h", END) == []


def test_threat_key_is_stable_and_tells_sources_apart(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    ingest(settings, write_access_log(tmp_path / "shop.log", attack=True))
    first = scan(settings, "1h", END)
    again = scan(settings, "2h", END)
    keys = {threat_key(t) for t in first}
    assert len(keys) == len(first)
    assert {threat_key(t) for t in again if t.kind == "brute_force"} <= keys


def test_cli_commands(tmp_path: Path, monkeypatch) -> None:
    from functions._local.commands import logs
    from functions._local.commands import scan as scan_cli
    from functions._platform.config import reset_settings

    monkeypatch.setenv("SREO_HOME", str(tmp_path / "home"))
    reset_settings()
    try:
        runner = CliRunner()
        path = write_access_log(tmp_path / "shop.log", attack=True)
        ingested = runner.invoke(logs.app, ["ingest", str(path), "--service", "shop", "--json"])
        assert ingested.exit_code == 0, ingested.output
        assert json.loads(ingested.stdout.splitlines()[0])["indexed"] > 1000
        bad = runner.invoke(logs.app, ["ingest", str(path), "--format", "xml"])
        assert bad.exit_code != 0
        scanned = runner.invoke(scan_cli.app, ["--since", "1h", "--until", END.isoformat(), "--json"])
        assert scanned.exit_code == 0, scanned.output
        threats = json.loads(scanned.stdout.splitlines()[0])["threats"]
        assert {"kind", "subject", "level", "window", "evidence", "mitigation"} <= set(threats[0])
    finally:
        reset_settings()


def test_ingest_then_scan_in_two_processes(tmp_path: Path) -> None:
    env = {**os.environ, "SREO_HOME": str(tmp_path / "home")}
    path = write_access_log(tmp_path / "shop.log", attack=True)
    program = ("import typer, sys\nfrom functions._local.commands import logs, scan\n"
               "root = typer.Typer()\nroot.add_typer(logs.app, name='logs')\nroot.add_typer(scan.app, name='scan')\n"
               "root(sys.argv[1:])\n")
    run = lambda *args: subprocess.run([sys.executable, "-c", program, *args], check=False, cwd=REPO, env=env,
                                       capture_output=True, text=True, timeout=300)
    ingested = run("logs", "ingest", str(path), "--service", "shop")
    assert ingested.returncode == 0, ingested.stderr
    assert "indexed" in ingested.stderr
    scanned = run("scan", "--since", "1h", "--until", END.isoformat(), "--json")
    assert scanned.returncode == 0, scanned.stderr
    kinds = {t["kind"] for t in json.loads(scanned.stdout)["threats"]}
    assert "brute_force" in kinds
