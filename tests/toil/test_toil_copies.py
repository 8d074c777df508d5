"""Toil's facts come out the same whatever order the events arrive in and however often: the week delivered in
order, and again backwards (each incident's report and resolution before its opening) or shuffled, with every
event delivered twice under its own id and once more under another, give the same report."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cloudevents.http import CloudEvent
from toil_seed import RecordingEmitter, deliver
from toil_week import END, day, week_events

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.runtime import Runtime
from functions.toil.build import build_report
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import (
    IncidentAlert,
    IncidentReported,
    IncidentResolved,
    IncidentUpdated,
    PublishedCause,
    ReportPublished,
    TimeWindow,
)

INCIDENT = "inc-repeats"
START = day(1, 11)
WINDOW = TimeWindow(start=START - timedelta(minutes=15), end=START + timedelta(minutes=1))


def _at(event: CloudEvent, minutes: float) -> CloudEvent:
    event["time"] = (START + timedelta(minutes=minutes)).isoformat()
    return event


def _alert(fingerprint: str, alertname: str, count: int, status: str = "firing") -> IncidentAlert:
    return IncidentAlert(fingerprint=fingerprint, alertname=alertname, status=status, count=count)


def repeats() -> list[CloudEvent]:
    """One incident whose alerts repeat and join, an earlier alert moving its start, published twice (a partial
    report with no cause, then a fuller one) and once more on resolution."""
    common = {"source": "/sreo/triage", "subject": INCIDENT, "correlationid": INCIDENT}
    reported = IncidentReported(incident_id=INCIDENT, title="queue backlog", service="worker", severity="critical",
                                started_at=START, window=WINDOW, domains=["logs", "metrics"], deadline=START,
                                source="alertmanager", accepted_at=START, alerts=[_alert("fp-q", "QueueBacklog", 1)])
    joined = IncidentUpdated(incident_id=INCIDENT, started_at=START - timedelta(minutes=3), window=WINDOW,
                             alerts=[_alert("fp-q", "QueueBacklog", 2), _alert("fp-w", "WorkerSlow", 1)])
    repeated = IncidentUpdated(incident_id=INCIDENT, started_at=START - timedelta(minutes=3), window=WINDOW,
                               alerts=[_alert("fp-q", "QueueBacklog", 4, "resolved")])
    resolved_at = START + timedelta(minutes=30)

    def published(causes: list[PublishedCause], reported_at_minutes: float, **extra) -> ReportPublished:
        return ReportPublished(incident_id=INCIDENT, title="queue backlog", url=f"/incidents/{INCIDENT}/report",
                               causes=causes, reported_at=START + timedelta(minutes=reported_at_minutes), **extra)

    fuller = [PublishedCause(component="queue-db", kind="lock_contention", confidence=0.8)]
    report = {"source": "/sreo/report", "subject": INCIDENT, "correlationid": INCIDENT}
    return [
        _at(make_event(types.INCIDENT_REPORTED, reported, event_id="rep-reported", **common), 0),
        _at(make_event(types.INCIDENT_UPDATED, joined, event_id="rep-joined", **common), 1),
        _at(make_event(types.REPORT_PUBLISHED, published([], 2), event_id="rep-partial", **report), 2),
        _at(make_event(types.REPORT_PUBLISHED, published(fuller, 2), event_id="rep-fuller", **report), 5),
        _at(make_event(types.INCIDENT_UPDATED, repeated, event_id="rep-repeated", **common), 29),
        _at(make_event(types.INCIDENT_RESOLVED, IncidentResolved(incident_id=INCIDENT, resolved_at=resolved_at),
                       event_id="rep-resolved", **common), 30),
        _at(make_event(types.REPORT_PUBLISHED, published(fuller, 2, status="resolved", resolved_at=resolved_at),
                       event_id="rep-published-resolved", **report), 30),
    ]


def _again(event: CloudEvent) -> CloudEvent:
    """The same news under another id, which the consumer's dedupe does not catch."""
    copy = CloudEvent(dict(event.get_attributes()), event.get_data())
    copy["id"] = f"{event['id']}-again"
    return copy


