"""OpenSLO `v1alpha` SLO documents with Prometheus ratio metrics; each objective becomes one SLO."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import SLI, SLO, RawSLI, SLOGroup, SourceInfo
from .common import LoadOptions

API_VERSION = "openslo/v1alpha"
_UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_ERROR_RATIO_TEMPLATE = "\n  1 - (\n    (\n      {good}\n    )\n    /\n    (\n      {total}\n    )\n  )\n"


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class MetricSource(_Loose):
    source: str
    query_type: str = Field(alias="queryType")
    query: str = Field(min_length=1)

    @model_validator(mode="after")
    def _prometheus_only(self) -> MetricSource:
        if self.source not in ("prometheus", "sloth"):
            raise ValueError(f"source {self.source!r} is not supported (prometheus or sloth)")
        if self.query_type != "promql":
            raise ValueError(f"queryType {self.query_type!r} is not supported (promql)")
        return self


class RatioMetrics(_Loose):
    good: MetricSource
    total: MetricSource


class Objective(_Loose):
    ratio_metrics: RatioMetrics | None = Field(default=None, alias="ratioMetrics")
    target: float = Field(gt=0, le=1)


class TimeWindow(_Loose):
    count: int = Field(gt=0)
    unit: str

    def seconds(self) -> int:
        size = _UNIT_SECONDS.get(self.unit.lower())
        if size is None:
            raise ValueError(f"time window unit {self.unit!r} is not supported ({', '.join(_UNIT_SECONDS)})")
        return self.count * size


class Spec(_Loose):
    service: str = Field(min_length=1)
    description: str = ""
    objectives: list[Objective] = Field(min_length=1)
    time_windows: list[TimeWindow] = Field(alias="timeWindows", min_length=1, max_length=1)


class Metadata(_Loose):
    name: str = Field(min_length=1)


class OpenSLODoc(_Loose):
    api_version: str = Field(alias="apiVersion")
    kind: str = Field(pattern=r"^SLO$")
    metadata: Metadata
    spec: Spec


def load(doc: dict[str, Any], options: LoadOptions) -> SLOGroup:
    parsed = OpenSLODoc.model_validate(doc)
    period = parsed.spec.time_windows[0].seconds()
    slos = []
    for index, objective in enumerate(parsed.spec.objectives):
        if objective.ratio_metrics is None:
            raise ValueError(f"spec.objectives.{index}: only ratioMetrics objectives are supported")
        query = _ERROR_RATIO_TEMPLATE.format(good=objective.ratio_metrics.good.query,
                                             total=objective.ratio_metrics.total.query)
        name = f"{parsed.metadata.name}-{index}"
        slos.append(
            SLO(
                id=f"{parsed.spec.service}-{name}",
                name=name,
                service=parsed.spec.service,
                description=parsed.spec.description,
                period_seconds=period,
                objective=objective.target * 100,
                sli=SLI(raw=RawSLI(error_ratio_query=query)),
            )
        )
    return SLOGroup(slos=slos, source=SourceInfo(spec=API_VERSION, mode="cli-gen-openslo"))


def matches(doc: dict[str, Any]) -> bool:
    return doc.get("apiVersion") == API_VERSION
