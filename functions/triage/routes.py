"""Triage's HTTP surface: incident reports, Alertmanager webhooks and alert CloudEvents, and the state of an
incident it accepted (where the `Location` of its acceptance points)."""

from __future__ import annotations

from cloudevents.http import CloudEvent
from sqlalchemy.exc import IntegrityError

from functions._platform import idempotency
from functions._platform.db.incident_view import summary
from functions._platform.db.models import Incident
from functions._platform.faults import crash_point
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, parse_json
from functions._platform.runtime import Runtime
from functions._platform.telemetry import log
from functions.triage import accept, intake, runbooks
from functions.triage.models import AlertmanagerWebhook, IncidentRequest
from sreo_events import types
from sreo_events.envelope import InvalidEvent, decode, payload
from sreo_events.models import Alert, AlertReceived

ACCEPTED_SCHEMA = {"type": "object", "required": ["id", "status", "domains", "links"], "properties": {
    "id": {"type": "string"}, "status": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}},
    "links": {"type": "object", "properties": {"self": {"type": "string"}, "report": {"type": "string"}}},
    "warning": {"type": "string"}}}


def _links(incident_id: str) -> dict[str, str]:
    return {"self": f"/incidents/{incident_id}", "report": f"/incidents/{incident_id}/report"}


def post_incident(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    body = parse_json(request, IncidentRequest, runtime.settings.max_body_bytes)
    key = idempotency.claim(request, "POST /incidents", body)
    if key is not None:
        with runtime.db.session() as session:
            if earlier := idempotency.replay(session, key):
                return earlier
    accept.refresh_twin(runtime)
    matched = runbooks.for_text(runtime.settings, body.text, body.service)
    try:
        with runtime.db.session() as session:  # the incident and its fan-out (in the outbox) commit together
            accepted = accept.accept_report(session, runtime.settings, body, matched)
            incident = accepted.incident
            response = HttpResponse(202, {"id": incident.id, "status": incident.status, "domains": incident.domains,
                                          "links": _links(incident.id)},
                                    headers={"Location": f"/incidents/{incident.id}"})
            if key is not None:
                idempotency.record(session, key, response)
    except IntegrityError:
        if key is not None:  # a concurrent request with the same key won: answer as it did
            with runtime.db.session() as session:
                if earlier := idempotency.replay(session, key):
                    return earlier
        raise
    crash_point("after-accept")
    return response


def _accept(runtime: Runtime, received: AlertReceived, causation_id: str | None = None, truncated: int = 0) -> HttpResponse:
    """Fast intake: store the alerts and hand each new incident over through the outbox, in one transaction;
    the twin refresh, runbook lookup and fan-out run after the answer (triage's `alert.received` consumer)."""
    with runtime.db.session() as session:
        accepted = intake.accept_alerts(session, runtime.settings, received, causation_id, announce=False)
        if truncated:
            for item in accepted:
                intake.note_truncated(session, item.incident.id, truncated)
    crash_point("after-accept")
    if truncated:
        log.warning("alertmanager truncated the notification", truncated_alerts=truncated,
                    group_key=received.group_key)
    result = {
        "accepted": len(received.alerts),
        "incidents": [{"id": a.incident.id, "created": a.created, "links": _links(a.incident.id)} for a in accepted],
    }
    if truncated:
        result["truncated_alerts"] = truncated
    return HttpResponse(202, result)


def post_alertmanager(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    try:
        webhook = parse_json(request, AlertmanagerWebhook, runtime.settings.max_webhook_bytes)
    except ApiError as exc:  # Alertmanager never retries a 4xx; a malformed payload is a 400, as for any sender
        if exc.status == 422:
            raise ApiError(400, exc.code, exc.message, exc.details) from exc
        raise
    received = AlertReceived.model_construct(  # one group: the 500-alert cap of the event model is not for intake
        source_kind="alertmanager", group_key=webhook.group_key, receiver=webhook.receiver,
        common_labels=webhook.common_labels,
        alerts=[Alert(status=a.status, labels=a.labels, annotations=a.annotations, starts_at=a.starts_at,
                      ends_at=a.ends_at, fingerprint=a.fingerprint, generator_url=a.generator_url)
                for a in webhook.alerts],
    )
    return _accept(runtime, received, truncated=webhook.truncated_alerts)


def alert_from_event(event: CloudEvent) -> AlertReceived:
    """Our own alert type, or any source's event whose data looks like an alert (`labels`)."""
    if event["type"] == types.ALERT_RECEIVED:
        return payload(event)
    data = event.data if isinstance(event.data, dict) else None
    if not data or not isinstance(data.get("labels"), dict):
        raise InvalidEvent(f"{event['type']} carries no alert: expected data with a `labels` object")
    labels = {str(k): str(v) for k, v in data["labels"].items()}
    labels.setdefault("alertname", event["type"].rsplit(".", 1)[-1])
    annotations = {str(k): str(v) for k, v in (data.get("annotations") or {}).items()}
    return AlertReceived(source_kind="cloudevent", alerts=[Alert(labels=labels, annotations=annotations)])


def post_alert_event(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    if len(request.body) > runtime.settings.max_body_bytes:
        raise ApiError(413, "payload_too_large", "CloudEvent body is over the size limit")
    try:
        event = decode(request.headers, request.body)
        received = alert_from_event(event)
    except InvalidEvent as exc:
        raise ApiError(400, "invalid_cloudevent", str(exc)) from exc
    return _accept(runtime, received, causation_id=event["id"])


def get_incident(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    incident_id = request.path_params["incident_id"]
    with runtime.db.session() as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise ApiError(404, "incident_not_found", f"no incident {incident_id!r}")
        return HttpResponse(200, summary(incident))


ROUTES = [
    Route("POST", "/incidents", post_incident, "Report an incident in plain words.", IncidentRequest, write=True,
          responses={202: "Accepted: the investigation runs; `Location` is the incident. A retry with the same "
                          "`Idempotency-Key` and body answers the same again (`Idempotent-Replayed: true`).",
                     422: "Invalid body, or an `Idempotency-Key` reused with a different body."},
          params=(idempotency.PARAM,), response_schema=ACCEPTED_SCHEMA),
    Route("POST", "/alerts/alertmanager", post_alertmanager, "Alertmanager webhook (v4).",
          AlertmanagerWebhook, write=True, responses={202: "Accepted."}),
    Route("POST", "/alerts/cloudevents", post_alert_event,
          "An alert as a CloudEvent (binary or structured mode).", write=True, cloudevent_body=True,
          responses={202: "Accepted."}),
    Route("GET", "/incidents/{incident_id}", get_incident, "One incident's state."),
]
