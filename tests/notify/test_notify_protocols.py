"""Each notifier against a local server that checks its protocol and answers like the real service."""

from __future__ import annotations

import pytest
from notify_cases import published
from support.notify_servers import pagerduty_problems, protocol_server, slack_problems, teams_problems

from functions._platform.emit import DependencyDown
from functions.notify import deliver
from functions.notify.config import parse_routes


def _routes(kind: str, url: str, secret: str | None = None, **extra: str):
    secret_line = "secret_env: TEST_SECRET" if secret else ""
    url_line = "url_env: TEST_URL" if kind in ("slack", "teams") else f"url: {url}"
    text = f"destinations:\n  d:\n    kind: {kind}\n    {url_line}\n    {secret_line}\ndefault: [d]\n"
    return parse_routes(text, {"TEST_URL": url, "TEST_SECRET": secret or "", **extra})


def _deliver(db, routes, report=None, event_id="ev-1", **options):
    import httpx

    with httpx.Client(timeout=5) as client:
        return deliver.deliver(db, routes, client, report or published(), "/sreo/report", event_id,
                            "https://sreo.example.com", sleep=lambda s: None, **options)


def test_slack_gets_block_kit_with_cause_confidence_evidence_gated_actions_and_link(db) -> None:
    with protocol_server("slack") as slack:
        outcome = _deliver(db, _routes("slack", slack.url))
    assert outcome.sent == ["d"] and slack.answered == [200]
    body = slack.received[0]
    assert slack_problems(body) == []
    text = "\n".join(b.get("text", {}).get("text", "") if isinstance(b.get("text"), dict) else "" for b in body["blocks"])
    assert "PAYMENT_GATEWAY_URL is not set" in body["blocks"][0]["text"]["text"]
    assert "Low confidence" in text and "43%" in text
    assert "restarted 12 times" in text
    assert "Roll back payments" in text and "Read the logs" not in text  # only the approval-gated ones
    button = body["blocks"][-1]["elements"][0]
    assert button["url"] == "https://sreo.example.com/incidents/inc-42/report?format=html"


def test_slack_rejection_is_reported_not_retried(db) -> None:
    with protocol_server("slack") as slack:
        routes = _routes("slack", slack.url.replace("/hook", "/revoked"))
        outcome = _deliver(db, routes)
        again = _deliver(db, routes)
    assert "no_service" in outcome.rejected["d"] and slack.answered == [404]
    assert again.skipped == ["d"]


def test_pagerduty_trigger_then_resolve_with_the_incident_as_dedup_key(db) -> None:
    with protocol_server("pagerduty") as pd:
        routes = _routes("pagerduty", pd.url, secret="R0UT1NGKEY")
        _deliver(db, routes)
        _deliver(db, routes, published(status="resolved"), event_id="ev-2")
    assert pd.answered == [202, 202]
    trigger, resolve = pd.received
    assert pagerduty_problems(trigger) == [] and pagerduty_problems(resolve) == []
    assert trigger["event_action"] == "trigger" and resolve["event_action"] == "resolve"
    assert trigger["dedup_key"] == resolve["dedup_key"] == "inc-42"
    assert trigger["routing_key"] == "R0UT1NGKEY"
    assert trigger["payload"]["severity"] == "critical" and trigger["payload"]["source"] == "checkout"
    assert "PAYMENT_GATEWAY_URL" in trigger["payload"]["summary"]


@pytest.mark.parametrize(("ours", "theirs"), [("critical", "critical"), ("warning", "warning"), ("info", "info"),
                                              (None, "error")])
def test_pagerduty_severity_is_mapped(db, ours, theirs) -> None:
    with protocol_server("pagerduty") as pd:
        _deliver(db, _routes("pagerduty", pd.url, secret="k"), published(severity=ours))
    assert pd.received[0]["payload"]["severity"] == theirs and pd.answered == [202]


def test_teams_gets_an_adaptive_card(db) -> None:
    with protocol_server("teams") as teams:
        _deliver(db, _routes("teams", teams.url))
    assert teams.answered == [202] and teams_problems(teams.received[0]) == []
    card = teams.received[0]["attachments"][0]["content"]
    words = " ".join(item.get("text", "") for item in card["body"])
    assert "PAYMENT_GATEWAY_URL" in words and "Low confidence" in words
    assert card["actions"][0]["url"].endswith("/incidents/inc-42/report?format=html")


def test_webhook_is_signed_and_a_wrong_secret_is_refused(db) -> None:
    with protocol_server("webhook", secret="s3cret") as hook:
        good = _deliver(db, _routes("webhook", hook.url, secret="s3cret"))
        bad = _deliver(db, _routes("webhook", hook.url, secret="other"), event_id="ev-2")
    assert good.sent == ["d"] and hook.answered == [204, 401]
    assert bad.rejected and hook.headers[0]["x-sreo-event-id"] == "ev-1"
    assert hook.received[0]["report"]["incident_id"] == "inc-42"


