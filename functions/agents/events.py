"""Agents' CloudEvent handler: investigate, then always answer with evidence."""

from __future__ import annotations

from collections.abc import Iterable

from cloudevents.http import CloudEvent

from functions._platform.consumer import Handler, PoisonEvent
from functions._platform.runtime import Runtime
from functions._platform.telemetry import EVIDENCE
from functions.agents.investigate import collect_evidence
from functions.agents.registry import AGENTS
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import InvestigationRequested


def on_investigation(runtime: Runtime, data: InvestigationRequested, event: CloudEvent) -> Iterable[CloudEvent]:
    if data.domain not in AGENTS:
        raise PoisonEvent(f"no agent for domain {data.domain!r}")
    evidence = collect_evidence(data, runtime.settings)
    EVIDENCE.labels(data.domain, evidence.status).inc()
    return [make_event(
        types.EVIDENCE_COLLECTED, evidence, source=f"/sreo/agents/{data.domain}", domain=data.domain,
        subject=data.incident_id, correlationid=data.incident_id, causationid=event["id"],
        event_id=derived_id(event["source"], event["id"], "evidence"),
    )]


HANDLERS: dict[str, Handler] = {types.INVESTIGATION_REQUESTED: on_investigation}
EMITS = (types.EVIDENCE_COLLECTED,)
