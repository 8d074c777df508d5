"""An incident's public summary (`GET /incidents`, `GET /incidents/{id}`, the head of a report), one shape whoever
holds the row: triage's `incidents` or report's own copy, `report_incidents` (the same column names)."""

from __future__ import annotations

from typing import Any


def summary(incident: Any) -> dict[str, Any]:
    return {
        "id": incident.id, "title": incident.title, "status": incident.status, "severity": incident.severity,
        "service": incident.service, "namespace": incident.namespace, "source": incident.source,
        "domains": incident.domains, "started_at": incident.started_at.isoformat(),
        "created_at": incident.created_at.isoformat(),
        "correlated_at": incident.correlated_at.isoformat() if incident.correlated_at else None,
        "reported_at": incident.reported_at.isoformat() if incident.reported_at else None,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "links": {"self": f"/incidents/{incident.id}", "report": f"/incidents/{incident.id}/report",
                  "report_html": f"/incidents/{incident.id}/report?format=html",
                  "postmortem": f"/incidents/{incident.id}/report?format=postmortem"},
    }