@pytest.mark.parametrize("kind", ["slack", "pagerduty", "teams", "webhook"])
def test_a_short_retry_after_is_waited_out_in_process(db, kind) -> None:
    waits: list[float] = []
    with protocol_server(kind, secret="k") as server:
        server.busy(2, retry_after="1")
        import httpx

        with httpx.Client(timeout=5) as client:
            outcome = deliver.deliver(db, _routes(kind, server.url, secret="k"), client, published(), "/s", "ev-1",
                                   sleep=waits.append)
    assert outcome.sent == ["d"] and server.answered[:2] == [429, 429] and len(server.received) == 1
    assert waits == [1.0, 1.0]


def test_a_long_retry_after_goes_back_to_the_broker_and_nothing_is_sent_twice(db) -> None:
    with protocol_server("slack") as slack, protocol_server("webhook") as hook:
        text = ("destinations:\n  chat: {kind: slack, url_env: SLACK}\n"
                f"  hook: {{kind: webhook, url: '{hook.url}', secret_env: SECRET}}\n"
                "routes:\n  - to: [hook, chat]\n")
        routes = parse_routes(text, {"SLACK": slack.url, "SECRET": "whsec-test"})
        slack.busy(1, retry_after="120")
        with pytest.raises(DependencyDown, match="chat"):
            _deliver(db, routes)  # the consumer answers 5xx: the broker redelivers later
        retried = _deliver(db, routes)
    assert retried.sent == ["chat"] and retried.skipped == ["hook"]
    assert len(hook.received) == 1 and len(slack.received) == 1


def test_the_same_event_is_delivered_once(db) -> None:
    with protocol_server("slack") as slack:
        routes = _routes("slack", slack.url)
        _deliver(db, routes)
        second = _deliver(db, routes)
    assert len(slack.received) == 1 and second.skipped == ["d"]


def test_secrets_are_redacted_before_they_leave(db) -> None:
    with protocol_server("webhook") as hook:
        _deliver(db, _routes("webhook", hook.url, secret="whsec-test"))
    assert "hunter2" not in str(hook.received[0]) and "[REDACTED" in str(hook.received[0])


def test_evidence_cannot_add_links_or_mentions_to_a_slack_message(db) -> None:
    from sreo_events.models import PublishedCause

    hostile = "<!channel> see <https://evil.example|the fix> & <@U123>\x1b[31m"
    cause = PublishedCause(component="payments<!here>", kind="pod_crashloop", confidence=0.9, reason=hostile,
                           evidence=[hostile])
    with protocol_server("slack") as slack:
        _deliver(db, _routes("slack", slack.url), report=published(causes=[cause]))
    body = slack.received[0]
    assert slack_problems(body) == []
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    for text in [*sections, body["text"]]:
        assert "<!" not in text and "<http" not in text and "<@" not in text and "\x1b" not in text, text
    assert "&lt;!channel&gt; see &lt;https://evil.example|the fix&gt; &amp; &lt;@U123&gt;" in sections[0]
    assert "\x1b" not in body["blocks"][0]["text"]["text"]  # the plain-text header: shown as typed, minus escapes


def test_evidence_cannot_add_links_emphasis_or_mentions_to_a_teams_card(db) -> None:
    import re

    from sreo_events.models import Action, PublishedCause

    hostile = "[click](http://evil) **bold** <at>Jane</at>\x1b[31m"
    cause = PublishedCause(component="payments<at>x</at>", kind="pod_crashloop", confidence=0.9, reason=hostile,
                           evidence=[hostile, "- **listed**"],
                           actions=[Action(id="a", title=hostile, risk="high", requires_approval=True)])
    with protocol_server("teams") as teams:
        _deliver(db, _routes("teams", teams.url), report=published(causes=[cause], service="[svc](http://evil)"))
    assert teams.answered == [202] and teams_problems(teams.received[0]) == []
    card = teams.received[0]["attachments"][0]["content"]
    texts = [item["text"] for item in card["body"] if item["type"] == "TextBlock"]
    texts += [fact["value"] for item in card["body"] if item["type"] == "FactSet" for fact in item["facts"]]
    unescaped = re.compile(r"(?<!\\)(\[|<at>|<|\*\*bold|\*\*listed)")
    for text in texts:
        assert not unescaped.search(text) and "\x1b" not in text, text
    cause_text = next(t for t in texts if t.startswith("**Most probable cause:**"))
    assert r"\[click\](http:\//evil) \*\*bold\*\* \<at>Jane\</at>" in cause_text
    assert r"- \- \*\*listed\*\*" in texts
    assert r"\[svc\](http:\//evil)" in texts
