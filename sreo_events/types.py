"""CloudEvent type names: `dev.sreo.<entity>.<past-tense>.v<N>`."""

from typing import get_args

from sreo_events.models import Domain

ALERT_RECEIVED = "dev.sreo.alert.received.v1"
INCIDENT_REPORTED = "dev.sreo.incident.reported.v1"
INVESTIGATION_REQUESTED = "dev.sreo.investigation.requested.v1"
EVIDENCE_COLLECTED = "dev.sreo.evidence.collected.v1"
INCIDENT_CORRELATED = "dev.sreo.incident.correlated.v1"
REPORT_PUBLISHED = "dev.sreo.report.published.v1"
INCIDENT_RESOLVED = "dev.sreo.incident.resolved.v1"
INCIDENT_UPDATED = "dev.sreo.incident.updated.v1"
THREAT_DETECTED = "dev.sreo.threat.detected.v1"
ACTION_APPROVED = "dev.sreo.action.approved.v1"
APPROVAL_RECORDED = "dev.sreo.approval.recorded.v1"
SCAN_REQUESTED = "dev.sreo.scan.requested.v1"
TOIL_REQUESTED = "dev.sreo.toil.requested.v1"
SWEEP_REQUESTED = "dev.sreo.sweep.requested.v1"

DOMAINS: tuple[str, ...] = get_args(Domain)
