"""Correlated long ago and still no report: the sweep offers the same correlation again, until correlate hears
`report.published` for the incident. Correlate decides this from its own fan-in row, not from triage's incident."""

from __future__ import annotations

from datetime import UTC, datetime

from functions._platform.consumer import consume
from functions._platform.db.fan_ins import FanIn
from functions.correlate import events as correlate_events
from functions.correlate import fan_in
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import ReportPublished


def _correlated_long_ago(orchestrator, incident_id: str) -> None:
    long_ago = datetime.now(UTC) - 3 * fan_in.REPUBLISH_AFTER
    with orchestrator.db.session() as session:
        session.add(FanIn(incident_id=incident_id, service="orders", started_at=long_ago, domains=["logs"],
                          deadline_at=long_ago, expected_at=long_ago, correlated_at=long_ago))


def _published(incident_id: str, event_id: str = "published"):
    return make_event(types.REPORT_PUBLISHED, ReportPublished(incident_id=incident_id, title="orders are slow",
                                                              url=f"/incidents/{incident_id}/report"),
                      source="/sreo/report", event_id=f"{event_id}-{incident_id}")


def test_the_sweep_offers_a_correlation_again_until_its_report_is_published(make_orchestrator) -> None:
    orchestrator = make_orchestrator()
    runtime = orchestrator.host.runtime
    _correlated_long_ago(orchestrator, "inc-unreported")
    _correlated_long_ago(orchestrator, "inc-reported")
    consume("correlate", _published("inc-reported"), correlate_events.HANDLERS, runtime)
    with orchestrator.db.session() as session:
        _, unreported = fan_in.due_for_sweep(session)
        assert unreported == ["inc-unreported"]
        again = fan_in.republish(session, "inc-unreported")
        assert again is not None and again["type"] == types.INCIDENT_CORRELATED
        assert fan_in.republish(session, "inc-reported") is None
        first = session.get(FanIn, "inc-reported").reported_at
    consume("correlate", _published("inc-reported", "resolved"), correlate_events.HANDLERS, runtime)
    with orchestrator.db.session() as session:  # a later publication (the resolution) keeps the first time
        assert session.get(FanIn, "inc-reported").reported_at == first