ORDERS = {
    "backwards": lambda events: list(reversed(events)),  # each incident's report before its opening
    "shuffled": lambda events: random.Random(13).sample(events, len(events)),
}


def redelivered(events: list[CloudEvent]) -> list[CloudEvent]:
    """Every event twice, and once more under another id."""
    return [delivery for event in events for delivery in (event, event, _again(event))]


@pytest.fixture
def other_database(tmp_path: Path, database_url: str | None, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A second fresh store of the same kind."""
    url = request.getfixturevalue("pg").create_database() if database_url else None
    db = Database(Settings(home=tmp_path / "other-home", database_url=url))
    yield db
    db.dispose()


def _figures(db: Database) -> dict:
    with db.session() as session:
        report = build_report(session, "7d", END)
    return report.model_dump(mode="json", exclude={"generated_at"})


@pytest.mark.parametrize("order", sorted(ORDERS))
def test_out_of_order_and_repeated_events_give_the_same_week(database: Database, other_database: Database,
                                                              settings: Settings, order: str) -> None:
    events = [*week_events(), *repeats()]
    deliver(Runtime(settings=settings, db=database, emitter=RecordingEmitter()), events)
    deliver(Runtime(settings=settings, db=other_database, emitter=RecordingEmitter()),
            redelivered(ORDERS[order](events)))
    in_order, out_of_order = _figures(database), _figures(other_database)
    assert out_of_order == in_order
    queue = next(a for a in out_of_order["alerts"] if a["alertname"] == "QueueBacklog")
    assert (queue["episodes"], queue["notifications"], queue["auto_resolved"]) == (1, 4, 0)  # the highest count
    assert (out_of_order["totals"]["incidents"], out_of_order["totals"]["pages"]) == (12, 3)
    assert ("queue-db", "lock_contention", 1) in [(c["component"], c["kind"], c["incidents"])
                                                   for c in out_of_order["recurring_causes"]]  # the newest report
    first = next(i for i in out_of_order["on_call"] if i["alertname"] in ("QueueBacklog", "WorkerSlow"))
    assert (first["alertname"], first["open_hours"]) == ("QueueBacklog", 0.55)  # the opening alert, 10:57 to 11:30
    assert out_of_order["time_of_day"]["by_hour"][10] == 4  # the earlier alert moved its start to 10:57


def test_a_publication_counts_as_a_diagnosis_only_when_it_was_one(runtime: Runtime) -> None:
    """A resolution announced before any correlation is no verdict; a publication from before `reported_at`
    existed is one when it says `reported`, timed by the event."""
    events = repeats()
    reported, resolution = events[0], events[-1]
    early = ReportPublished(incident_id=INCIDENT, title="queue backlog", url="/", status="resolved")
    old_style = ReportPublished(incident_id=INCIDENT, title="queue backlog", url="/", status="reported",
                                causes=[PublishedCause(component="queue-db", kind="lock_contention", confidence=0.5)])
    report = {"source": "/sreo/report", "correlationid": INCIDENT}
    deliver(runtime, [reported, _at(make_event(types.REPORT_PUBLISHED, early, event_id="early", **report), 1)])
    assert _figures(runtime.db)["time_to_report"]["reported"] == 0
    deliver(runtime, [_at(make_event(types.REPORT_PUBLISHED, old_style, event_id="old-style", **report), 3)])
    figures = _figures(runtime.db)
    assert (figures["time_to_report"]["reported"], figures["time_to_report"]["max_s"]) == (1, 180)
    deliver(runtime, [resolution])  # carries reported_at: two minutes in, earlier than the old event said
    assert _figures(runtime.db)["time_to_report"]["max_s"] == 120
    assert [c["component"] for c in _figures(runtime.db)["recurring_causes"]] == ["queue-db"]
