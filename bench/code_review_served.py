"""The code review as the product runs it, for the code review benches: the sources are written to a directory
named in SREO_CODE_REPOS and the code MCP server's `review_code` tool is called over an in-process MCP session,
as the code agent calls it. What comes back is scored as (rule, file, line) of each finding."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession


def reviewed_by_the_product(files: dict[str, str]) -> list[tuple[str, str, int]]:
    """(rule, file, line) of each finding of the code server's `review_code` on `files` (path -> text)."""
    with tempfile.TemporaryDirectory(prefix="sreo-review-") as scratch:
        work = Path(scratch)
        for path, text in files.items():
            (work / "src" / path).parent.mkdir(parents=True, exist_ok=True)
            (work / "src" / path).write_text(text)
        settings = Settings(home=work / "home", code_repos={"app": str(work / "src")})

        async def call() -> dict:
            async with ToolSession("code", settings) as tools:
                return await tools.call("review_code", {"service": "app"})

        return [(f["evidence"]["rule"], f["evidence"]["file"], f["evidence"]["line"])
                for f in asyncio.run(call())["findings"]]
