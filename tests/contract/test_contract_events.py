"""The event contract: generated schemas are current, and envelopes round-trip in both HTTP modes."""

from __future__ import annotations

import pytest

from sreo_events import models, types
from sreo_events.envelope import MODELS, InvalidEvent, canonical_type, decode, encode, make_event, payload
from sreo_events.schemas import SCHEMA_DIR, render


def test_every_catalogue_type_has_a_model_and_a_current_schema() -> None:
    declared = {value for name, value in vars(types).items() if name.isupper() and isinstance(value, str)
                and value.startswith("dev.sreo.")}
    assert declared == set(MODELS)
    stale = [name for name, text in render().items()
             if not (SCHEMA_DIR / name).exists() or (SCHEMA_DIR / name).read_text() != text]
    assert stale == [], f"run `python -m sreo_events.schemas`; stale: {stale}"


def test_every_payload_field_is_described() -> None:
    for model in {*MODELS.values(), models.Finding, models.Cause, models.Alert} - {models.ScheduledRequest}:
        undocumented = [name for name, field in model.model_fields.items() if not field.description]
        assert not undocumented, f"{model.__name__}: {undocumented}"


@pytest.mark.parametrize("mode", ["binary", "structured"])
def test_envelope_round_trip_keeps_extensions(mode: str) -> None:
    evidence = models.EvidenceCollected(incident_id="inc-1", domain="logs", status="no_data")
    event = make_event(types.EVIDENCE_COLLECTED, evidence, source="/t", correlationid="inc-1", causationid="c-1",
                       domain="logs", event_id="e-1")
    headers, body = encode(event, mode)
    back = decode(headers, body)
    attributes = back.get_attributes()
    assert (attributes["correlationid"], attributes["causationid"], attributes["domain"]) == ("inc-1", "c-1", "logs")
    assert payload(back) == evidence


def test_invalid_events_are_refused() -> None:
    with pytest.raises(InvalidEvent):
        decode({"content-type": "application/json"}, b'{"no": "envelope"}')
    event = make_event(types.SCAN_REQUESTED, models.ScheduledRequest(), source="/t")
    bad = event.__class__({**event.get_attributes(), "type": types.EVIDENCE_COLLECTED}, {"domain": "nope"})
    with pytest.raises(InvalidEvent):
        payload(bad)
    huge = models.EvidenceCollected(incident_id="i", domain="logs", status="success",
                                    checked=["x" * 1000] * 80)
    with pytest.raises(InvalidEvent, match="under"):
        make_event(types.EVIDENCE_COLLECTED, huge, source="/t")


def test_ping_ticks_map_to_request_types() -> None:
    from cloudevents.http import CloudEvent

    tick = CloudEvent({"type": "dev.knative.sources.ping", "source": "/p", "sreorequest": "sweep"}, {})
    assert canonical_type(tick) == types.SWEEP_REQUESTED
