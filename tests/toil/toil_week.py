"""One week of incidents, as the events toil hears of them, with the figures a toil report over it must show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudevents.http import CloudEvent
from toil_seed import Seed, deliver, events

from functions._platform.runtime import Runtime

# Monday 09:00 UTC, when the weekly PingSource fires
END = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def day(offset: int, hour: int, minute: int = 0, end: datetime = END) -> datetime:
    return (end - timedelta(days=offset)).replace(hour=hour, minute=minute)


def week_events(end: datetime = END) -> list[CloudEvent]:
    """Every event of the week, incident by incident, each incident's in the order the pipeline sends them."""
    sent: list[CloudEvent] = []
    checkout_causes = [("checkout-db", "connection_saturation")]
    for offset, causes in zip((1, 2, 3, 4), (checkout_causes, checkout_causes, checkout_causes, []), strict=True):
        sent += events(Seed(started_at=day(offset, 14, end=end), alerts=[("CheckoutErrorRate", f"fp-err-{offset}", 3)],
                          resolved_after=timedelta(minutes=5), causes=causes,
                          domains={"metrics": "success", "logs": "success"}))
    for minute in (0, 20, 40):  # resolves after 8 minutes, re-fires 12 minutes later: two flaps
        sent += events(Seed(started_at=day(2, 10, minute, end=end), service="search",
                          alerts=[("SearchLatencyHigh", "fp-lat", 1)], resolved_after=timedelta(minutes=8),
                          causes=[("search-index", "latency_regression")],
                          domains={"metrics": "error", "logs": "success"}, error="prometheus: connection refused"))
    for offset in (3, 5):  # pages at 02:30 UTC
        sent += events(Seed(started_at=day(offset, 2, 30, end=end), service="payments", severity="critical",
                          alerts=[("PaymentsDown", f"fp-pay-{offset}", 1)], resolved_after=timedelta(hours=2),
                          causes=[("payments-gw", "crash_loop")], domains={"kubernetes": "success", "logs": "requested"}))
    sent += events(Seed(started_at=day(1, 16, end=end), service=None, source="http", reported_after=None,
                      domains={"logs": "requested"}))
    sent += events(Seed(started_at=day(2, 20, end=end), service="storage", alerts=[("NodeDiskFilling", "fp-disk", 25)],
                      causes=[("node-3", "disk_pressure")], domains={"kubernetes": "success"}))
    sent += events(Seed(started_at=day(9, 14, end=end), alerts=[("CheckoutErrorRate", "fp-old", 7)],
                      resolved_after=timedelta(minutes=5)))  # before the period
    return sent


def seed_week(runtime: Runtime, end: datetime = END) -> None:
    deliver(runtime, week_events(end))
