"""Sloth's `prometheus/v1` spec (snake_case keys) as pydantic models, mapped to the SLO model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model import SLI, SLO, AlertMeta, EventsSLI, PluginRef, RawSLI, SLOGroup, SourceInfo
from ..promql import merge_labels
from .common import LoadOptions, check_annotations, check_labels, string_map

VERSION = "prometheus/v1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EventsSpec(_Strict):
    error_query: str = Field(min_length=1)
    total_query: str = Field(min_length=1)


class RawSpec(_Strict):
    error_ratio_query: str = Field(min_length=1)


class SLIPluginSpec(_Strict):
    id: str = Field(min_length=1)
    options: dict[str, str] = Field(default_factory=dict)

    _maps = field_validator("options", mode="before")(string_map)


class SLISpec(_Strict):
    events: EventsSpec | None = None
    raw: RawSpec | None = None
    plugin: SLIPluginSpec | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SLISpec:
        kinds = [k for k in ("events", "raw", "plugin") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"exactly one of events, raw or plugin is required (got {kinds or 'none'})")
        return self


class AlertSpec(_Strict):
    disable: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)

    _maps = field_validator("labels", "annotations", mode="before")(string_map)


class AlertingSpec(_Strict):
    name: str = ""
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    page_alert: AlertSpec = Field(default_factory=AlertSpec)
    ticket_alert: AlertSpec = Field(default_factory=AlertSpec)

    _maps = field_validator("labels", "annotations", mode="before")(string_map)

    @field_validator("page_alert", "ticket_alert", mode="before")
    @classmethod
    def _null_is_default(cls, value: Any) -> Any:
        return {} if value is None else value


class PluginSpec(_Strict):
    id: str = Field(min_length=1)
    priority: int = 0
    config: dict[str, Any] = Field(default_factory=dict)


class PluginChainSpec(_Strict):
    override_previous: bool = Field(default=False, alias="overridePrevious")
    chain: list[PluginSpec] = Field(default_factory=list)


class SLOSpec(_Strict):
    name: str = Field(min_length=1, pattern=r"^[^\s]+$")
    objective: float = Field(gt=0, le=100)
    description: str = ""
    labels: dict[str, str] = Field(default_factory=dict)
    sli: SLISpec
    alerting: AlertingSpec = Field(default_factory=AlertingSpec)
    plugins: PluginChainSpec = Field(default_factory=PluginChainSpec)

    _maps = field_validator("labels", mode="before")(string_map)


class PrometheusV1Spec(_Strict):
    version: str = Field(pattern=r"^prometheus/v1$")
    service: str = Field(min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)
    slo_plugins: PluginChainSpec = Field(default_factory=PluginChainSpec)
    slos: list[SLOSpec] = Field(min_length=1)

    _maps = field_validator("labels", mode="before")(string_map)


def alert_meta(alerting: AlertingSpec, alert: AlertSpec, where: str) -> AlertMeta:
    if alert.disable:
        return AlertMeta(disable=True)
    if not alerting.name:
        raise ValueError(f"{where}: alerting.name is required while this alert is enabled")
    return AlertMeta(
        name=alerting.name,
        labels=check_labels(merge_labels(alerting.labels, alert.labels), where),
        annotations=check_annotations(merge_labels(alerting.annotations, alert.annotations), where),
    )


def build_sli(sli: SLISpec, service: str, slo_name: str, objective: float, labels: dict[str, str],
              options: LoadOptions) -> SLI:
    if sli.events is not None:
        return SLI(events=EventsSLI(error_query=sli.events.error_query, total_query=sli.events.total_query))
    if sli.raw is not None:
        return SLI(raw=RawSLI(error_ratio_query=sli.raw.error_ratio_query))
    assert sli.plugin is not None
    meta = {"service": service, "slo": slo_name, "objective": f"{objective:f}"}
    query = options.sli_plugins.run(sli.plugin.id, meta, labels, sli.plugin.options)
    return SLI(raw=RawSLI(error_ratio_query=query))


def plugin_chain(group: PluginChainSpec, own: PluginChainSpec) -> tuple[list[PluginRef], bool]:
    """Group plugins then SLO plugins; an SLO's `overridePrevious` drops the group's and the defaults."""
    refs = [] if own.override_previous else [PluginRef(**p.model_dump()) for p in group.chain]
    refs += [PluginRef(**p.model_dump()) for p in own.chain]
    return refs, group.override_previous or own.override_previous


def load(doc: dict[str, Any], options: LoadOptions) -> SLOGroup:
    spec = PrometheusV1Spec.model_validate(doc)
    check_labels(spec.labels, "labels")
    slos = []
    for index, item in enumerate(spec.slos):
        where = f"slos.{index} ({item.name})"
        labels = check_labels(merge_labels(spec.labels, item.labels), where)
        plugins, override = plugin_chain(spec.slo_plugins, item.plugins)
        slos.append(
            SLO(
                id=f"{spec.service}-{item.name}",
                name=item.name,
                service=spec.service,
                description=item.description,
                period_seconds=options.default_period_seconds,
                objective=item.objective,
                sli=build_sli(item.sli, spec.service, item.name, item.objective, spec.labels, options),
                labels=labels,
                page_alert=alert_meta(item.alerting, item.alerting.page_alert, f"{where} page_alert"),
                ticket_alert=alert_meta(item.alerting, item.alerting.ticket_alert, f"{where} ticket_alert"),
                plugins=plugins,
                override_default_plugins=override,
            )
        )
    return SLOGroup(slos=slos, source=SourceInfo(spec=VERSION, mode="cli-gen-prom"))


def matches(doc: dict[str, Any]) -> bool:
    return str(doc.get("version", "")) == VERSION
