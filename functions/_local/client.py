"""How CLI commands reach the orchestrator: a running `sreo serve` (--url / SREO_URL), or, when none is named,
the whole pipeline in this process on the embedded store, through the same REST API."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from rich.console import Console
from rich.markup import escape

from functions._platform.config import get_settings

stderr = Console(stderr=True)


class ApiClient:
    def __init__(self, http: Any, in_process: bool):
        self.http = http
        self.in_process = in_process

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def wait_for_report(self, incident_id: str, timeout_s: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout_s
        with stderr.status(f"Investigating {incident_id}…") as status:
            while time.monotonic() < deadline:
                incident = self.request("GET", f"/incidents/{incident_id}").json()
                status.update(f"Investigating {incident_id}: {incident.get('status', '?')}")
                if incident.get("reported_at"):  # reported, or reported and since resolved
                    return self.request("GET", f"/incidents/{incident_id}/report").json()
                time.sleep(0.2)
        return None


@contextmanager
def connect(url: str | None, token: str | None) -> Iterator[ApiClient]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if url:
        with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
            try:
                http.get("/healthz")
            except httpx.HTTPError as exc:
                stderr.print(f"[red]error:[/] cannot reach the orchestrator at {url}: {exc}")
                sys.exit(3)
            yield ApiClient(http, in_process=False)
        return
    from fastapi.testclient import TestClient

    from functions._local.api import create_app
    from functions._local.host import LocalHost

    settings = get_settings()
    host = LocalHost(settings).start()
    token = token or next(iter(settings.token_set), None)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with TestClient(create_app(host.runtime, host.broker), headers=headers, client=_local_caller()) as http:
            yield ApiClient(http, in_process=True)
    finally:
        host.stop()


def _local_caller() -> tuple[str, int]:
    """In-process calls have no network peer: the audit trail names the local user and host instead."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"local:{user}@{socket.gethostname()}", 0


def fail_on_error(response: httpx.Response) -> dict[str, Any]:
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    if response.status_code >= 400:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        stderr.print(f"[red]error {response.status_code}:[/] {escape(error_line(error, response.text))}", soft_wrap=True,
                     markup=True, highlight=False)
        sys.exit(1 if response.status_code < 500 else 3)
    return body


def error_line(error: dict[str, Any], fallback: str) -> str:
    """An API error as one readable line: the message, then each invalid field as `field: why`."""
    message = str(error.get("message") or fallback[:500]).strip()
    details = error.get("details") or []
    if isinstance(details, dict):
        details = [details]
    parts = []
    for detail in details:
        if isinstance(detail, dict) and "msg" in detail:
            where = ".".join(str(p) for p in detail.get("loc", []) if p not in ("body",))
            parts.append(f"{where}: {detail['msg']}" if where else str(detail["msg"]))
        else:
            parts.append(str(detail))
    return f"{message.rstrip('.:')}: {'; '.join(parts)}" if parts else message
