"""The spec-independent SLO model every loader produces and every rule plugin consumes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SLI_ERROR_METRIC = "slo:sli_error:ratio_rate"
LABEL_ID = "sloth_id"
LABEL_SLO = "sloth_slo"
LABEL_SERVICE = "sloth_service"
LABEL_WINDOW = "sloth_window"
LABEL_SEVERITY = "sloth_severity"


def sli_error_metric(window: str) -> str:
    return f"{SLI_ERROR_METRIC}{window}"


class EventsSLI(BaseModel):
    error_query: str
    total_query: str


class RawSLI(BaseModel):
    error_ratio_query: str


class SLI(BaseModel):
    events: EventsSLI | None = None
    raw: RawSLI | None = None


class AlertMeta(BaseModel):
    disable: bool = False
    name: str = ""
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class PluginRef(BaseModel):
    """One SLO plugin in a chain: which plugin, its config and where it runs relative to the defaults."""

    id: str
    priority: int = 0
    config: dict[str, Any] = Field(default_factory=dict)


class SLO(BaseModel):
    id: str
    name: str
    service: str
    description: str = ""
    period_seconds: int
    objective: float
    sli: SLI
    labels: dict[str, str] = Field(default_factory=dict)
    page_alert: AlertMeta = Field(default_factory=lambda: AlertMeta(disable=True))
    ticket_alert: AlertMeta = Field(default_factory=lambda: AlertMeta(disable=True))
    plugins: list[PluginRef] = Field(default_factory=list)
    override_default_plugins: bool = False

    def id_labels(self) -> dict[str, str]:
        return {LABEL_ID: self.id, LABEL_SERVICE: self.service, LABEL_SLO: self.name}


class SourceInfo(BaseModel):
    """What the spec was and how it was run; recorded on the `sloth_slo_info` series."""

    spec: str
    mode: str
    version: str = "dev"


class SLOGroup(BaseModel):
    """SLOs from one input document, plus what the output document needs (e.g. a PrometheusRule's metadata)."""

    slos: list[SLO]
    source: SourceInfo
    kubernetes_metadata: dict[str, Any] | None = None


class BurnAlert(BaseModel):
    """One multi-window burn-rate condition: `short` and `long` windows both above `factor` x budget."""

    model_config = ConfigDict(frozen=True)

    short_window: str
    long_window: str
    factor: float
    error_budget_percent: float
    severity: str


class BurnAlertGroup(BaseModel):
    page_quick: BurnAlert
    page_slow: BurnAlert
    ticket_quick: BurnAlert
    ticket_slow: BurnAlert

    def windows(self) -> list[str]:
        """Distinct SLI windows the alerts need, ordered by duration."""
        from .promql import parse_duration

        seen: dict[str, int] = {}
        for alert in (self.page_quick, self.page_slow, self.ticket_quick, self.ticket_slow):
            for window in (alert.short_window, alert.long_window):
                seen.setdefault(window, parse_duration(window))
        return sorted(seen, key=lambda w: seen[w])


class Rule(BaseModel):
    record: str | None = None
    alert: str | None = None
    expr: str
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)


class RuleSet(BaseModel):
    rules: list[Rule] = Field(default_factory=list)
    interval: str | None = None


class SLORules(BaseModel):
    sli: RuleSet = Field(default_factory=RuleSet)
    metadata: RuleSet = Field(default_factory=RuleSet)
    alerts: RuleSet = Field(default_factory=RuleSet)
