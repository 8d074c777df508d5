"""`sreo notify test`: a sample report through the routes file and the real notifiers, to local servers that check
each protocol, so an operator learns that a URL, a key or a route works before an incident needs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.notify_servers import ProtocolServer, pagerduty_problems, protocol_server, slack_problems
from typer.main import get_command

from functions._local.cli import app
from functions._local.help import tidy


@pytest.fixture
def servers():
    with protocol_server("slack") as slack, protocol_server("pagerduty") as pager:
        yield slack, pager


def _routes(tmp_path: Path) -> Path:
    path = tmp_path / "routes.yaml"
    path.write_text("destinations:\n"
                    "  oncall-slack: {kind: slack, url_env: TEST_SLACK_URL}\n"
                    "  pager: {kind: pagerduty, url_env: TEST_PD_URL, secret_env: TEST_PD_KEY}\n"
                    "routes:\n"
                    "  - match: {severity: [critical]}\n"
                    "    to: [pager, oncall-slack]\n"
                    "default: [oncall-slack]\n")
    return path


def _run(tmp_path: Path, servers: tuple[ProtocolServer, ProtocolServer], *args: str,
         routes: bool = True) -> Result:
    slack, pager = servers
    env: dict[str, str | None] = {"TEST_SLACK_URL": slack.url, "TEST_PD_URL": pager.url, "TEST_PD_KEY": "pd-routing-key-1234",
           "SREO_HOME": str(tmp_path / "home"), "SREO_NOTIFY_MAX_WAIT_S": "1", "COLUMNS": "200",
           "SREO_NOTIFY_ROUTES": str(_routes(tmp_path)) if routes else None}
    return CliRunner().invoke(tidy(get_command(app)), ["notify", "test", *args], prog_name="sreo", env=env)


def test_a_critical_test_goes_where_a_critical_page_would(tmp_path: Path, servers) -> None:
    slack, pager = servers
    result = _run(tmp_path, servers, "--severity", "critical", "--service", "checkout", "--json")
    assert result.exit_code == 0, result.output
    assert [(r["destination"], r["outcome"]) for r in json.loads(result.stdout)] == [
        ("pager", "sent"), ("oncall-slack", "sent")]
    (page,) = pager.received
    assert pagerduty_problems(page) == [] and page["routing_key"] == "pd-routing-key-1234"
    assert page["payload"]["severity"] == "critical" and "test" in page["payload"]["summary"].lower()
    (message,) = slack.received
    assert slack_problems(message) == [] and "test notification" in json.dumps(message).lower()


def test_a_warning_follows_the_default_route(tmp_path: Path, servers) -> None:
    slack, pager = servers
    result = _run(tmp_path, servers, "--json")
    assert result.exit_code == 0, result.output
    assert [r["destination"] for r in json.loads(result.stdout)] == ["oncall-slack"]
    assert len(slack.received) == 1 and pager.received == []


def test_a_dry_run_prints_the_payloads_without_the_key_and_sends_nothing(tmp_path: Path, servers) -> None:
    slack, pager = servers
    result = _run(tmp_path, servers, "-d", "pager", "-d", "oncall-slack", "--dry-run")
    assert result.exit_code == 0, result.output
    shown = {r["destination"]: r for r in json.loads(result.stdout)}
    assert {r["outcome"] for r in shown.values()} == {"would send"}
    assert "routing_key" not in shown["pager"]["payload"] and "pd-routing-key-1234" not in result.output
    assert pagerduty_problems({"routing_key": "k", **shown["pager"]["payload"]}) == []
    assert slack_problems(shown["oncall-slack"]["payload"]) == []
    assert slack.received == [] and pager.received == []


def test_a_busy_destination_is_reported_and_fails_the_command(tmp_path: Path, servers) -> None:
    slack, _ = servers
    slack.busy(3, retry_after="120")  # longer than the one second the command may wait
    result = _run(tmp_path, servers, "-d", "oncall-slack")
    assert result.exit_code == 1
    assert "busy" in result.stderr and "429" in result.stderr


def test_an_unknown_destination_or_no_routes_file_is_one_line(tmp_path: Path, servers) -> None:
    unknown = _run(tmp_path, servers, "-d", "nope")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip().splitlines() == [
        "sreo: no destination 'nope' in the routes file; known: oncall-slack, pager"]
    missing = _run(tmp_path, servers, routes=False)
    assert missing.exit_code == 2 and "SREO_NOTIFY_ROUTES" in missing.stderr
