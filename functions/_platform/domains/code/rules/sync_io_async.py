"""sync_io_in_async: blocking calls (`requests`, `time.sleep`, `open`, `urlopen`, `subprocess`) inside an
`async def` (not in a plain `def` nested in it, which may run anywhere), by whatever name they were
imported under, which stall the event loop and every request on it. Fixes: `await asyncio.sleep`, `await
asyncio.to_thread(...)` for requests/urlopen/subprocess; `open` gets a written suggestion."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    imported_names,
    issue,
    node_edit,
    own_nodes,
    qualified_name,
    source,
)

THREADABLE = {"requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
              "requests.request", "requests.head", "urllib.request.urlopen", "urlopen", "subprocess.run",
              "subprocess.check_output", "subprocess.call", "psycopg2.connect", "sqlite3.connect"}


class SyncIoInAsync:
    name = "sync_io_in_async"
    category = "performance"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found, imported = [], imported_names(module.tree)
        for func in ast.walk(module.tree) if module.tree else ():
            if not isinstance(func, ast.AsyncFunctionDef):
                continue
            body = list(own_nodes(func))
            awaited = {id(n.value) for n in body if isinstance(n, ast.Await)}
            for call in body:
                if not isinstance(call, ast.Call) or id(call) in awaited:
                    continue
                name = qualified_name(call, imported)
                fix = None
                if name == "time.sleep":
                    fix = Fix("Use await asyncio.sleep().", "low", [node_edit(
                        module, call, f"await asyncio.sleep({', '.join(source(module, a) for a in call.args)})")],
                        ["import asyncio"])
                elif name in THREADABLE:
                    arguments = [source(module, a) for a in call.args] + [source(module, k) for k in call.keywords]
                    fix = Fix("Run the blocking call in a worker thread, or use an async client (httpx.AsyncClient).",
                              "low", [node_edit(module, call, "await asyncio.to_thread("
                                                + ", ".join([source(module, call.func), *arguments]) + ")")],
                              ["import asyncio"])
                elif name == "open":
                    fix = Fix("Read the file in a worker thread (asyncio.to_thread) or with an async file library.",
                              "low")
                if fix is not None:
                    hit = issue(self, module, call, "medium", f"{name}() blocks the event loop inside async "
                                f"{func.name}()", None)
                    hit.fix = fix
                    found.append(hit)
        return found
