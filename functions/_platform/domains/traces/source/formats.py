"""Spans from the two wire shapes: OTLP/JSON (`resourceSpans` / `scopeSpans` / `spans`, as files, Tempo and the
OpenTelemetry collector write it) and Jaeger's query API JSON (`data[].spans` with `processes` and `references`)."""

from __future__ import annotations

import base64
import binascii
import json
import string
from typing import Any

from functions._platform.domains.traces.source.models import TraceSpan, TracesSourceError, normalise_kind

HEX = frozenset(string.hexdigits)
STATUS_ERROR = (2, "2", "STATUS_CODE_ERROR", "ERROR")


def span_id(value: Any) -> str:
    """Hex as OTLP/JSON writes ids; Tempo's protobuf-JSON base64 ids are decoded to hex."""
    text = str(value or "")
    if not text or set(text) <= HEX:
        return text.lower()
    try:
        return base64.b64decode(text, validate=True).hex()
    except (binascii.Error, ValueError):
        return text


def attribute_value(value: dict[str, Any]) -> Any:
    """The Python value of an OTLP `AnyValue` (`{"stringValue": ...}`, `{"intValue": "3"}`, ...)."""
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return int(value["intValue"])
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "arrayValue" in value:
        return [attribute_value(v) for v in value["arrayValue"].get("values", [])]
    if "kvlistValue" in value:
        return attributes(value["kvlistValue"].get("values", []))
    return None


def attributes(pairs: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {pair["key"]: attribute_value(pair.get("value") or {}) for pair in pairs or [] if "key" in pair}


def _seconds(nanos: Any) -> float:
    return int(nanos or 0) / 1e9


def otlp_spans(document: dict[str, Any]) -> list[TraceSpan]:
    """Spans of an OTLP/JSON export (`resourceSpans`), Tempo's v1 (`batches`) or v2 (`trace`) trace answer."""
    if "trace" in document and isinstance(document["trace"], dict):
        document = document["trace"]
    spans: list[TraceSpan] = []
    for resource_spans in document.get("resourceSpans") or document.get("batches") or []:
        resource = attributes((resource_spans.get("resource") or {}).get("attributes"))
        service = str(resource.get("service.name", "unknown"))
        scopes = resource_spans.get("scopeSpans") or resource_spans.get("instrumentationLibrarySpans") or []
        for scope in scopes:
            for raw in scope.get("spans") or []:
                status = raw.get("status") or {}
                spans.append(TraceSpan(
                    trace_id=span_id(raw.get("traceId")), span_id=span_id(raw.get("spanId")),
                    parent_id=span_id(raw.get("parentSpanId")), service=service, name=str(raw.get("name", "")),
                    kind=normalise_kind(raw.get("kind")), start=_seconds(raw.get("startTimeUnixNano")),
                    end=_seconds(raw.get("endTimeUnixNano")), error=status.get("code") in STATUS_ERROR,
                    attributes=attributes(raw.get("attributes"))))
    return spans


def _tags(tags: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {tag["key"]: tag.get("value") for tag in tags or [] if "key" in tag}


def jaeger_spans(document: dict[str, Any]) -> list[TraceSpan]:
    """Spans of a Jaeger query API answer (`{"data": [trace, ...]}`) or of one Jaeger trace."""
    traces = document.get("data") if "data" in document else [document]
    spans: list[TraceSpan] = []
    for trace in traces or []:
        processes = trace.get("processes") or {}
        for raw in trace.get("spans") or []:
            tags = _tags(raw.get("tags"))
            process = processes.get(raw.get("processID")) or raw.get("process") or {}
            parent = next((ref.get("spanID") for ref in raw.get("references") or []
                           if ref.get("refType", "CHILD_OF") == "CHILD_OF"), raw.get("parentSpanID", ""))
            start = int(raw.get("startTime", 0)) / 1e6
            error = tags.get("error") in (True, "true") or str(tags.get("otel.status_code", "")).upper() == "ERROR"
            spans.append(TraceSpan(
                trace_id=span_id(raw.get("traceID")), span_id=span_id(raw.get("spanID")), parent_id=span_id(parent),
                service=str(process.get("serviceName", "unknown")), name=str(raw.get("operationName", "")),
                kind=normalise_kind(tags.pop("span.kind", "internal")), start=start,
                end=start + int(raw.get("duration", 0)) / 1e6, error=error, attributes=tags))
    return spans


def parse_document(text: str, where: str) -> list[TraceSpan]:
    """Spans of one file's text: a JSON document or JSON lines (one export request per line), OTLP or Jaeger."""
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise TracesSourceError(f"{where}: not OTLP/JSON or Jaeger JSON: {exc}") from exc
    spans: list[TraceSpan] = []
    for document in documents:
        if not isinstance(document, dict):
            raise TracesSourceError(f"{where}: expected a JSON object with resourceSpans or data")
        jaeger = "data" in document or ("spans" in document and "processes" in document)
        spans.extend(jaeger_spans(document) if jaeger else otlp_spans(document))
    return spans
