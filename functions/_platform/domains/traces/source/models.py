"""Spans as every traces provider returns them, whatever the backend, and the time arithmetic on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SPAN_KINDS = ("internal", "server", "client", "producer", "consumer")
OUTGOING = frozenset({"client", "producer"})
INCOMING = frozenset({"server", "consumer"})
# attributes naming the callee of a client span, most specific first (OpenTelemetry semantic conventions)
PEER_ATTRIBUTES = ("peer.service", "db.name", "server.address", "net.peer.name", "rpc.service", "http.host")
DB_SYSTEM = "db.system"


class TracesSourceError(RuntimeError):
    """The traces backend refused or failed a request, or a file could not be read; the message says why."""


@dataclass(frozen=True)
class TraceSpan:
    """One span. Times are unix seconds; `parent_id` is empty for a root span."""

    trace_id: str
    span_id: str
    parent_id: str
    service: str
    name: str
    kind: str  # one of SPAN_KINDS
    start: float
    end: float
    error: bool = False
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def duration(self) -> float:
        return max(self.end - self.start, 0.0)

    def peer(self) -> str | None:
        """The callee this span names: `peer.service`, else the database or host it talks to."""
        for key in PEER_ATTRIBUTES:
            value = self.attributes.get(key)
            if value:
                host = str(value).split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
                if key == "db.name" or DB_SYSTEM in self.attributes:
                    system = str(self.attributes.get(DB_SYSTEM, "db")).lower()
                    engine = "postgres" if system in ("postgresql", "postgres") else system
                    return f"{engine}/{host}"
                if key == "peer.service" or "." not in host or ".svc" in host:
                    return host.split(".", 1)[0] if key != "peer.service" else host
                return f"external/{host}"
        return None

    def to_json(self) -> dict[str, Any]:
        return {"trace_id": self.trace_id, "span_id": self.span_id, "parent_id": self.parent_id,
                "service": self.service, "name": self.name, "kind": self.kind, "start": self.start,
                "end": self.end, "duration_s": round(self.duration, 6), "error": self.error,
                "attributes": self.attributes}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TraceSpan:
        return cls(trace_id=data["trace_id"], span_id=data["span_id"], parent_id=data.get("parent_id", ""),
                   service=data.get("service", ""), name=data.get("name", ""), kind=data.get("kind", "internal"),
                   start=float(data["start"]), end=float(data["end"]), error=bool(data.get("error")),
                   attributes=dict(data.get("attributes") or {}))


@dataclass
class Trace:
    trace_id: str
    spans: list[TraceSpan]

    @property
    def root(self) -> TraceSpan | None:
        ids = {span.span_id for span in self.spans}
        roots = [span for span in self.spans if not span.parent_id or span.parent_id not in ids]
        return min(roots, key=lambda span: span.start) if roots else None

    def summary(self) -> dict[str, Any]:
        root = self.root
        return {"trace_id": self.trace_id, "span_count": len(self.spans),
                "root_service": root.service if root else None, "root_name": root.name if root else None,
                "start": root.start if root else None, "duration_s": round(root.duration, 6) if root else None,
                "error": any(span.error for span in self.spans),
                "services": sorted({span.service for span in self.spans})}


def group_traces(spans: Iterable[TraceSpan]) -> list[Trace]:
    by_trace: dict[str, list[TraceSpan]] = defaultdict(list)
    for span in spans:
        by_trace[span.trace_id].append(span)
    return [Trace(trace_id, sorted(found, key=lambda s: (s.start, s.span_id)))
            for trace_id, found in sorted(by_trace.items())]


def covered(intervals: Iterable[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of [start, end] covered by the union of `intervals` (parallel children count once)."""
    total, reached = 0.0, start
    for low, high in sorted((max(a, start), min(b, end)) for a, b in intervals):
        if high <= reached:
            continue
        total += high - max(low, reached)
        reached = high
    return total


def normalise_kind(value: Any) -> str:
    """`SPAN_KIND_CLIENT`, `2` (OTLP enum), `client` -> `client`; unknown -> `internal`."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        index = int(value) - 1
        return SPAN_KINDS[index] if 0 <= index < len(SPAN_KINDS) else "internal"
    text = str(value or "").lower().removeprefix("span_kind_")
    return text if text in SPAN_KINDS else "internal"
