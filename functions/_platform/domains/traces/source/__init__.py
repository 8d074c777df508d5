"""Traces source: live Tempo or Jaeger, or offline OTLP/JSON files, behind `TracesProvider`."""

from functions._platform.domains.traces.source.models import Trace, TraceSpan, TracesSourceError, group_traces
from functions._platform.domains.traces.source.provider import (
    TracesProvider,
    open_traces_provider,
    traces_configured,
)

__all__ = ["Trace", "TraceSpan", "TracesProvider", "TracesSourceError", "group_traces", "open_traces_provider",
           "traces_configured"]
