"""`sreo serve`: every function, the local broker, the sweeper and the REST API on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from functions._local.client import stderr
from functions._platform.config import get_settings
from functions._platform.telemetry import configure_logging


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
    settings = get_settings()
    if not settings.token_set:
        stderr.print("[bold red]WARNING: SREO_API_TOKENS is not set: write endpoints accept anyone. "
                     "Set SREO_API_TOKENS=token1,token2 before exposing this server.[/]")
    where = settings.database_url and "the database at SREO_DATABASE_URL" or str(settings.home / "sreo.db")
    stderr.print(f"Store: {where}. Listening on http://{host}:{port} (OpenAPI at /docs).")
    local = LocalHost(settings).start()
    try:
        uvicorn.run(create_app(local.runtime, local.broker), host=host, port=port, log_level="warning")
    finally:
        local.stop()
