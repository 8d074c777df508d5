"""Payload models of every event in the catalogue (DESIGN.md §3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Domain = Literal["kubernetes", "database", "auth", "logs", "metrics", "code", "traces"]
Severity = Literal["info", "warning", "critical"]
EvidenceStatus = Literal["success", "no_data", "error"]
ThreatLevel = Literal["low", "medium", "high", "critical"]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class TimeWindow(Payload):
    start: datetime = Field(description="Inclusive start of the window (UTC).")
    end: datetime = Field(description="Exclusive end of the window (UTC).")


class Alert(Payload):
    """One alert, normalised from Alertmanager or any CloudEvent source."""

    model_config = ConfigDict(extra="ignore")
    status: Literal["firing", "resolved"] = Field(default="firing", description="Alert state.")
    labels: dict[str, str] = Field(default_factory=dict, description="Identifying labels; `alertname` included.")
    annotations: dict[str, str] = Field(default_factory=dict, description="summary, description, runbook_url...")
    starts_at: datetime | None = Field(default=None, description="When the alert started firing.")
    ends_at: datetime | None = Field(default=None, description="When it resolved, if it did.")
    fingerprint: str | None = Field(default=None, description="Stable identity of the label set.")
    generator_url: str | None = Field(default=None, description="Link to the expression that fired.")


class AlertReceived(Payload):
    source_kind: Literal["alertmanager", "cloudevent", "http"] = Field(description="Ingress adapter.")
    group_key: str | None = Field(default=None, description="Alertmanager group key; one incident per key.")
    receiver: str | None = Field(default=None, description="Alertmanager receiver name.")
    alerts: list[Alert] = Field(min_length=1, max_length=500, description="The alerts in this notification.")
    common_labels: dict[str, str] = Field(default_factory=dict, description="Labels shared by every alert.")


class RunbookRef(Payload):
    id: str = Field(description="`<component>/<AlertName>`.")
    title: str = Field(description="Runbook title.")
    section: str | None = Field(default=None, description="Most relevant section, e.g. Mitigation.")
    path: str | None = Field(default=None, description="Path or URL of the runbook.")
    score: float = Field(default=0.0, description="Match score.")


class IncidentAlert(Payload):
    """An alert behind an incident as triage holds it: what the report shows of it."""

    fingerprint: str = Field(max_length=200,
                             description="Stable identity of the label set; the key within the incident.")
    alertname: str = Field(max_length=300, description="The alert's name.")
    status: Literal["firing", "resolved"] = Field(description="Its state after the latest notification.")
    count: int = Field(ge=1, description="Notifications of it received so far (grows with each repeat).")
    labels: dict[str, str] = Field(default_factory=dict, description="Identifying labels; `alertname` included.")
    annotations: dict[str, str] = Field(default_factory=dict, description="summary, description, runbook_url...")
    starts_at: datetime | None = Field(default=None, description="When the alert started firing.")


class IncidentReported(Payload):
    incident_id: str = Field(description="Incident id; also the `correlationid` extension.")
    title: str = Field(description="One-line title.")
    description: str = Field(default="", description="Free text from the reporter or alert annotations.")
    service: str | None = Field(default=None, description="Affected service, when known.")
    namespace: str | None = Field(default=None, description="Kubernetes namespace, when known.")
    severity: Severity = Field(default="warning", description="Incident severity.")
    started_at: datetime = Field(description="When the trouble began.")
    window: TimeWindow = Field(description="Window the agents investigate.")
    domains: list[Domain] = Field(description="Domains expected to answer.")
    deadline: datetime = Field(description="After this the sweeper correlates whatever has arrived.")
    alertnames: list[str] = Field(default_factory=list, description="Names of the alerts behind it.")
    classification: dict[str, list[str]] = Field(
        default_factory=dict, description="Per domain, the signals that selected it (for the report)."
    )
    runbooks: list[RunbookRef] = Field(
        default_factory=list, max_length=5,
        description="Runbooks triage matched to the alerts or the report text, best first.",
    )
    source: str = Field(default="http", max_length=20,
                        description="How it came in: `http`, `alertmanager` or `cloudevent`.")
    group_key: str | None = Field(
        default=None, max_length=500,
        description="Triage's grouping key (one open incident per key); a predicted threat's starts "
                    "`threat|<kind>|<subject>|`. None for a reported incident.")
    accepted_at: datetime | None = Field(default=None, description="When triage accepted it.")
    alerts: list[IncidentAlert] = Field(
        default_factory=list, max_length=50,
        description="Its alerts in the order they came; any beyond these follow in `incident.updated`.",
    )


class IncidentUpdated(Payload):
    """Alerts joined an incident already stored, or its alerts changed (a repeat, a resolution)."""

    incident_id: str = Field(description="Incident whose alerts changed; also the `correlationid` extension.")
    started_at: datetime = Field(description="When the trouble began (earlier when an earlier alert joined).")
    window: TimeWindow = Field(description="Window the agents investigate.")
    alerts: list[IncidentAlert] = Field(default_factory=list, max_length=500,
                                        description="The alerts that joined or changed, each as it is now.")


class InvestigationRequested(Payload):
    incident_id: str = Field(description="Incident to investigate.")
    domain: Domain = Field(description="Domain of the agent asked.")
    service: str | None = Field(default=None, description="Affected service, when known.")
    related: list[str] = Field(default_factory=list, max_length=20,
                               description="Components the digital twin links to the service; looked at too.")
    namespace: str | None = Field(default=None, description="Kubernetes namespace, when known.")
    window: TimeWindow = Field(description="Incident window; agents pick their own baseline before it.")
    started_at: datetime | None = Field(default=None, description="When the symptom began (an alert's startsAt).")
    hints: list[str] = Field(default_factory=list, description="Alert names and keywords that chose this domain.")
    deadline: datetime = Field(description="Answers after this may miss the first report.")


class Finding(Payload):
    """One deterministic observation by an analyzer."""

    kind: str = Field(description="Analyzer verdict, e.g. `pod_crashloop`, `lock_contention`.")
    subject: str = Field(description="Component it points at, e.g. `checkout` or `postgres/orders`.")
    severity: Severity = Field(description="How bad it is.")
    score: float = Field(ge=0.0, le=1.0, description="Strength of the signal, 0..1.")
    summary: str = Field(description="One sentence a responder can read.")
    window: TimeWindow | None = Field(default=None, description="Incident window the finding covers.")
    baseline: TimeWindow | None = Field(default=None, description="Baseline window it was compared with.")
    onset: datetime | None = Field(default=None, description="When the anomaly first showed.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Bounded evidence (values, lines, objects).")
    query: str = Field(default="", description="The exact query or tool call that produced it.")
    domain: Domain | None = Field(default=None, description="Domain whose agent reported it (set by correlate).")


class EvidenceCollected(Payload):
    incident_id: str = Field(description="Incident investigated.")
    domain: Domain = Field(description="Domain of the agent answering.")
    status: EvidenceStatus = Field(description="success, no_data (source not configured or empty) or error.")
    findings: list[Finding] = Field(default_factory=list, max_length=200, description="What was found.")
    checked: list[str] = Field(default_factory=list, description="What was checked and found healthy.")
    unjudged: list[str] = Field(default_factory=list, max_length=100,
                                description="What had data but could not be judged, and why (e.g. too little history).")
    error: str | None = Field(default=None, description="Why the agent failed, when status is error.")
    failed_query: str | None = Field(default=None, description="The exact query or call that failed.")
    duration_ms: float = Field(default=0.0, ge=0, description="Time spent collecting.")


class Action(Payload):
    id: str = Field(description="Stable id within the report.")
    title: str = Field(description="What to do.")
    command: str | None = Field(default=None, description="A command to run, when there is one.")
    risk: Literal["low", "medium", "high"] = Field(description="Risk of doing it.")
    requires_approval: bool = Field(default=False, description="Destructive: needs a responder's approval.")


class Cause(Payload):
    component: str = Field(description="Component the cause sits in.")
    kind: str = Field(description="Kind of the strongest finding behind it.")
    score: float = Field(description="Ranking score; higher is likelier.")
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the ranking is, 0..1.")
    reason: str = Field(description="Plain-language reason.")
    evidence: list[Finding] = Field(default_factory=list, description="Findings behind this cause.")
    actions: list[Action] = Field(default_factory=list, description="Suggested actions.")
    runbooks: list[RunbookRef] = Field(default_factory=list, description="Matching runbooks.")


class DomainAnswer(Payload):
    """One domain's answer, in brief: what the report says about the domain without reading the evidence."""

    domain: Domain = Field(description="Domain of the agent that answered.")
    status: EvidenceStatus = Field(description="success, no_data or error.")
    findings: int = Field(default=0, ge=0, description="How many findings it reported.")
    error: str | None = Field(default=None, description="Why it had no data, or why it failed.")


