"""Runbooks triage attaches when it opens an incident, so responders have one before the diagnosis lands.

Looked up before the incident's transaction opens (the lookup may seed the index or call OpenSearch); a failed
lookup is logged and costs nothing but the early link: the report attaches runbooks again.
"""

from __future__ import annotations

from functions._platform.config import Settings
from functions._platform.runbooks.attach import (
    alert_about_orchestrator,
    alert_hits,
    knowledge_base,
    names_orchestrator,
    references,
    text_hits,
)
from functions._platform.telemetry import log
from functions.triage.accept import fingerprint
from sreo_events.models import Alert, RunbookRef

AT_TRIAGE = 0.0  # no diagnosis yet: open each runbook at its Diagnosis section


def for_alerts(settings: Settings, alerts: list[Alert]) -> dict[str, list[RunbookRef]]:
    """Per firing alert (by fingerprint): its own runbook, then relevant hits for its text. Alerts of one group
    usually share a name and runbook URL: each distinct pair is looked up once."""
    looked_up: dict[tuple[str, str, bool], list[RunbookRef]] = {}
    matched: dict[str, list[RunbookRef]] = {}
    try:
        base = knowledge_base(settings)
        for alert in (alert for alert in alerts if alert.status == "firing"):
            own = alert_about_orchestrator(alert.labels)
            key = (alert.labels.get("alertname", ""), alert.annotations.get("runbook_url", ""), own)
            if key not in looked_up:
                looked_up[key] = references(base, alert_hits(base, alert.labels, alert.annotations), AT_TRIAGE,
                                            own=own)
            matched[fingerprint(alert)] = looked_up[key]
    except Exception as exc:  # noqa: BLE001  (the incident must be accepted whatever the knowledge base does)
        log.warning("runbook lookup failed at triage", error=str(exc))
    return matched


def for_text(settings: Settings, text: str, service: str | None) -> list[RunbookRef]:
    """Runbooks for a free-text report: only hits the text is actually about."""
    try:
        base = knowledge_base(settings)
        own = names_orchestrator(service or "") or any(names_orchestrator(word) for word in text.lower().split())
        return references(base, text_hits(base, text), AT_TRIAGE, own=own)
    except Exception as exc:  # noqa: BLE001
        log.warning("runbook lookup failed at triage", error=str(exc))
        return []
