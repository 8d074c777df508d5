"""The offline provider: OTLP/JSON (or Jaeger JSON) export files, parsed once per content."""

from __future__ import annotations

import threading
from pathlib import Path

from functions._platform.domains.traces.source.formats import parse_document
from functions._platform.domains.traces.source.models import Trace, TraceSpan, TracesSourceError, group_traces
from functions._platform.domains.traces.source.provider import DEFAULT_LIMIT

_lock = threading.Lock()
_parsed: dict[tuple[str, int, int], list[TraceSpan]] = {}


def read_spans(path: Path) -> list[TraceSpan]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise TracesSourceError(f"{path}: {exc.strerror or exc}") from exc
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if key in _parsed:
            return _parsed[key]
    try:
        spans = parse_document(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise TracesSourceError(f"{path}: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise TracesSourceError(f"{path}: malformed span: {type(exc).__name__}: {exc}") from exc
    with _lock:
        _parsed[key] = spans
    return spans


class OfflineTracesProvider:
    def __init__(self, paths: list[Path]):
        if not paths:
            raise TracesSourceError("no trace files matched")
        self.paths = paths
        self.description = "files: " + ", ".join(str(p) for p in paths[:5]) + (" ..." if len(paths) > 5 else "")
        self._traces = group_traces(span for path in paths for span in read_spans(path))
        self._by_id = {trace.trace_id: trace for trace in self._traces}

    async def search(self, service: str | None, start: float, end: float, limit: int = DEFAULT_LIMIT
                     ) -> list[Trace]:
        found = []
        for trace in self._traces:
            root = trace.root
            if root is None or not start <= root.start <= end:
                continue
            if service and all(span.service != service for span in trace.spans):
                continue
            found.append(trace)
        return sorted(found, key=lambda t: t.root.start if t.root else 0.0)[:limit]

    async def trace(self, trace_id: str) -> Trace | None:
        return self._by_id.get(trace_id.lower())

    async def services(self, start: float, end: float) -> list[str]:
        return sorted({span.service for trace in self._traces for span in trace.spans
                       if span.start <= end and span.end >= start})

    async def aclose(self) -> None:
        return None
