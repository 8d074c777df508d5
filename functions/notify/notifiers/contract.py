"""What every notifier shares: the message it is given, the destination it sends to, and how it fails."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from functions._platform.rendering import plain_text
from sreo_events.models import ReportPublished

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class Destination:
    """One configured target: its name, notifier kind, endpoint and secret (both resolved from env at start-up)."""

    name: str
    kind: str
    url: str
    secret: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Notification:
    """The report as notifiers see it: already redacted, with absolute links."""

    event_id: str
    report: ReportPublished
    report_url: str

    @property
    def resolved(self) -> bool:
        return self.report.status == "resolved"

    @property
    def headline(self) -> str:
        """One line of plain text (control characters dropped); each chat escapes it for its own markup."""
        top = self.report.causes[0] if self.report.causes else None
        if self.resolved:
            return plain_text(f"Resolved: {self.report.title}")
        if top is None:
            return plain_text(f"{self.report.title}: no probable cause found yet")
        return plain_text(f"{top.component}: {top.reason or top.kind}")


class RetryLater(Exception):
    """The service is busy or down (429, 5xx, unreachable): send again later, after `after_s` when it said."""

    def __init__(self, message: str, after_s: float | None = None):
        super().__init__(message)
        self.after_s = after_s


class Rejected(Exception):
    """The service refused the message for good (4xx other than 429): resending the same bytes cannot help."""


class Notifier(Protocol):
    kind: str

    def body(self, notification: Notification) -> dict[str, Any]:
        """What is posted, as JSON data; never a secret of the destination (send adds what it must)."""
        ...

    def send(self, client: httpx.Client, destination: Destination, notification: Notification) -> None: ...


def retry_after_s(value: str | None) -> float | None:
    """`Retry-After` is delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def post_json(client: httpx.Client, url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST and classify the answer: 2xx returns; 429 and 5xx raise RetryLater; other 4xx raise Rejected."""
    import httpx
    try:
        response = client.post(url, content=body, headers={"content-type": "application/json", **(headers or {})})
    except httpx.HTTPError as exc:
        raise RetryLater(f"unreachable: {type(exc).__name__}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise RetryLater(f"HTTP {response.status_code}", retry_after_s(response.headers.get("retry-after")))
    if response.status_code >= 400:
        raise Rejected(f"HTTP {response.status_code}: {response.text[:200]}")
    return response


def confidence_words(confidence: float) -> str:
    if confidence >= 0.8:
        return "high confidence"
    if confidence >= 0.5:
        return "medium confidence"
    return "low confidence"
