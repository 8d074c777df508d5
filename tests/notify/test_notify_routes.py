"""The routes file: which destinations a report goes to, and the start-up errors a bad file gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from notify_cases import published

from functions.notify.config import NotifySettings, RoutesError, load_routes, parse_routes

FILE = """
destinations:
  pager: {kind: pagerduty, secret_env: PD_KEY}
  chat: {kind: slack, url_env: SLACK_URL}
  shop-chat: {kind: teams, url_env: TEAMS_URL}
  audit: {kind: webhook, url: "https://hooks.example.com/sreo", secret_env: HOOK_SECRET}
routes:
  - match: {severity: [critical]}
    to: [pager]
    continue: true
  - match: {namespace: ["shop*"], service: [checkout]}
    to: [shop-chat]
  - match: {severity: [critical, warning]}
    to: [chat]
default: [audit]
"""
ENV = {"PD_KEY": "k", "SLACK_URL": "https://hooks.slack.com/services/T/B/x", "TEAMS_URL": "https://teams.example/x",
       "HOOK_SECRET": "s"}


def _names(**report) -> list[str]:
    return [d.name for d in parse_routes(FILE, ENV).select(published(**report))]


def test_routes_pick_by_severity_namespace_and_service() -> None:
    assert _names() == ["pager", "shop-chat"]  # critical continues; the shop route matches and stops
    assert _names(severity="warning") == ["shop-chat"]
    assert _names(severity="warning", service="cart") == ["chat"]
    assert _names(severity="info", namespace="other") == ["audit"]
    assert _names(severity="critical", namespace=None) == ["pager", "chat"]


def test_secrets_come_from_the_environment() -> None:
    routes = parse_routes(FILE, ENV)
    assert routes.destinations["pager"].secret == "k"
    assert routes.destinations["chat"].url == ENV["SLACK_URL"]


@pytest.mark.parametrize(("text", "env", "says"), [
    ("destinations: {c: {kind: slack, url: 'https://hooks.slack.com/x'}}", {}, "a slack URL is a credential"),
    ("destinations: {c: {kind: slack, url_env: NOPE}}", {}, "NOPE is not set"),
    ("destinations: {p: {kind: pagerduty}}", {}, "pagerduty needs secret_env"),
    ("routes: [{to: [ghost]}]", {}, "unknown destination 'ghost'"),
    ("destinations: {c: {kind: fax, url: 'https://x'}}", {}, "destinations.c.kind"),
    ("routes: [{to: [a], when: x}]", {}, "routes.0.when"),
    ("destinations: [unclosed", {}, "not valid YAML/JSON"),
    ("destinations: {w: {kind: webhook, url: 'ftp://x'}}", {}, "must be http(s)"),
])
def test_a_bad_file_is_a_clear_error(text, env, says) -> None:
    with pytest.raises(RoutesError, match=None) as caught:
        parse_routes(text, env, "routes.yaml")
    assert says in str(caught.value) and str(caught.value).startswith("routes.yaml: ")


def test_the_file_is_named_by_an_sreo_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "routes.json"
    path.write_text('{"destinations": {"a": {"kind": "webhook", "url": "https://x.example"}}, "default": ["a"]}')
    monkeypatch.setenv("SREO_NOTIFY_ROUTES", str(path))
    assert list(load_routes(NotifySettings(), {}).destinations) == ["a"]
    monkeypatch.setenv("SREO_NOTIFY_ROUTES", str(tmp_path / "missing.yaml"))
    with pytest.raises(RoutesError, match="missing.yaml: cannot read"):
        load_routes(NotifySettings(), {})
    monkeypatch.delenv("SREO_NOTIFY_ROUTES")
    assert load_routes(NotifySettings(), {}).destinations == {}
