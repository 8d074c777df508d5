"""The SDK's `MCPServer`, constructed without it taking over the process's logging.

On construction `MCPServer` calls `logging.basicConfig(level=INFO)` with a Rich handler whenever the root
logger has none yet. In the local runtime every INFO line of every library (one per HTTP request) and every
traceback would then be rendered by Rich, at a cost of milliseconds per line and seconds per traceback.
Libraries speak up at WARNING here, in plain text, unless the process configured logging first.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

LIBRARY_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def new_server(name: str, instructions: str) -> MCPServer:
    from mcp.server.mcpserver import MCPServer

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format=LIBRARY_LOG_FORMAT, stream=sys.stderr)
    return MCPServer(name, instructions=instructions, log_level="WARNING")


def serve_parser(description: str, port: int) -> argparse.ArgumentParser:
    """The command line of a standalone server: `--transport stdio|http`, and `--host`/`--port` for HTTP."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    return parser


def serve(server: MCPServer, args: argparse.Namespace) -> None:
    """Run `server` over the transport `serve_parser` parsed into `args`."""
    if args.transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=args.host, port=args.port)
