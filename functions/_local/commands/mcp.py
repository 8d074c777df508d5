"""`sreo mcp serve [NAME]`: the orchestrator's own tools, or one evidence server, over stdio or streamable HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from functions._platform.config import get_settings
from functions._platform.mcp.registry import SERVERS, build_server

app = typer.Typer(help="MCP servers for AI assistants and for the agents.", no_args_is_help=True)
ORCHESTRATOR = "orchestrator"


@app.command("serve")
def serve(
    name: Annotated[str, typer.Argument(
        help=f"`{ORCHESTRATOR}` (incidents, reports, threats, runbooks) or an evidence server: "
             f"{', '.join(sorted(SERVERS))}.")] = ORCHESTRATOR,
    transport: Annotated[str, typer.Option(help="stdio or http (streamable HTTP at http://HOST:PORT/mcp).")] = "stdio",
    host: Annotated[str, typer.Option(help="Bind address for http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for http.")] = 8765,
) -> None:
    """Serve one MCP server until stopped."""
    if name != ORCHESTRATOR and name not in SERVERS:
        typer.echo(f"error: unknown MCP server {name!r}; choose {ORCHESTRATOR} or one of "
                   f"{', '.join(sorted(SERVERS))}", err=True)
        raise typer.Exit(2)
    if transport not in ("stdio", "http"):
        typer.echo("error: --transport must be stdio or http", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    if name == ORCHESTRATOR:
        from functions._local.commands.serve import is_loopback, write_policy
        from functions._local.host import LocalHost
        from functions._local.mcp_server import build

        local_client = transport == "stdio" or is_loopback(host)
        if not local_client:
            settings, _ = write_policy(settings, host)
            typer.echo(f"warning: MCP over http on {host}: the operator's token is not lent to remote clients, so "
                       "report_incident is refused (SREO_OPEN_WRITES=true opens it while SREO_API_TOKENS is unset)",
                       err=True)
        local = LocalHost(settings).start()
        server = build(local.runtime, local_client=local_client, transport=transport)
    else:
        local, server = None, build_server(name, settings)
    try:
        if transport == "stdio":
            server.run("stdio")
        else:
            server.run("streamable-http", host=host, port=port)
    finally:
        if local is not None:
            local.stop()
