"""The one interface over traces backends, and the factory that picks one from settings."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any, Protocol

from functions._platform.domains.traces.source.models import Trace

DEFAULT_LIMIT = 500  # traces per search


class TracesProvider(Protocol):
    description: str

    async def search(self, service: str | None, start: float, end: float, limit: int = DEFAULT_LIMIT
                     ) -> list[Trace]:
        """Whole traces that started in [start, end] (unix seconds) and touch `service` (any when None)."""

    async def trace(self, trace_id: str) -> Trace | None:
        """One trace by id, or None when the backend does not know it."""

    async def services(self, start: float, end: float) -> list[str]:
        """Sorted service names seen in [start, end] (a live backend may answer for its own retention)."""

    async def aclose(self) -> None:
        """Release connections."""


def traces_configured(settings: Any) -> bool:
    return bool(getattr(settings, "tempo_url", None) or getattr(settings, "jaeger_url", None)
                or getattr(settings, "traces_files", None))


def trace_file_paths(files: str | None) -> list[Path]:
    """Comma-separated paths or globs, expanded and sorted; a path matching nothing is kept (reported on read)."""
    paths: list[Path] = []
    for part in (files or "").split(","):
        part = str(Path(part.strip()).expanduser()) if part.strip() else ""
        if not part:
            continue
        matched = sorted(glob.glob(part, recursive=True)) if glob.has_magic(part) else [part]
        paths.extend(Path(p) for p in matched if not Path(p).is_dir())
        paths.extend(sorted(p for p in Path(part).glob("*.json*")) if Path(part).is_dir() else [])
    return paths


def open_traces_provider(settings: Any) -> TracesProvider | None:
    """Tempo when `tempo_url` is set, else Jaeger at `jaeger_url`, else the OTLP/JSON files, else None."""
    token = getattr(settings, "traces_token", None)
    if getattr(settings, "tempo_url", None):
        from functions._platform.domains.traces.source.live import TempoProvider

        return TempoProvider(settings.tempo_url, token=token, tenant=getattr(settings, "tempo_tenant", None))
    if getattr(settings, "jaeger_url", None):
        from functions._platform.domains.traces.source.live import JaegerProvider

        return JaegerProvider(settings.jaeger_url, token=token)
    if getattr(settings, "traces_files", None):
        from functions._platform.domains.traces.source.files import OfflineTracesProvider

        return OfflineTracesProvider(trace_file_paths(settings.traces_files))
    return None
