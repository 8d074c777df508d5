"""Where functions send the events they produce: the broker at K_SINK, or the local broker."""

from __future__ import annotations

from typing import Protocol

from cloudevents.http import CloudEvent

from sreo_events.envelope import encode


class DependencyDown(RuntimeError):
    """Our own dependency (broker, database) is unavailable: answer 5xx so the broker retries."""


class Emitter(Protocol):
    def emit(self, event: CloudEvent) -> None: ...


class HttpEmitter:
    """POSTs binary-mode CloudEvents to the Knative Broker URL that the SinkBinding puts in K_SINK."""

    def __init__(self, sink: str, timeout_s: float = 10.0):
        import httpx  # lazily: it is a quarter of a cold start

        self.sink = sink
        self._client = httpx.Client(timeout=timeout_s)

    def emit(self, event: CloudEvent) -> None:
        import httpx

        headers, body = encode(event)
        try:
            response = self._client.post(self.sink, headers=headers, content=body)
        except httpx.HTTPError as exc:
            raise DependencyDown(f"broker unreachable at {self.sink}: {exc}") from exc
        if response.status_code >= 300:
            raise DependencyDown(f"broker refused {event['type']}: HTTP {response.status_code}")


class NullEmitter:
    """For one-shot CLI runs with no broker: events are dropped, and the caller is told so."""

    def __init__(self) -> None:
        self.dropped: list[CloudEvent] = []

    def emit(self, event: CloudEvent) -> None:
        self.dropped.append(event)
