"""Runbooks triage attaches when it opens an incident, so responders have one before the diagnosis lands.

Looked up before the incident's transaction opens (the lookup may seed the index or call OpenSearch); a failed
lookup is logged and costs nothing but the early link: the report attaches runbooks again.
"""

from __future__ import annotations

from events.models import Alert, RunbookRef
from functions._platform.config import Settings
from functions._platform.runbooks.attach import (
    alert_about_orchestrator, alert_hits, knowledge_base, names_orchestrator, references, text_hits,
)
from functions._platform.telemetry import log
from functions.triage.core import fingerprint

AT_TRIAGE = 0.0  # no diagnosis yet: open each runbook at its Diagnosis section


def for_alerts(settings: Settings, alerts: list[Alert]) -> dict[str, list[RunbookRef]]:
    """Per firing alert (by fingerprint): its own runbook, then relevant hits for its text."""
    firing = [alert for alert in alerts if alert.status == "firing"]
    try:
        base = knowledge_base(settings)
        return {fingerprint(alert): references(base, alert_hits(base, alert.labels, alert.annotations), AT_TRIAGE,
                                               own=alert_about_orchestrator(alert.labels))
                for alert in firing}
    except Exception as exc:  # noqa: BLE001  (the incident must be accepted whatever the knowledge base does)
        log.warning("runbook lookup failed at triage", error=str(exc))
        return {}


def for_text(settings: Settings, text: str, service: str | None) -> list[RunbookRef]:
    """Runbooks for a free-text report: only hits the text is actually about."""
    try:
        base = knowledge_base(settings)
        own = names_orchestrator(service or "") or any(names_orchestrator(word) for word in text.lower().split())
        return references(base, text_hits(base, text), AT_TRIAGE, own=own)
    except Exception as exc:  # noqa: BLE001
        log.warning("runbook lookup failed at triage", error=str(exc))
        return []
