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
    """Comma-separated files, directories (their `*.json*` files) or globs, expanded and sorted; a path that
    does not exist is kept, so reading it says so."""
    paths: list[Path] = []
    for part in (p.strip() for p in (files or "").split(",")):
        if not part:
            continue
        where = Path(part).expanduser()
        matched = [Path(p) for p in sorted(glob.glob(str(where), recursive=True))] if glob.has_magic(part) else [where]
        for path in matched:
            paths.extend(sorted(path.glob("*.json*")) if path.is_dir() else [path])
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