class IncidentCorrelated(Payload):
    incident_id: str = Field(description="Incident correlated.")
    causes: list[Cause] = Field(default_factory=list, description="Probable causes in rank order.")
    answered: list[Domain] = Field(default_factory=list, description="Domains that answered.")
    failed: dict[str, str] = Field(default_factory=dict, description="Domain -> error, for status error.")
    missing: list[Domain] = Field(default_factory=list, description="Domains that never answered.")
    healthy: list[str] = Field(default_factory=list, description="What was checked and found healthy.")
    unjudged: list[str] = Field(default_factory=list, description="What had data but could not be judged, and why.")
    unconnected: list[Cause] = Field(default_factory=list,
                                     description="Also unhealthy, not connected to this incident; never ranked.")
    graph: bool = Field(default=True, description="False when no dependency graph was available to rank over.")
    complete: bool = Field(description="True when every expected domain answered before the deadline.")
    evidence: list[DomainAnswer] = Field(default_factory=list, description="Each answering domain, in brief.")


class IncidentResolved(Payload):
    incident_id: str = Field(description="Incident whose alerts all resolved.")
    resolved_at: datetime = Field(description="When the last alert resolved.")
    reason: str = Field(default="All alerts resolved", description="Why it counts as resolved.")


class ActionApproved(Payload):
    """A suggested action approved by policy (the supervisor, by its risk level); report records it."""

    incident_id: str = Field(description="Incident whose report suggests the action.")
    action_id: str = Field(description="The action's id within the report.")
    action_title: str = Field(description="What the action does.")
    command: str | None = Field(default=None, description="Its command, when it has one.")
    risk: Literal["low", "medium", "high"] = Field(description="The action's risk level.")
    approver: str = Field(description="Who approved it: `policy` for the supervisor.")
    comment: str = Field(default="", description="Why it was approved.")
    approved_at: datetime = Field(description="When it was approved.")


