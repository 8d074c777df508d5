"""CloudEvents envelopes for the catalogue: build, serialise (binary or structured), parse."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent, from_http
from pydantic import BaseModel, ValidationError

from sreo_events import models, types

MODELS: dict[str, type[BaseModel]] = {
    types.ALERT_RECEIVED: models.AlertReceived,
    types.INCIDENT_REPORTED: models.IncidentReported,
    types.INVESTIGATION_REQUESTED: models.InvestigationRequested,
    types.EVIDENCE_COLLECTED: models.EvidenceCollected,
    types.INCIDENT_CORRELATED: models.IncidentCorrelated,
    types.REPORT_PUBLISHED: models.ReportPublished,
    types.INCIDENT_RESOLVED: models.IncidentResolved,
    types.INCIDENT_UPDATED: models.IncidentUpdated,
    types.THREAT_DETECTED: models.ThreatDetected,
    types.ACTION_APPROVED: models.ActionApproved,
    types.APPROVAL_RECORDED: models.ApprovalRecorded,
    types.SCAN_REQUESTED: models.ScheduledRequest,
    types.TOIL_REQUESTED: models.ScheduledRequest,
    types.SWEEP_REQUESTED: models.ScheduledRequest,
}
EXTENSIONS = ("correlationid", "causationid", "domain")
PING_TYPE = "dev.knative.sources.ping"
PING_REQUESTS = {"sweep": types.SWEEP_REQUESTED, "scan": types.SCAN_REQUESTED, "toil": types.TOIL_REQUESTED}
MAX_EVENT_BYTES = 64 * 1024
_ID_NAMESPACE = uuid.UUID("8f0b7a52-5f0e-4c55-9a43-5d1f2f7d0b11")


class InvalidEvent(ValueError):
    """The event can never be processed: wrong type, bad envelope or invalid payload."""


def derived_id(*parts: str) -> str:
    """A deterministic event id, so a redelivered cause re-emits the same ids."""
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def make_event(
    event_type: str,
    data: BaseModel,
    *,
    source: str,
    event_id: str | None = None,
    subject: str | None = None,
    correlationid: str | None = None,
    causationid: str | None = None,
    domain: str | None = None,
) -> CloudEvent:
    if event_type not in MODELS:
        raise InvalidEvent(f"unknown event type {event_type!r}")
    attributes: dict[str, str] = {
        "type": event_type,
        "source": source,
        "id": event_id or str(uuid.uuid4()),
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
    }
    for name, value in (("subject", subject), ("correlationid", correlationid),
                        ("causationid", causationid), ("domain", domain)):
        if value:
            attributes[name] = value
    event = CloudEvent(attributes, json.loads(data.model_dump_json(exclude_none=True)))
    size = len(json.dumps(event.data))
    if size > MAX_EVENT_BYTES:
        raise InvalidEvent(f"{event_type} payload is {size} bytes; events must stay under {MAX_EVENT_BYTES}")
    return event


def encode(event: CloudEvent, mode: str = "binary") -> tuple[dict[str, str], bytes]:
    headers, body = (to_binary if mode == "binary" else to_structured)(event)
    return dict(headers), body if isinstance(body, bytes) else body.encode()


def decode(headers: Mapping[str, str], body: bytes) -> CloudEvent:
    try:
        return from_http(dict(headers), body)
    except Exception as exc:  # the SDK raises several unrelated exception types
        raise InvalidEvent(f"not a CloudEvent: {exc}") from exc


def payload(event: CloudEvent, model: type[BaseModel] | None = None) -> BaseModel:
    """Validate the event's data against its catalogue model (or the one given)."""
    model = model or MODELS.get(canonical_type(event))
    if model is None:
        raise InvalidEvent(f"unknown event type {event['type']!r}")
    data = event.data
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data or "{}")
        except json.JSONDecodeError as exc:
            raise InvalidEvent(f"event data is not JSON: {exc}") from exc
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise InvalidEvent(f"invalid {event['type']} payload: {exc.error_count()} error(s): {exc.errors()[:3]}") from exc


def made_at(event: CloudEvent) -> datetime | None:
    """When the event says it was made (its `time`, in UTC); None when absent or unreadable."""
    try:
        moment = datetime.fromisoformat(str(event["time"]))
    except (KeyError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def canonical_type(event: CloudEvent) -> str:
    """Our type name; a Knative PingSource tick names its request in the `sreorequest` extension."""
    if event["type"] == PING_TYPE:
        return PING_REQUESTS.get(event.get_attributes().get("sreorequest", ""), PING_TYPE)
    return event["type"]
