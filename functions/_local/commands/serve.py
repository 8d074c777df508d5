"""`sreo serve`: every function, the local broker, the sweeper and the REST API on one port."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from functions._local.client import stderr
from functions._local.intake_first import IntakeFirst
from functions._platform.config import Settings, get_settings
from functions._platform.telemetry import configure_logging


def write_policy(settings: Settings, host: str) -> tuple[Settings, str | None]:
    """Without SREO_API_TOKENS, writes stay open only on a loopback address (or when SREO_OPEN_WRITES says so)."""
    if settings.token_set:
        return settings, None
    if settings.writes_open(is_loopback(host)):
        return settings, ("SREO_API_TOKENS is not set: write endpoints accept anyone who can reach "
                          f"{host}. Set SREO_API_TOKENS=token1,token2 before exposing this server.")
    return settings.model_copy(update={"open_writes": False}), (
        f"SREO_API_TOKENS is not set and {host} is not a loopback address: every write endpoint answers 401 "
        "until tokens are set (or SREO_OPEN_WRITES=true on a trusted network).")


INTAKE = ("/incidents", "/alerts/", "/events", "/runbooks")


def intake_middleware(app, priority: IntakeFirst) -> None:
    """One log line per intake (an incident, an alert webhook, an event, runbooks): who sent it and the answer.
    While it is in flight, background deliveries yield to it (`priority`)."""
    from functions._platform.telemetry import log

    @app.middleware("http")
    async def intake(request, call_next):
        if request.method != "POST" or not request.url.path.startswith(INTAKE):
            return await call_next(request)
        with priority.intake():
            response = await call_next(request)
        log.info("intake", path=request.url.path, status=response.status_code,
                 client=request.client.host if request.client else None,
                 request_id=response.headers.get("x-request-id"))
        return response


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8080,
    log_json: Annotated[bool, typer.Option("--log-json", help="JSON logs on stderr.")] = False,
) -> None:
    """Run the whole orchestrator in this process (embedded store unless SREO_DATABASE_URL is set)."""
    import uvicorn

    from functions._local.api import create_app
    from functions._local.host import LocalHost

    configure_logging(level="INFO", json_output=log_json)
    settings, warning = write_policy(get_settings(), host)
    if warning:
        stderr.print(f"[bold red]WARNING: {warning}[/]")
    where = settings.database_url and "the database at SREO_DATABASE_URL" or str(settings.home / "sreo.db")
    stderr.print(f"Store: {where}. Listening on http://{host}:{port} (OpenAPI at /docs).")
    local = LocalHost(settings).start()
    try:
        app = create_app(local.runtime, local.broker)
        intake_middleware(app, local.broker.priority)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        local.stop()
