"""Notify as deployed: the local broker routes `report.published` to it by the Trigger in kustomize/base."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from notify_cases import published
from support.notify_servers import protocol_server, slack_problems
from support.orchestrator import orchestrators

from functions.notify.config import RoutesError, reset_config
from sreo_events import types
from sreo_events.envelope import make_event


@pytest.fixture
def routes_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "routes.yaml"
    monkeypatch.setenv("SREO_NOTIFY_ROUTES", str(path))
    reset_config()
    yield path
    reset_config()


def test_a_published_report_reaches_slack_through_the_broker(tmp_path, routes_file, monkeypatch) -> None:
    with protocol_server("slack") as slack, orchestrators(home=tmp_path / "home") as make:
        monkeypatch.setenv("SLACK_URL", slack.url)
        routes_file.write_text("destinations: {chat: {kind: slack, url_env: SLACK_URL}}\ndefault: [chat]\n")
        orchestrator = make(public_url="https://sreo.example.com")
        slack.busy(1, retry_after="0")
        event = make_event(types.REPORT_PUBLISHED, published(), source="/sreo/report", subject="inc-42")
        orchestrator.host.broker.emit(event)
        orchestrator.settle()
        orchestrator.host.broker.emit(event)  # at-least-once delivery: a redelivery
        orchestrator.settle()
    assert len(slack.received) == 1 and slack.answered == [429, 200]
    assert slack_problems(slack.received[0]) == []
    assert "https://sreo.example.com/incidents/inc-42/report" in json.dumps(slack.received[0])


def test_a_bad_routes_file_stops_the_start(tmp_path, routes_file) -> None:
    routes_file.write_text("destinations: {chat: {kind: slack, url: 'https://hooks.slack.com/x'}}\n")
    with orchestrators(home=tmp_path / "home") as make, pytest.raises(RoutesError, match="is a credential"):
        make()
