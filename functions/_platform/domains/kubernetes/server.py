"""MCP server `kubernetes`: read-only listings, container logs and rollout history. Secrets are never served.

Run over stdio with `python -m functions._platform.domains.kubernetes.server` (reads SREO_* settings).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from functions._platform.config import Settings, get_settings
from functions._platform.domains.kubernetes.source import (
    ConfigMapsNotWatched,
    KubeProvider,
    LogsUnavailable,
    SecretsRefused,
    UnknownKind,
    open_provider,
)
from functions._platform.domains.kubernetes.source.rollout import REVISION, rollout_history
from functions._platform.domains.kubernetes.tools import LIST_TOOLS, Listing
from functions._platform.mcp.servers.reuse import PerSession, reused
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser

MAX_ITEMS = 2000
MAX_LOG_LINES = 2000
READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)


def _snapshot_stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, mtime and size of the snapshot's JSON files: the provider is reloaded when they change."""
    files = [path] if path.is_file() else sorted(path.glob("*.json")) if path.is_dir() else []
    stamps = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        stamps.append((file.name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class _ProviderHolder:
    """The provider of a server: the live API client, or the snapshot, checked for changes once per session."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._provider: KubeProvider | None = None
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._lock = threading.Lock()
        self._per_session = PerSession(self._snapshot)

    def _live(self) -> KubeProvider:
        with self._lock:
            if self._provider is None:
                self._provider = open_provider(self.settings)
            return self._provider

    def _snapshot(self) -> KubeProvider:
        stamp = _snapshot_stamp(Path(self.settings.kube_snapshot)) if self.settings.kube_snapshot else None
        with self._lock:
            if self._provider is None or stamp != self._stamp:
                self._provider = open_provider(self.settings)
                self._stamp = stamp
            return self._provider

    async def run(self, work: Callable[[KubeProvider], Any]) -> Any:
        try:
            if self.settings.kube_live:  # the API client blocks on the network
                return await anyio.to_thread.run_sync(lambda: work(self._live()))
            return work(self._per_session.get())  # in memory: a thread hop would cost more than the lookup
        except (SecretsRefused, ConfigMapsNotWatched, UnknownKind, LogsUnavailable, LookupError, ValueError,
                RuntimeError, OSError) as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # the kubernetes client's ApiException and transport errors
            status = getattr(exc, "status", None)
            reason = getattr(exc, "reason", None) or exc
            raise ToolError(f"kubernetes API error{f' {status}' if status else ''}: {reason}") from exc


def _list_tool(holder: _ProviderHolder, kind: str) -> Callable[..., Awaitable[list[dict[str, Any]]]]:
    async def list_objects(namespace: str | None = None, label_selector: str | None = None,
                           limit: int = 500) -> list[dict[str, Any]]:
        items = await holder.run(lambda provider: provider.list(kind, namespace or None, label_selector or None))
        return items[: max(1, min(limit, MAX_ITEMS))]

    return list_objects


def _scope(listing: Listing) -> str:
    if listing.cluster_scoped:
        return "(cluster-scoped)"
    if listing.per_namespace:
        return "in `namespace` (when omitted: the watched namespaces on the live API, all in a snapshot)"
    return "in `namespace` (all namespaces when omitted)"


def build(settings: Settings) -> MCPServer:
    """The server for `settings`; with a snapshot (read-only files, reloaded when they change) one built
    server is kept and shared by every session. The live API gets a new server and client per session."""
    if settings.kube_live:
        return _build(settings)
    return reused("kubernetes", settings, _build)


def _build(settings: Settings) -> MCPServer:
    server = new_server("kubernetes", "Read-only Kubernetes state: objects, events, logs, rollouts.")
    holder = _ProviderHolder(settings)

    for tool_name, listing in LIST_TOOLS.items():  # every tool takes `namespace` (None = all) and `label_selector`
        server.add_tool(
            _list_tool(holder, listing.kind), name=tool_name, annotations=READ_ONLY,
            description=f"List {listing.kind} {_scope(listing)} as Kubernetes JSON objects, optionally filtered "
                        "by a label selector.",
        )

    @server.tool(annotations=READ_ONLY)
    async def get_logs(namespace: str, pod: str, container: str | None = None, previous: bool = False,
                       tail_lines: int = 500, timestamps: bool = False) -> dict[str, Any]:
        """Container log text of a pod; `previous` gives the log of the last terminated instance."""
        lines = max(1, min(tail_lines, MAX_LOG_LINES))
        text = await holder.run(lambda provider: provider.logs(
            namespace, pod, container or None, previous=previous, tail_lines=lines, timestamps=timestamps))
        return {"namespace": namespace, "pod": pod, "container": container, "previous": previous, "log": text}

    @server.tool(annotations=READ_ONLY)
    async def get_rollout_history(namespace: str, deployment: str) -> dict[str, Any]:
        """Revisions of a Deployment from its ReplicaSets: revision, creation time, images, config refs."""
        def history(provider: KubeProvider) -> dict[str, Any]:
            found = [d for d in provider.list("deployments", namespace)
                     if (d.get("metadata") or {}).get("name") == deployment]
            if not found:
                raise LookupError(f"deployment {namespace}/{deployment} not found")
            current = ((found[0].get("metadata") or {}).get("annotations") or {}).get(REVISION)
            return {"namespace": namespace, "deployment": deployment, "current_revision": current,
                    "revisions": rollout_history(deployment, provider.list("replicasets", namespace))}

        return await holder.run(history)

    return server


def main(argv: list[str] | None = None) -> None:
    parser = serve_parser(__doc__.splitlines()[0], 8765)
    args = parser.parse_args(argv)
    server = build(get_settings())
    serve(server, args)


if __name__ == "__main__":
    main()
