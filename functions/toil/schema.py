"""The toil report's shape (JSON body, stored and served) and the thresholds that drive it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator

SEVERITIES = ("critical", "warning", "info")


class ToilOptions(BaseModel):
    """What counts as noise, night and recurrence. Defaults follow common on-call practice, not any data set."""

    timezone: str = Field(default="UTC", description="IANA zone for time-of-day figures (night pages).")
    night_start_hour: int = Field(default=22, ge=0, le=23)
    night_end_hour: int = Field(default=7, ge=0, le=23)
    auto_resolve_minutes: float = Field(default=15, gt=0, description="Resolved this soon after it started.")
    flap_window_minutes: float = Field(default=60, gt=0, description="Re-fired this soon after resolving.")
    min_episodes: int = Field(default=3, ge=1, description="Episodes before an alert earns a suggestion.")
    noisy_share: float = Field(default=0.5, gt=0, le=1, description="Share of episodes that makes a pattern.")
    repeat_notifications: float = Field(default=10, gt=1, description="Notifications per episode that is spam.")
    recurring_min: int = Field(default=3, ge=2, description="Incidents with one cause that make it recurring.")
    slow_report_minutes: float = Field(default=5, gt=0, description="p90 time to report worth a suggestion.")
    top: int = Field(default=10, ge=1, le=100, description="Rows kept in ranked lists (on-call, causes).")
    max_suggestions: int = Field(default=15, ge=1, le=200, description="Suggestions kept, heaviest first.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Paris") from exc
        return value

    def is_night_hour(self, hour: int) -> bool:
        start, end = self.night_start_hour, self.night_end_hour
        return (start <= hour or hour < end) if start > end else start <= hour < end


class ServiceLoad(BaseModel):
    service: str
    incidents: int
    by_severity: dict[str, int]
    night_pages: int
    open_hours: float


class AlertNoise(BaseModel):
    alertname: str
    services: list[str]
    episodes: int = Field(description="Incidents the alert took part in (each firing episode).")
    notifications: int = Field(description="Webhook deliveries received for it (AlertRecord.count).")
    auto_resolved: int = Field(description="Episodes resolved within auto_resolve_minutes of starting.")
    flaps: int = Field(description="Re-fires within flap_window_minutes of resolving.")
    without_cause: int = Field(description="Episodes whose report named no probable cause.")
    night_pages: int
    noisy: bool


class TimeToReport(BaseModel):
    reported: int
    unreported: int
    p50_s: float | None
    p90_s: float | None
    max_s: float | None


class RecurringCause(BaseModel):
    component: str
    kind: str
    incidents: int
    services: list[str]
    last_seen: datetime


class TimeOfDay(BaseModel):
    timezone: str
    by_hour: list[int] = Field(description="Incidents per local hour 0..23.")
    pages_by_hour: list[int] = Field(description="Critical incidents per local hour 0..23.")
    night_pages: int
    weekend_pages: int


class DomainFailures(BaseModel):
    domain: str
    requested: int
    errors: int
    missing: int = Field(description="Never answered before the report.")
    no_data: int
    failure_rate: float
    last_error: str | None


class OnCallItem(BaseModel):
    """One source of interruptions and how much of the week it took."""

    alertname: str
    episodes: int
    share: float
    pages: int
    night_pages: int
    open_hours: float


class Suggestion(BaseModel):
    rule: str
    subject: str
    text: str
    weight: float = Field(description="Interruptions the change would likely save; sorts suggestions.")


class Totals(BaseModel):
    incidents: int
    pages: int
    night_pages: int
    notifications: int
    alertnames: int
    open_hours: float
    unresolved: int


class CapacityItem(BaseModel):
    """One resource trending toward its limit (the capacity forecast over the report's period)."""

    subject: str
    resource: str
    where: str
    current_utilisation: float
    slope_per_day: float
    exhausted_at: datetime | None = None
    earliest: datetime | None = None
    latest: datetime | None = None


class ToilReport(BaseModel):
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    options: ToilOptions
    totals: Totals
    services: list[ServiceLoad]
    alerts: list[AlertNoise]
    time_to_report: TimeToReport
    recurring_causes: list[RecurringCause]
    time_of_day: TimeOfDay
    domains: list[DomainFailures]
    on_call: list[OnCallItem]
    summary: str
    suggestions: list[Suggestion]
    capacity: list[CapacityItem] = Field(default_factory=list)
    capacity_note: str | None = None  # why there is no forecast (no metrics source, or it failed)
