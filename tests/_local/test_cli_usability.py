"""The CLI teaches and lets you come back: examples and value names in every --help, --version, incident list,
--json wherever there is output, one-line errors, a demo you can open again, and `sreo serve` logging intake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from support.paths import REPO_ROOT
from support.servers import free_port
from test_cli_commands import sreo
from typer.main import get_command

from functions._local.cli import app
from functions._local.help import tidy

ROOT = REPO_ROOT


def _commands(command, path=()):
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _commands(sub, (*path, name))


def test_every_help_has_examples_and_no_type_placeholders() -> None:
    root = tidy(get_command(app))
    runner = CliRunner()
    seen = 0
    for path, _command in _commands(root):
        result = runner.invoke(root, [*path, "--help"], prog_name="sreo", env={"COLUMNS": "160"})
        assert result.exit_code == 0, (path, result.output)
        assert "Examples" in result.output and "$ sreo" in result.output, path
        for placeholder in ("<bool>", "<str>", "<int>", "<path>", "<datetime>", "<float>"):
            assert placeholder not in result.output, (path, placeholder)
        seen += 1
    assert seen > 20


def test_version(tmp_path: Path) -> None:
    result = sreo("--version", home=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"sreo {version('sre-orchestrator')}"


def test_incident_list_filters_and_json_everywhere(tmp_path: Path) -> None:
    reported = sreo("incident", "report", "orders API returns 500s", "--service", "orders", "--json",
                    home=tmp_path, SREO_CORRELATION_DEADLINE_S="20")
    assert reported.returncode == 0, reported.stderr[-2000:]
    incident_id = json.loads(reported.stdout)["incident_id"]
    listed = json.loads(sreo("incident", "list", "--json", "--since", "1h", home=tmp_path).stdout)
    assert [item["id"] for item in listed["items"]] == [incident_id]
    assert json.loads(sreo("incident", "list", "--json", "--service", "cart", home=tmp_path).stdout)["items"] == []
    status = listed["items"][0]["status"]
    assert len(json.loads(sreo("incident", "list", "--json", "--status", status, home=tmp_path).stdout)["items"]) == 1
    human = sreo("incident", "list", home=tmp_path)
    assert incident_id in human.stderr
    shown = json.loads(sreo("incident", "show", incident_id, "--json", home=tmp_path).stdout)
    assert shown["incident_id"] == incident_id
    toil = sreo("toil", "report", "--json", home=tmp_path)
    assert toil.returncode == 0 and isinstance(json.loads(toil.stdout), dict)


def test_errors_are_one_readable_line(tmp_path: Path) -> None:
    result = sreo("incident", "report", "x", "--severity", "bogus", home=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "{'loc'" not in lines[0]
    assert "text:" in lines[0] and "severity:" in lines[0]
    bad_since = sreo("incident", "list", "--since", "yesterday-ish", home=tmp_path)
    assert bad_since.returncode == 1 and len(bad_since.stderr.strip().splitlines()) == 1
    assert "since must be a duration" in bad_since.stderr


def test_the_demo_prints_a_show_line_that_works_afterwards(tmp_path: Path) -> None:
    demo = sreo("demo", home=tmp_path / "home")
    assert demo.returncode == 0, demo.stderr[-3000:]
    line = next(line for line in demo.stderr.splitlines() if "sreo incident show" in line)
    incident_id = line.split("sreo incident show ", 1)[1].split()[0]
    shown = sreo("incident", "show", incident_id, home=tmp_path / "home")
    assert shown.returncode == 0 and shown.stdout.startswith("# ")
    assert (tmp_path / "home" / "sreo.db").exists()
    again = sreo("demo", "--json", home=tmp_path / "home")
    assert json.loads(again.stdout)["incident_id"] != incident_id, "each run is its own incident"


def test_serve_logs_each_intake(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SREO_HOME": str(tmp_path)}
    env.pop("SREO_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([sys.executable, "-m", "functions._local.cli", "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        accepted = httpx.post(f"http://127.0.0.1:{port}/incidents", json={"text": "cart is slow", "service": "cart"})
        assert accepted.status_code == 202
        rejected = httpx.post(f"http://127.0.0.1:{port}/alerts/alertmanager", json={"alerts": []})
        assert rejected.status_code >= 400
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = (tmp_path / "serve.log").read_text()
    intakes = [line for line in text.splitlines() if "intake" in line]
    assert any("/incidents" in line and "202" in line for line in intakes), text[-2000:]
    assert any("/alerts/alertmanager" in line for line in intakes), text[-2000:]


@pytest.mark.parametrize("args", [["incident", "show", "--help"], ["toil", "report", "--help"]])
def test_json_is_offered(tmp_path: Path, args: list[str]) -> None:
    assert "--json" in sreo(*args, home=tmp_path, COLUMNS="160").stdout


def test_alerts_send_wait_prints_the_report(tmp_path: Path) -> None:
    alert = tmp_path / "alert.json"
    alert.write_text(json.dumps({"version": "4", "groupKey": "{}:{alertname=\"OrdersDown\"}", "status": "firing",
                                 "receiver": "r", "alerts": [{"status": "firing", "fingerprint": "f1",
                                                              "labels": {"alertname": "OrdersDown", "service": "orders"},
                                                              "annotations": {"summary": "orders down"}}]}))
    result = sreo("alerts", "send", str(alert), "--wait", home=tmp_path, SREO_CORRELATION_DEADLINE_S="10")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("# OrdersDown: orders down") and "sreo incident show inc-" in result.stderr
