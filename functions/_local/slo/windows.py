"""SLO period window catalog (Sloth's `AlertWindows` format) and the burn-rate factors derived from it."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .model import BurnAlert, BurnAlertGroup
from .promql import format_duration, parse_duration

BUNDLED_CATALOG = Path(__file__).with_name("windows")


class WindowSpec(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    error_budget_percent: float = Field(alias="errorBudgetPercent", gt=0, le=100)
    short_window: str = Field(alias="shortWindow")
    long_window: str = Field(alias="longWindow")

    @field_validator("short_window", "long_window")
    @classmethod
    def _canonical(cls, value: str) -> str:
        return format_duration(parse_duration(value))


class SeverityWindows(BaseModel):
    quick: WindowSpec
    slow: WindowSpec


class AlertWindowsSpec(BaseModel):
    slo_period: str = Field(alias="sloPeriod")
    page: SeverityWindows
    ticket: SeverityWindows


class AlertWindowsDoc(BaseModel):
    api_version: str = Field(alias="apiVersion", pattern=r"^sloth\.slok\.dev/v1$")
    kind: str = Field(pattern=r"^AlertWindows$")
    spec: AlertWindowsSpec


class WindowCatalogError(ValueError):
    pass


def parse_windows_doc(doc: object) -> AlertWindowsSpec:
    """`apiVersion: sloth.slok.dev/v1, kind: AlertWindows` documents, or the older flat `alertWindows/v1`."""
    if isinstance(doc, dict) and doc.get("version") == "alertWindows/v1":
        return AlertWindowsSpec.model_validate({k: v for k, v in doc.items() if k != "version"})
    return AlertWindowsDoc.model_validate(doc).spec


def burn_rate_factor(period_seconds: int, budget_percent: float, long_window: str) -> float:
    """Speed at which `budget_percent` of the period's budget is spent within `long_window`."""
    hours_to_consume = budget_percent * (period_seconds / 3600) / 100
    return hours_to_consume / (parse_duration(long_window) / 3600)


class WindowCatalog:
    """SLO period -> alert windows; the bundled catalog, or only a custom one when a directory is given."""

    def __init__(self, directory: Path | None = None) -> None:
        self._by_period: dict[int, AlertWindowsSpec] = {}
        self._load(directory or BUNDLED_CATALOG)

    def _load(self, directory: Path) -> None:
        files = sorted(p for p in Path(directory).rglob("*") if p.suffix in (".yaml", ".yml"))
        if not files:
            raise WindowCatalogError(f"no alert window specs (*.yaml) found in {directory}")
        for path in files:
            try:
                spec = parse_windows_doc(yaml.safe_load(path.read_text()))
                period = parse_duration(spec.slo_period)
            except (ValidationError, ValueError, yaml.YAMLError) as exc:
                raise WindowCatalogError(f"invalid alert windows spec {path}: {exc}") from exc
            if period in self._by_period:
                raise WindowCatalogError(f"{path}: SLO period {spec.slo_period} is already defined")
            self._by_period[period] = spec

    def periods(self) -> list[str]:
        return [format_duration(p) for p in sorted(self._by_period)]

    def alerts_for(self, period_seconds: int, objective: float) -> BurnAlertGroup:
        spec = self._by_period.get(period_seconds)
        if spec is None:
            raise WindowCatalogError(
                f"SLO period {format_duration(period_seconds)} has no alert windows; "
                f"known periods: {', '.join(self.periods())}"
            )
        budget = 100 - objective

        def alert(window: WindowSpec, severity: str) -> BurnAlert:
            return BurnAlert(
                short_window=window.short_window,
                long_window=window.long_window,
                factor=burn_rate_factor(period_seconds, window.error_budget_percent, window.long_window),
                error_budget_percent=budget,
                severity=severity,
            )

        return BurnAlertGroup(
            page_quick=alert(spec.page.quick, "page"),
            page_slow=alert(spec.page.slow, "page"),
            ticket_quick=alert(spec.ticket.quick, "ticket"),
            ticket_slow=alert(spec.ticket.slow, "ticket"),
        )
