"""permissive_cors (CWE-942): a CORS policy that lets any web origin read the app's responses: flask-cors
`CORS(app)` or `@cross_origin()` with no origins (its default is every origin) or with `*`, Starlette/FastAPI
`CORSMiddleware` with `allow_origins=["*"]` or a match-all `allow_origin_regex`, django-cors-headers'
`CORS_ALLOW_ALL_ORIGINS = True`. With credentials allowed as well (the browser then sends cookies and any site
reads what they unlock) the issue is high, else medium. The fix is a suggestion: only the app's owners know the
origins that should call it, and browsers on the others start failing, so it is `critical`-risk."""

from __future__ import annotations

import ast

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import dotted, imported_names, is_const, issue, keyword

MATCH_ALL = frozenset({"*", ".*", "^.*$", ".+", "^.+$"})
ALLOW_ALL_SETTINGS = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
CREDENTIAL_SETTINGS = frozenset({"CORS_ALLOW_CREDENTIALS"})


def _every_origin(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in MATCH_ALL
    return isinstance(node, ast.List | ast.Tuple | ast.Set) and any(_every_origin(e) for e in node.elts)


def _starlette_cors(call: ast.Call, name: str) -> bool:
    """`app.add_middleware(CORSMiddleware, ...)`, `Middleware(CORSMiddleware, ...)` or `CORSMiddleware(app, ...)`."""
    if name.rsplit(".", 1)[-1] in ("add_middleware", "Middleware"):
        return bool(call.args) and dotted(call.args[0]).rsplit(".", 1)[-1] == "CORSMiddleware"
    return name.rsplit(".", 1)[-1] == "CORSMiddleware"


def _fix(credentials: bool) -> Fix:
    return Fix("List the origins that may call the app (from configuration) instead of every origin"
               + (", and allow credentials only for those" if credentials else "") + ".", "critical")


class PermissiveCors:
    name = "permissive_cors"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if module.tree is None:
            return []
        imported = imported_names(module.tree)
        found = [hit for node in ast.walk(module.tree) if isinstance(node, ast.Call)
                 for hit in self._call(module, node, imported)]
        return found + self._settings(module)

    def _call(self, module: Module, call: ast.Call, imported: dict[str, str]) -> list[CodeIssue]:
        name = dotted(call.func)
        qualified = imported.get(name.split(".")[0], name)
        if qualified.startswith("flask_cors.") and qualified.rsplit(".", 1)[-1] in ("CORS", "cross_origin"):
            origins = keyword(call, "origins")
            permissive = (origins is None and keyword(call, "resources") is None) or _every_origin(origins)
            credentials = is_const(keyword(call, "supports_credentials"), True)
        elif _starlette_cors(call, name):
            permissive = _every_origin(keyword(call, "allow_origins")) or _every_origin(
                keyword(call, "allow_origin_regex"))
            credentials = is_const(keyword(call, "allow_credentials"), True)
        else:
            return []
        if not permissive:
            return []
        hit = issue(self, module, call, "high" if credentials else "medium", "CORS lets every origin read the "
                    "app's responses" + (", with the caller's credentials" if credentials else ""), "CWE-942")
        hit.fix = _fix(credentials)
        return [hit]

    def _settings(self, module: Module) -> list[CodeIssue]:
        values = {t.id: node for node in module.tree.body if isinstance(node, ast.Assign)  # type: ignore[union-attr]
                  for t in node.targets if isinstance(t, ast.Name)}
        allow_all = next((values[n] for n in ALLOW_ALL_SETTINGS if n in values and is_const(values[n].value, True)),
                         None)
        if allow_all is None:
            return []
        credentials = any(n in values and is_const(values[n].value, True) for n in CREDENTIAL_SETTINGS)
        hit = issue(self, module, allow_all, "high" if credentials else "medium", "django-cors-headers lets every "
                    "origin read the app's responses" + (", with the caller's cookies" if credentials else ""),
                    "CWE-942")
        hit.fix = _fix(credentials)
        return [hit]
