"""The incident report as a typed document: what `build` returns, what is stored, what every renderer reads.

Its JSON (`IncidentReport.dump()`) is the stored body and the REST `format=json` answer: the field order and the
keys that are left out when they have no value are part of that shape."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from sreo_events.models import Cause


class Part(BaseModel):
    """A part of the report. Keys named in `OMITTED_WHEN_NONE` are left out of the JSON rather than written null."""

    model_config = ConfigDict(extra="allow")
    OMITTED_WHEN_NONE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _leave_out_empty(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        for key in self.OMITTED_WHEN_NONE:
            if data.get(key) is None:
                data.pop(key, None)
        return data


class Domains(Part):
    expected: list[str] = Field(default_factory=list)
    answered: list[str] = Field(default_factory=list)
    failed: dict[str, str] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    no_data: dict[str, str] = Field(default_factory=dict)


class Affected(Part):
    service: str | None = None
    namespace: str | None = None
    severity: str = "warning"
    symptoms: list[str] = Field(default_factory=list)
    firing_alerts: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)


class TopCause(Part):
    component: str
    kind: str
    confidence: float
    score: float
    reason: str
    lead_over_next: float | None = None


class LogSearch(Part):
    service: str | None = None
    start: Any = None
    end: Any = None
    phrase: str | None = None
    query: str = ""


class EvidenceEntry(Part):
    """One finding under the cause it supports; `link` and `log_search` only when there is one."""

    OMITTED_WHEN_NONE = ("link", "log_search")
    cause_rank: int
    component: str
    domain: str | None = None
    kind: str
    subject: str
    severity: str
    score: float
    summary: str
    onset: str | None = None
    query: str = ""
    link: str | None = None
    log_search: LogSearch | None = None

    @property
    def is_symptom(self) -> bool:
        """Found on a caller the cause explains, listed under the cause as its symptom."""
        return bool(self.subject) and self.subject != self.component


class ActionEntry(Part):
    id: str
    title: str
    command: str | None = None
    risk: str
    requires_approval: bool = False
    cause_rank: int
    component: str
    approval: str
    approved_by: str | None = None


class RunbookEntry(Part):
    """A runbook attached to a cause (`cause_rank`), to the incident (None) or named by the alert (`from_alert`)."""

    OMITTED_WHEN_NONE = ("from_alert",)
    id: str
    title: str
    section: str | None = None
    path: str | None = None
    score: float = 0.0
    cause_rank: int | None = None
    component: str
    link: str | None = None
    from_alert: bool | None = None


class Unchecked(Part):
    domain: str
    status: str
    reason: str


class AlertSummary(Part):
    alertname: str
    status: str
    count: int
    labels: dict[str, Any] = Field(default_factory=dict)
    annotations: dict[str, Any] = Field(default_factory=dict)
    starts_at: str | None = None


class Approval(Part):
    action_id: str
    action_title: str | None = None
    command: str | None = None
    approver: str
    comment: str | None = None
    client_address: str | None = None
    approved_at: str


class TimelineItem(Part):
    at: str
    actor: str
    text: str


class PostmortemEvent(Part):
    at: str
    source: str
    text: str


class Factor(Part):
    component: str
    kind: str
    confidence: float
    factor: str
    evidence: list[str] = Field(default_factory=list)


class ActionItem(Part):
    id: str
    title: str
    type: str
    risk: str
    status: str
    owner: str | None = None


class Postmortem(Part):
    """The blameless draft: its own document (`format=postmortem`)."""

    status: str = "draft"
    title: str
    summary: str
    impact: str
    timeline: list[PostmortemEvent] = Field(default_factory=list)
    contributing_factors: list[Factor] = Field(default_factory=list)
    what_went_well: list[str] = Field(default_factory=list)
    what_was_hard: list[str] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)


class DependencyPath(Part):
    """The alerted service first, the cause last; `links[i]` is the kind of the edge from `nodes[i]`."""

    nodes: list[str]
    links: list[str] = Field(default_factory=list)


class IncidentReport(Part):
    """The report of one incident, in the order its JSON is written."""

    OMITTED_WHEN_NONE = ("dependency_path", "postmortem", "narrative")
    title: str
    status: str
    severity: str
    service: str | None = None
    namespace: str | None = None
    source: str | None = None
    domains: Domains = Field(default_factory=Domains)
    started_at: str
    created_at: str | None = None
    correlated_at: str | None = None
    reported_at: str | None = None
    resolved_at: str | None = None
    links: dict[str, str] = Field(default_factory=dict)
    incident_id: str
    summary: str = ""
    impact: str = ""
    affected: Affected = Field(default_factory=Affected)
    top_cause: TopCause | None = None
    causes: list[Cause] = Field(default_factory=list)
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    actions: list[ActionEntry] = Field(default_factory=list)
    runbooks: list[RunbookEntry] = Field(default_factory=list)
    healthy: list[str] = Field(default_factory=list)
    unchecked: list[Unchecked] = Field(default_factory=list)
    not_judged: list[str] = Field(default_factory=list)
    also_unhealthy: list[Cause] = Field(default_factory=list)
    dependency_graph: bool | None = None
    dependency_path: DependencyPath | None = None
    complete: bool = False
    alerts: list[AlertSummary] = Field(default_factory=list)
    approvals: list[Approval] = Field(default_factory=list)
    timeline: list[TimelineItem] = Field(default_factory=list)
    generated_at: str | None = None
    postmortem: Postmortem | None = None
    narrative: str | None = None

    def dump(self) -> dict[str, Any]:
        """The stored and served JSON body."""
        return self.model_dump(mode="json")
