"""A test notification: a sample report, marked as a test, sent through the same notifiers and routes as a real
one, so an operator learns that a webhook URL, a routing key or a route works before an incident needs it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from functions.notify import deliver
from functions.notify.config import Routes, RoutesError
from functions.notify.notifiers.contract import Destination, Rejected, RetryLater
from functions.notify.registry import RENDERERS
from sreo_events.models import Action, PublishedCause, ReportPublished

if TYPE_CHECKING:
    import httpx

TEST_INCIDENT = "sreo-notification-test"


def sample_report(severity: str, service: str | None, namespace: str | None) -> ReportPublished:
    """A report that says it is a test in its title, headline and cause, with one action needing approval."""
    cause = PublishedCause(
        component=service or "example-service", kind="notification_test", confidence=0.9,
        reason="This is a test notification from SRE Orchestrator; nothing is wrong.",
        evidence=["sent by `sreo notify test`"],
        actions=[Action(id="nothing-to-do", title="Nothing to do: this is a test", requires_approval=True,
                        risk="low")],
    )
    return ReportPublished(
        incident_id=TEST_INCIDENT, title="Test notification from SRE Orchestrator",
        url=f"/incidents/{TEST_INCIDENT}/report", top_cause=cause.component, severity=severity,
        service=service, namespace=namespace, summary="Test notification: this destination is reachable.",
        causes=[cause])


def chosen(routes: Routes, report: ReportPublished, names: list[str]) -> list[Destination]:
    """The named destinations, or else those the routes select for the report, as a real one would be routed."""
    unknown = [name for name in names if name not in routes.destinations]
    if unknown:
        known = ", ".join(sorted(routes.destinations)) or "none"
        raise RoutesError(f"no destination {', '.join(map(repr, unknown))} in the routes file; known: {known}")
    return [routes.destinations[name] for name in names] if names else routes.select(report)


@dataclass(frozen=True)
class Result:
    destination: str
    kind: str
    outcome: str  # "sent", "would send", "rejected", "busy"
    detail: str = ""
    payload: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in ("rejected", "busy")


def run(client: httpx.Client | None, destinations: list[Destination], report: ReportPublished, public_url: str,
        dry_run: bool, max_wait_s: float, sleep: Callable[[float], None] = time.sleep) -> list[Result]:
    """Send the sample to each destination (or, dry, only build what would be sent), one result each."""
    results = []
    for destination in destinations:
        notification = deliver.notification_for(report, f"test-{time.time_ns()}", destination, public_url)
        payload = RENDERERS.get(destination.kind).value(notification)
        if dry_run or client is None:
            results.append(Result(destination.name, destination.kind, "would send", payload=payload))
            continue
        try:
            deliver.send(client, destination, notification, max_wait_s, sleep)
            results.append(Result(destination.name, destination.kind, "sent", payload=payload))
        except Rejected as exc:
            results.append(Result(destination.name, destination.kind, "rejected", str(exc), payload))
        except RetryLater as exc:
            results.append(Result(destination.name, destination.kind, "busy", str(exc), payload))
    return results
