"""Request bodies triage accepts over HTTP."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _rfc3339_text(value: Any) -> Any:
    """The schema says `format: date-time`: a number (an epoch) is not one, so it is refused, not guessed at."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise ValueError("must be an RFC 3339 date-time string with an offset, e.g. 2026-01-31T09:30:00Z")
    return value


# An RFC 3339 date-time with its offset: epochs and naive times are a 422.
Timestamp = Annotated[AwareDatetime, BeforeValidator(_rfc3339_text)]


# how alerting rules and people spell severities, to ours
SEVERITY_ALIASES = {"page": "critical", "critical": "critical", "error": "critical", "high": "critical",
                    "warning": "warning", "ticket": "warning", "medium": "warning", "info": "info", "low": "info"}


def _severity_alias(value: Any) -> Any:
    return SEVERITY_ALIASES.get(value.strip().lower(), value) if isinstance(value, str) else value


class IncidentRequest(BaseModel):
    """`POST /incidents`: a free-text report from a person or a script. Unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    text: str = Field(min_length=3, max_length=10_000, description="What is wrong, in plain words.")
    service: str | None = Field(default=None, max_length=200, pattern=r"^[A-Za-z0-9_.\-/]+$")
    namespace: str | None = Field(default=None, max_length=200, pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    severity: Annotated[Literal["info", "warning", "critical"], BeforeValidator(_severity_alias)] = Field(
        default="warning", description="info, warning or critical; also as alerting rules spell them (page, high, "
                                       "error, ticket, medium, low).")
    started_at: Timestamp | None = Field(default=None, description="When it began; defaults to now.")


class AlertmanagerAlert(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    status: Literal["firing", "resolved"] = "firing"
    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: Timestamp | None = Field(default=None, alias="startsAt")
    ends_at: Timestamp | None = Field(default=None, alias="endsAt")
    generator_url: str | None = Field(default=None, alias="generatorURL")
    fingerprint: str | None = None


class AlertmanagerWebhook(BaseModel):
    """Alertmanager webhook payload, version 4. Unknown keys are tolerated."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    version: str = "4"
    group_key: str | None = Field(default=None, alias="groupKey")
    truncated_alerts: int = Field(default=0, ge=0, alias="truncatedAlerts",
                                  description="Alerts Alertmanager left out (its max_alerts); noted on the incident.")
    status: Literal["firing", "resolved"] = "firing"
    receiver: str | None = None
    group_labels: dict[str, str] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, str] = Field(default_factory=dict, alias="commonLabels")
    common_annotations: dict[str, str] = Field(default_factory=dict, alias="commonAnnotations")
    external_url: str | None = Field(default=None, alias="externalURL")
    alerts: list[AlertmanagerAlert] = Field(min_length=1, description="Any number: a group is never refused.")

    def extra_context(self) -> dict[str, Any]:
        return {"receiver": self.receiver, "external_url": self.external_url}
