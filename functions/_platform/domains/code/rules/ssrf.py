"""ssrf (CWE-918): an outgoing request (requests, httpx, urllib, urllib3, aiohttp; module functions or a client
they make) to a URL that comes from the request (a route or MCP tool handler's parameters, Flask/Django/Starlette
request data) with the host left to the caller. Not flagged: a URL whose scheme and host are fixed in the
source and only its path or query carries the value (`f"https://api.example/items/{item}"`,
`f"{BASE}/items/{item}"`), and a function that checks the URL against an allow-list (a parsed URL's host or
netloc compared with `in`/`==`, the URL looked up in a collection, `startswith` a fixed `scheme://host/`). No
mechanical fix: the suggestion is an allow-list of hosts."""

from __future__ import annotations

import ast
import re

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    call_name,
    functions,
    imported_names,
    issue,
    last_attr,
    qualified_name,
)
from functions._platform.domains.code.rules.injection import enclosing_func
from functions._platform.domains.code.rules.path_traversal import Taint, handler_params, is_handler

HTTP_MODULES = ("requests", "httpx", "urllib.request", "urllib3", "aiohttp")
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "urlopen",
                   "Request", "urlretrieve"})
CLIENT_FACTORIES = frozenset({"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient",
                              "aiohttp.ClientSession", "urllib3.PoolManager", "urllib.request.build_opener"})
CLIENT_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "open",
                          "urlopen"})
HOST_PARTS = ("hostname", "netloc", "host")
FIXED_HOST = re.compile(r"^([a-z][a-z0-9+.-]*://[^/?#{]+|\x00)[/?#]", re.IGNORECASE)


def clients(tree: ast.Module, names: dict[str, str]) -> set[str]:
    """Names and attributes bound to an HTTP client (`session = requests.Session()`, `async with httpx.AsyncClient()
    as client`, `self.http = httpx.Client(...)`)."""
    found = set()
    for node in ast.walk(tree):
        pairs = [(node.value, t) for t in node.targets] if isinstance(node, ast.Assign) else \
            [(node.context_expr, node.optional_vars)] if isinstance(node, ast.withitem) else []
        for value, target in pairs:
            if isinstance(value, ast.Call) and qualified_name(value, names) in CLIENT_FACTORIES and target is not None:
                found.add(ast.unparse(target))
    return found


def url_argument(call: ast.Call, verb: str) -> ast.expr | None:
    url = next((k.value for k in call.keywords if k.arg in ("url", "str_or_url")), None)
    if url is not None:
        return url
    position = 1 if verb == "request" else 0
    return call.args[position] if len(call.args) > position else None


def host_fixed(url: ast.AST, taint: Taint) -> bool:
    """The scheme and host come before any request value: a literal `scheme://host/` or a fixed base then `/`."""
    if isinstance(url, ast.JoinedStr):
        parts = [v.value for v in url.values]  # the strings, and the fields' expressions
    elif isinstance(url, ast.BinOp) and isinstance(url.op, ast.Add):
        parts, node = [], url
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts.insert(0, node.right)
            node = node.left
        parts.insert(0, node)
    else:
        return False
    prefix = ""
    for part in parts:
        if isinstance(part, str) or isinstance(part, ast.Constant) and isinstance(part.value, str):
            prefix += part if isinstance(part, str) else part.value
        elif taint.carries(part):
            break
        else:
            prefix += "\x00"  # a value fixed in the source (a configured base URL)
    return bool(FIXED_HOST.match(prefix))


def allow_listed(func: ast.AST, taint: Taint) -> bool:
    """The function checks a URL against an allow-list before using it."""
    for node in ast.walk(func):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            sides = [node.left, *node.comparators]
            if isinstance(node.ops[0], ast.In | ast.NotIn | ast.Eq | ast.NotEq) and any(
                    isinstance(n, ast.Attribute) and n.attr in HOST_PARTS for s in sides for n in ast.walk(s)):
                return True
            if isinstance(node.ops[0], ast.In | ast.NotIn) and taint.carries(node.left) and \
                    isinstance(node.comparators[0], ast.Name | ast.Attribute | ast.Set | ast.Tuple | ast.List):
                return True
        if isinstance(node, ast.Call) and last_attr(node) == "startswith" and node.args and all(
                isinstance(c, ast.Constant) and FIXED_HOST.match(str(c.value))
                for c in (node.args[0].elts if isinstance(node.args[0], ast.Tuple) else [node.args[0]])):
            return True
    return False


class Ssrf:
    name = "ssrf"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if module.tree is None:
            return []
        names = imported_names(module.tree)
        made = clients(module.tree, names)
        found = []
        for func in functions(module.tree):
            seeds = handler_params(func) if is_handler(func, module) else set()
            taint = Taint(func, seeds, set(), handler_params(func))
            guarded = None
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or not self._sends(call, names, made):
                    continue
                url = url_argument(call, last_attr(call))
                if url is None or not taint.carries(url) or host_fixed(url, taint):
                    continue
                guarded = allow_listed(func, taint) if guarded is None else guarded
                if guarded or not enclosing_func(func, call):
                    continue
                hit = issue(self, module, call, "high", f"{call_name(call)}() fetches a URL that comes from the "
                            "request: the caller picks the host (internal services, cloud metadata at "
                            "169.254.169.254, localhost)", "CWE-918")
                hit.fix = Fix("Do not fetch a URL the caller chose: map the request value onto a fixed URL, or parse "
                              "it (urllib.parse.urlsplit) and refuse it unless the scheme is https and the hostname "
                              "is in an allow-list; turn redirects off (allow_redirects=False, "
                              "follow_redirects=False) so the check holds.", "medium")
                found.append(hit)
        return found

    @staticmethod
    def _sends(call: ast.Call, names: dict[str, str], made: set[str]) -> bool:
        name = qualified_name(call, names)
        if name.startswith(HTTP_MODULES) and name.rsplit(".", 1)[-1] in VERBS:
            return True
        func = call.func
        return isinstance(func, ast.Attribute) and func.attr in CLIENT_VERBS and ast.unparse(func.value) in made
