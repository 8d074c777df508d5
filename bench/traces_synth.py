"""Simulated traffic through a topology, with one fault from a given time on, written as OTLP/JSON.

Every request walks the topology: a server span per traced service (its own work split around its calls), a
client span per call (retried after a failure when the caller retries, cut short when the caller's timeout
passes while the callee keeps working), producer spans whose consumers run later in the same trace. Noise on
top: log-normal jitter, rare pauses (GC, a cold cache) on any span, a noisy neighbour failing some of its
requests since before the fault, per-service clock skew, spans lost on the way to the collector, and requests
whose parent span (an ingress) was never exported. The output is what the OpenTelemetry Collector's file exporter
writes: one `ExportTraceServiceRequest` per line (`resourceSpans` / `scopeSpans` / `spans`).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.traces_topologies import Call, Dependency, Topology

KIND = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}
NET_MS = 0.4  # one way, median
BATCH_S = 10.0  # the exporter's batch interval


@dataclass(frozen=True)
class Fault:
    kind: str  # self_latency | slow_downstream | edge_errors | slow_dependency | retry_storm
    target: str  # a service, or a dependency (its key in the topology, or its name: all calls to that component)
    caller: str | None = None  # edge_errors: only this caller's calls fail
    added_ms: float = 0.0  # self_latency, slow_downstream, slow_dependency
    share: float = 0.0  # edge_errors, retry_storm: share of calls that fail
    refused: bool = False  # edge_errors: the callee never answers (no server span), the client span fails fast


@dataclass(frozen=True)
class Noise:
    jitter: float = 0.3  # sigma of the log-normal factor on every duration
    pause_share: float = 0.004  # spans that stall 5-20x
    drop_share: float = 0.02  # spans lost before the collector
    skew_s: dict[str, float] = field(default_factory=dict)  # per service clock offset
    neighbour: str | None = None  # a service failing some requests since `neighbour_from`
    neighbour_share: float = 0.0
    neighbour_from: float = 0.0


@dataclass
class Span:
    trace_id: str
    span_id: str
    parent_id: str
    service: str
    name: str
    kind: str
    start: float
    end: float
    error: str = ""  # the status message of a failed span
    attributes: dict[str, object] = field(default_factory=dict)


class Simulator:
    def __init__(self, topology: Topology, fault: Fault, fault_at: float, noise: Noise, rng: random.Random):
        self.topology, self.fault, self.fault_at, self.noise, self.rng = topology, fault, fault_at, noise, rng
        self.spans: list[Span] = []

    def ms(self, median: float, sigma: float | None = None) -> float:
        """Seconds: a log-normal draw around `median` milliseconds."""
        return median / 1000 * math.exp(self.rng.gauss(0, self.noise.jitter if sigma is None else sigma))

    def new_id(self, bits: int = 64) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}x}"

    def request(self, at: float) -> None:
        trace_id = self.new_id(128)
        parent = self.new_id() if self.rng.random() < self.topology.untraced_parent else ""
        roll, target = self.rng.random(), self.topology.entries[-1][0]
        for entry, share in self.topology.entries:
            roll -= share
            if roll < 0:
                target = entry
                break
        self.serve(trace_id, target, at, parent, caller=None)

    def serve(self, trace_id: str, target: str, start: float, parent: str, caller: str | None,
              kind: str = "server") -> tuple[float, bool]:
        service, op_name, op = self.topology.operation(target)
        fault, during = self.fault, start >= self.fault_at
        own = self.ms(op.self_ms)
        failure = ""
        if during and fault.target == service:
            if fault.kind in ("self_latency", "slow_downstream"):
                own += self.ms(fault.added_ms, 0.4)
            elif fault.kind == "retry_storm":
                own *= 1 + 4 * fault.share  # retried calls pile onto it
                if self.rng.random() < fault.share:
                    failure, own = "RESOURCE_EXHAUSTED: too many concurrent requests", own * 0.4
            elif fault.kind == "edge_errors" and caller == fault.caller and self.rng.random() < fault.share:
                failure, own = "INTERNAL: unexpected field in request", own * 0.5
        if (service == self.noise.neighbour and start >= self.noise.neighbour_from
                and self.rng.random() < self.noise.neighbour_share):
            failure = failure or "UNAVAILABLE: upstream connect error"
        if self.rng.random() < self.noise.pause_share:
            own *= self.rng.uniform(5, 20)
        span_id = self.new_id()
        cursor = start + own * 0.35
        failed = bool(failure)
        if not failed:
            cursor, failed_call = self.calls(trace_id, service, span_id, op.calls, cursor)
            failure = failed_call
        end = cursor + own * 0.65
        self.spans.append(Span(trace_id, span_id, parent, service, op_name, kind, start, end, failure,
                               {"rpc.system": "grpc", "rpc.method": op_name} if kind == "server" else
                               {"messaging.operation": "process"}))
        return end, bool(failure)

    def calls(self, trace_id: str, service: str, parent: str, calls: tuple[Call, ...], start: float
              ) -> tuple[float, str]:
        """Run the calls in order (a parallel call with the one before it); the end and why the request failed."""
        cursor, group_start, group_end = start, start, start
        for call in calls:
            for _ in range(call.repeat):
                if self.rng.random() >= call.p:
                    continue
                if call.parallel:
                    begin = group_start
                else:
                    cursor = max(cursor, group_end)
                    begin = group_start = cursor
                end, failed = self.call(trace_id, service, parent, call, begin + self.ms(0.05))
                group_end = max(group_end, end)
                if failed and call.critical:
                    return max(group_end, cursor), f"call to {call.to.split(':')[0]} failed"
        return max(cursor, group_end), ""

    def call(self, trace_id: str, service: str, parent: str, call: Call, start: float) -> tuple[float, bool]:
        at = start
        for attempt in range(call.retries + 1):
            end, failed = self.attempt(trace_id, service, parent, call, at)
            if not failed:
                return end, False
            at = end + self.ms(20 * 2 ** attempt)
        return end, True

    def attempt(self, trace_id: str, service: str, parent: str, call: Call, start: float) -> tuple[float, bool]:
        span_id = self.new_id()
        dependency = self.topology.dependencies.get(call.to)
        if dependency is not None:
            return self.dependency_call(trace_id, service, parent, span_id, call, dependency, start)
        callee, _, method = call.to.partition(":")
        fault = self.fault
        attributes = {"rpc.system": "grpc", "rpc.service": callee, "rpc.method": method,
                      "server.address": callee, "server.port": 8080}
        if (fault.kind == "edge_errors" and fault.refused and fault.target == callee and fault.caller == service
                and start >= self.fault_at and self.rng.random() < fault.share):
            end, error = start + self.ms(1.0), "UNAVAILABLE: connection refused"
        else:
            net = self.ms(NET_MS)
            server_end, failed = self.serve(trace_id, call.to, start + net, span_id, caller=service)
            end, error = server_end + self.ms(NET_MS), "call failed" if failed else ""
        if call.timeout_ms is not None and end - start > call.timeout_ms / 1000:
            end, error = start + call.timeout_ms / 1000, "DEADLINE_EXCEEDED"
        self.spans.append(Span(trace_id, span_id, parent, service, f"{callee}/{method}", "client", start, end,
                               error, attributes))
        return end, bool(error)

    def dependency_call(self, trace_id: str, service: str, parent: str, span_id: str, call: Call,
                        dependency: Dependency, start: float) -> tuple[float, bool]:
        fault, during = self.fault, start >= self.fault_at
        took, error = self.ms(dependency.latency_ms), ""
        if during and fault.target in (call.to, dependency.name):
            if fault.kind == "slow_dependency":
                took += self.ms(fault.added_ms, 0.6)
            elif (fault.kind == "edge_errors" and fault.caller in (None, service)
                  and self.rng.random() < fault.share):
                took, error = took * 0.5, "503 Service Unavailable"
        if self.rng.random() < self.noise.pause_share:
            took *= self.rng.uniform(5, 20)
        end = start + took
        if call.timeout_ms is not None and took > call.timeout_ms / 1000:
            end, error = start + call.timeout_ms / 1000, "timeout"
        self.spans.append(Span(trace_id, span_id, parent, service, dependency.span, dependency.kind, start, end,
                               error, dict(dependency.attributes)))
        if dependency.consumer and not error:
            lag = self.ms(15, 0.8)
            self.serve(trace_id, dependency.consumer, end + lag, span_id, caller=None, kind="consumer")
        return end, bool(error)


def simulate(topology: Topology, fault: Fault, noise: Noise, start: float, fault_at: float, end: float,
             rng: random.Random) -> list[Span]:
    """Every span of the requests that arrive in [start, end) (a Poisson stream at the topology's rate)."""
    simulator = Simulator(topology, fault, fault_at, noise, rng)
    at = start + rng.expovariate(topology.rate)
    while at < end:
        simulator.request(at)
        at += rng.expovariate(topology.rate)
    return [span for span in simulator.spans if span.end <= end]


def otlp_value(value: object) -> dict[str, object]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    return {"stringValue": str(value)}


def otlp_span(span: Span, skew: float) -> dict[str, object]:
    start, end = int((span.start + skew) * 1e9), int((span.end + skew) * 1e9)
    out: dict[str, object] = {
        "traceId": span.trace_id, "spanId": span.span_id, "name": span.name, "kind": KIND[span.kind],
        "startTimeUnixNano": str(start), "endTimeUnixNano": str(end),
        "attributes": [{"key": k, "value": otlp_value(v)} for k, v in span.attributes.items()],
        "status": {"code": 2, "message": span.error} if span.error else {},
    }
    if span.parent_id:
        out["parentSpanId"] = span.parent_id
    if span.error:
        out["events"] = [{"timeUnixNano": str(end), "name": "exception", "attributes": [
            {"key": "exception.message", "value": {"stringValue": span.error}}]}]
    return out


def resource(service: str, namespace: str) -> dict[str, object]:
    pairs = {"service.name": service, "service.namespace": namespace, "k8s.namespace.name": namespace,
             "k8s.pod.name": f"{service}-7d9c8b6f5-x2k4q", "telemetry.sdk.language": "go",
             "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.version": "1.28.0"}
    return {"attributes": [{"key": k, "value": {"stringValue": v}} for k, v in pairs.items()]}


def write_otlp(spans: list[Span], noise: Noise, path: Path, rng: random.Random, namespace: str = "shop") -> int:
    """JSON lines of the collector's file exporter: spans batched by when they ended, grouped by service. Lost
    spans are left out; each service's spans carry its clock skew. Returns the spans written."""
    batches: dict[int, dict[str, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    written = 0
    for span in sorted(spans, key=lambda s: s.end):
        if rng.random() < noise.drop_share:
            continue
        batches[int(span.end // BATCH_S)][span.service].append(otlp_span(span, noise.skew_s.get(span.service, 0.0)))
        written += 1
    with path.open("w", encoding="utf-8") as handle:
        for batch in (batches[key] for key in sorted(batches)):
            request = {"resourceSpans": [
                {"resource": resource(service, namespace),
                 "scopeSpans": [{"scope": {"name": "go.opentelemetry.io/contrib/instrumentation/grpc/otelgrpc",
                                           "version": "0.53.0"}, "spans": found}]}
                for service, found in sorted(batch.items())]}
            handle.write(json.dumps(request, separators=(",", ":")) + "\n")
    return written