class ApprovalRecorded(Payload):
    """An approval report recorded in its audit trail: a responder's, or the supervisor's by policy."""

    incident_id: str = Field(description="Incident whose report suggests the action.")
    action_id: str = Field(description="The action's id within the report.")
    approver: str = Field(description="Who approved it: `policy`, or the responder (`responder:<name>`).")
    approved_at: datetime = Field(description="When it was approved.")


class PublishedCause(Payload):
    """A cause as notifiers show it: the words, not the full evidence."""

    component: str = Field(description="Component the cause sits in.")
    kind: str = Field(description="Kind of the strongest finding behind it.")
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the ranking is, 0..1.")
    reason: str = Field(default="", description="Plain-language reason.")
    evidence: list[str] = Field(default_factory=list, max_length=3, description="Top evidence, one line each.")
    actions: list[Action] = Field(default_factory=list, max_length=5, description="Suggested actions.")


class ReportPublished(Payload):
    incident_id: str = Field(description="Incident whose report was stored.")
    title: str = Field(description="Incident title.")
    top_cause: str | None = Field(default=None, description="Component of the top cause.")
    url: str = Field(description="Relative URL of the report.")
    status: Literal["reported", "resolved"] = Field(default="reported", description="Incident status now.")
    severity: Severity | None = Field(default=None, description="Incident severity.")
    service: str | None = Field(default=None, description="Affected service, when known.")
    namespace: str | None = Field(default=None, description="Kubernetes namespace, when known.")
    summary: str = Field(default="", description="One-line headline of the diagnosis.")
    causes: list[PublishedCause] = Field(default_factory=list, max_length=3, description="Top causes, rank order.")
    fixes: list[Action] = Field(
        default_factory=list, max_length=20,
        description="The code fixes (`apply-fix-*` actions) of every cause, also those beyond the top three, in "
                    "rank order: what the supervisor approves and tracks.")
    resolved_at: datetime | None = Field(default=None, description="When the incident resolved, if it did.")
    reported_at: datetime | None = Field(
        default=None,
        description="When its diagnosis was first published; None when the record is announced (e.g. resolved) "
                    "before any correlation.")


class ThreatDetected(Payload):
    kind: str = Field(description="Threat kind, e.g. `brute_force`, `latency_creep`.")
    subject: str = Field(description="Service, host or source it concerns.")
    level: ThreatLevel = Field(description="Threat level.")
    window: TimeWindow = Field(description="Window analysed.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Bounded evidence.")
    mitigation: str = Field(description="What to do about it.")
    predicted_impact: str | None = Field(default=None, description="E.g. projected time to breach.")


class ScheduledRequest(BaseModel):
    """PingSource payload: anything, usually empty; `since` narrows a scan."""

    model_config = ConfigDict(extra="allow")
    since: str | None = Field(default=None, description="Duration like `1h` to look back.")
