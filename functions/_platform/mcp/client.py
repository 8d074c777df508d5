"""The one MCP client the agents use: in-process, stdio or streamable HTTP, with optional tool renaming."""

from __future__ import annotations

import json
import os
import shlex
from contextlib import AsyncExitStack
from typing import Any, Self

from functions._platform.config import Settings


class ToolCallError(RuntimeError):
    """A tool call failed; `call` is the exact call, for the evidence's `failed_query`."""

    def __init__(self, call: str, message: str):
        super().__init__(f"{call}: {message}")
        self.call = call
        self.message = message


def describe_call(tool: str, arguments: dict[str, Any]) -> str:
    return f"{tool}({json.dumps(arguments, sort_keys=True, default=str)})"


class ToolSession:
    """`async with ToolSession(server_name, settings) as tools: await tools.call("list_pods", {...})`.

    The target is `settings.mcp_targets[server_name]` when set: an `http(s)://` URL of a streamable-HTTP
    server or `stdio:<command line>`; otherwise the project's own server runs in-process.
    `settings.mcp_tool_names[server_name]` maps our tool names to a third-party server's.
    """

    def __init__(self, server_name: str, settings: Settings):
        self.server_name = server_name
        self.settings = settings
        self.tool_names = settings.mcp_tool_names.get(server_name, {})
        self._stack: AsyncExitStack | None = None
        self._client: Any = None

    def _target(self) -> Any:
        target = self.settings.mcp_targets.get(self.server_name)
        if target is None:
            from functions._platform.mcp.registry import build_server

            return build_server(self.server_name, self.settings)
        if target.startswith("stdio:"):
            from mcp import StdioServerParameters

            command, *args = shlex.split(target.removeprefix("stdio:"))
            # the SDK passes only a minimal environment to the child; our settings must reach it
            env = {k: v for k, v in os.environ.items() if k.startswith("SREO_") or k in ("PATH", "HOME", "KUBECONFIG")}
            return StdioServerParameters(command=command, args=args, env=env)
        return target

    async def __aenter__(self) -> Self:
        from mcp import Client

        self._stack = AsyncExitStack()
        self._client = await self._stack.enter_async_context(Client(self._target(), cache=None))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._stack is not None:
            await self._stack.aclose()

    async def list_tools(self) -> list[str]:
        return [tool.name for tool in (await self._client.list_tools()).tools]

    async def call(self, tool: str, arguments: dict[str, Any] | None = None) -> Any:
        arguments = arguments or {}
        call = describe_call(tool, arguments)
        try:
            result = await self._client.call_tool(self.tool_names.get(tool, tool), arguments)
        except Exception as exc:  # transport failures surface as several exception types
            raise ToolCallError(call, f"{type(exc).__name__}: {exc}") from exc
        text = "".join(getattr(part, "text", "") for part in result.content)
        if result.is_error:
            raise ToolCallError(call, text or "tool reported an error")
        if result.structured_content is not None:
            return result.structured_content.get("result", result.structured_content)
        try:
            return json.loads(text) if text else None
        except json.JSONDecodeError:
            return text
