"""`sreo mcp serve NAME`: the project's MCP servers over stdio or streamable HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from functions._platform.config import get_settings
from functions._platform.mcp.registry import SERVERS, build_server

app = typer.Typer(help="MCP servers for agents and AI assistants.", no_args_is_help=True)


@app.command("serve")
def serve(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(sorted(SERVERS))}.")],
    transport: Annotated[str, typer.Option(help="stdio or http (streamable HTTP).")] = "stdio",
    host: Annotated[str, typer.Option(help="Bind address for http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for http.")] = 8765,
) -> None:
    """Serve one MCP server. Over http the endpoint is http://HOST:PORT/mcp."""
    if name not in SERVERS:
        typer.echo(f"error: unknown MCP server {name!r}; choose from {', '.join(sorted(SERVERS))}", err=True)
        raise typer.Exit(2)
    if transport not in ("stdio", "http"):
        typer.echo("error: --transport must be stdio or http", err=True)
        raise typer.Exit(2)
    server = build_server(name, get_settings())
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
