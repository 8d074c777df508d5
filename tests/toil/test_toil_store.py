"""The toil report over a week written into the store, on SQLite and PostgreSQL; persisting the latest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from toil_week import END, seed_week

from functions._platform.db.engine import Database
from functions._platform.runtime import Runtime
from functions.toil import store
from functions.toil.build import build_report
from functions.toil.schema import ToilOptions


@pytest.fixture
def week(database: Database, runtime: Runtime) -> Database:
    seed_week(runtime)
    return database


def test_totals_count_only_the_period(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    assert report.period_start == END - timedelta(days=7)
    t = report.totals
    assert (t.incidents, t.pages, t.night_pages, t.notifications, t.alertnames, t.unresolved) == (11, 2, 2, 42, 4, 2)


def test_incidents_per_service_and_severity(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    services = {s.service: s for s in report.services}
    assert report.services[0].service == "checkout"
    assert services["checkout"].incidents == 4
    assert services["payments"].by_severity == {"critical": 2, "warning": 0, "info": 0}
    assert services["payments"].night_pages == 2
    assert services["(no service)"].incidents == 1


def test_alert_noise(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    alerts = {a.alertname: a for a in report.alerts}
    checkout = alerts["CheckoutErrorRate"]
    assert (checkout.episodes, checkout.notifications, checkout.auto_resolved, checkout.without_cause) == (4, 12, 4, 1)
    assert checkout.noisy
    search = alerts["SearchLatencyHigh"]
    assert (search.episodes, search.flaps, search.auto_resolved) == (3, 2, 3)
    assert alerts["NodeDiskFilling"].notifications == 25
    assert not alerts["PaymentsDown"].noisy
    assert alerts["PaymentsDown"].flaps == 0


def test_time_to_report_and_recurring_causes(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    assert (report.time_to_report.reported, report.time_to_report.unreported) == (10, 1)
    assert report.time_to_report.p50_s == pytest.approx(40)
    top = [(c.component, c.kind, c.incidents) for c in report.recurring_causes[:2]]
    assert sorted(top) == [("checkout-db", "connection_saturation", 3), ("search-index", "latency_regression", 3)]


def test_domains_that_failed_most(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    metrics, logs = report.domains[0], report.domains[1]
    assert (metrics.domain, metrics.requested, metrics.errors) == ("metrics", 7, 3)
    assert metrics.last_error == "prometheus: connection refused"
    assert (logs.domain, logs.requested, logs.missing) == ("logs", 9, 2)  # the unreported incident is not counted


def test_time_of_day_follows_the_time_zone(week: Database) -> None:
    with week.session() as session:
        utc = build_report(session, "7d", END)
        new_york = build_report(session, "7d", END, ToilOptions(timezone="America/New_York"))
    assert utc.time_of_day.by_hour[14] == 4 and utc.time_of_day.pages_by_hour[2] == 2
    assert utc.time_of_day.night_pages == 2
    assert new_york.time_of_day.pages_by_hour[21] == 2  # 02:30 UTC is 21:30 in New York that week
    assert new_york.time_of_day.night_pages == 0


def test_suggestions_name_the_alerts_and_numbers(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "7d", END)
    by_rule = {(s.rule, s.subject): s.text for s in report.suggestions}
    assert "CheckoutErrorRate fired 4 times (12 notifications) and auto-resolved within 15 min 4 times" in (
        by_rule[("auto_resolving", "CheckoutErrorRate")])
    assert ("flapping", "SearchLatencyHigh") in by_rule
    assert ("repeat_notifications", "NodeDiskFilling") in by_rule
    assert ("night_pages", "PaymentsDown") in by_rule
    assert ("recurring_cause", "checkout-db/connection_saturation") in by_rule
    assert ("failing_domain", "metrics") in by_rule
    assert ("no_cause", "CheckoutErrorRate") not in by_rule  # one causeless episode of four is no pattern
    assert ("slow_reports", "time to report") not in by_rule
    assert "CheckoutErrorRate" in report.summary


def test_an_empty_period(week: Database) -> None:
    with week.session() as session:
        report = build_report(session, "1d", END - timedelta(days=20))
    assert report.totals.incidents == 0 and report.suggestions == [] and "No incidents" in report.summary


def test_bad_period_is_a_value_error(week: Database) -> None:
    with week.session() as session, pytest.raises(ValueError):
        build_report(session, "a week", END)


def test_latest_report_is_the_newest_and_survives_a_round_trip(week: Database) -> None:
    with week.session() as session:
        assert store.latest(session) is None
        older = build_report(session, "7d", END - timedelta(days=7))
        newer = build_report(session, "7d", END)
        store.save(session, newer, "b", "cli")
        store.save(session, older.model_copy(update={"generated_at": newer.generated_at - timedelta(days=7)}),
                   "a", "cli")
    with week.session() as session:
        latest = store.latest(session)
    assert latest is not None
    assert latest.period_end == END
    assert latest.model_dump(mode="json") == newer.model_dump(mode="json")


def test_saving_the_same_id_replaces(week: Database) -> None:
    from sqlalchemy import func, select

    from functions._platform.db.toil import ToilReportRecord

    with week.session() as session:
        report = build_report(session, "7d", END)
        store.save(session, report, "same", "event:a")
        store.save(session, report.model_copy(update={"summary": "second"}), "same", "event:a")
    with week.session() as session:
        assert session.scalar(select(func.count()).select_from(ToilReportRecord)) == 1
        assert store.latest(session).summary == "second"
