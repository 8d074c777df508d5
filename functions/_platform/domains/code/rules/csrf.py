"""csrf (CWE-352): a Flask app (built at module level or in an app factory) that accepts form writes with no
Flask-WTF CSRFProtect bound to it, or whose setup sets `WTF_CSRF_ENABLED = False`; a Django view marked
`@csrf_exempt`; Django settings whose MIDDLEWARE lacks CsrfViewMiddleware. Fixes add the protection; they are
`critical`-risk, because clients that post without a token start failing."""

from __future__ import annotations

import ast

from functions._platform.domains.code.app_objects import Resolver
from functions._platform.domains.code.flask_csrf import (
    SWITCH,
    flask_apps,
    protected,
    switched_off,
    takes_form_writes,
)
from functions._platform.domains.code.model import CodeIssue, Edit, Fix, Module, Project
from functions._platform.domains.code.rules.contract import dotted, issue, node_edit

CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


class Csrf:
    name = "csrf"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if module.tree is None:
            return []
        return [*self._flask(module, project), *self._exempt(module), *self._middleware(module)]

    def _flask(self, module: Module, project: Project) -> list[CodeIssue]:
        if "Flask(" not in module.text and SWITCH not in module.text:
            return []
        resolver = Resolver(project)
        found = []
        if "Flask(" in module.text:
            for node, app in flask_apps(resolver, module):
                if not protected(resolver, app) and takes_form_writes(resolver, app):
                    found.append(self._unprotected(module, node, app.name))
        if SWITCH in module.text:
            apps = [app for other in resolver.modules.values() for _, app in flask_apps(resolver, other)]
            off = {id(node): node for app in apps if protected(resolver, app) and takes_form_writes(resolver, app)
                   for node in switched_off(resolver, app, module)}
            found += [self._switched_off(module, node) for node in off.values()]
        return found

    def _unprotected(self, module: Module, node: ast.Assign, app: str) -> CodeIssue:
        indent = " " * node.col_offset
        found = issue(self, module, node, "high", "the Flask app accepts form posts without CSRF protection",
                      "CWE-352")
        found.fix = Fix("Protect every form with CSRF tokens (Flask-WTF CSRFProtect) and render "
                        "{{ csrf_token() }} in each form.", "critical",
                        [Edit(node.end_lineno + 1, 0, node.end_lineno + 1, 0,  # type: ignore[operator]
                              f"{indent}csrf = CSRFProtect({app})\n")],
                        ["from flask_wtf.csrf import CSRFProtect"])
        return found

    def _switched_off(self, module: Module, node: ast.AST) -> CodeIssue:
        found = issue(self, module, node, "high", f"{SWITCH} = False turns the Flask app's CSRF protection off",
                      "CWE-352")
        found.fix = Fix(f"Leave {SWITCH} on outside tests, and send the CSRF token from every form.", "critical")
        false = next((n for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value is False), None)
        if false is not None:
            found.fix.edits = [node_edit(module, false, "True")]
        return found

    def _exempt(self, module: Module) -> list[CodeIssue]:
        found = []
        for node in ast.walk(module.tree):  # type: ignore[arg-type]
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for decorator in node.decorator_list:
                if dotted(decorator).split(".")[-1] == "csrf_exempt":
                    line = decorator.lineno
                    text = module.lines[line - 1]
                    fix = Fix("Remove @csrf_exempt and send the CSRF token from the client.", "critical")
                    if text.strip() == "@" + (ast.get_source_segment(module.text, decorator) or ""):
                        fix.edits = [Edit(line, 0, line + 1, 0, "")]
                    hit = issue(self, module, decorator, "high", f"view {node.name} is exempt from CSRF checks",
                                "CWE-352")
                    hit.symbol, hit.fix = node.name, fix
                    found.append(hit)
        return found

    def _middleware(self, module: Module) -> list[CodeIssue]:
        for node in module.tree.body:  # type: ignore[union-attr]
            if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("MIDDLEWARE", "MIDDLEWARE_CLASSES")
                    and isinstance(node.value, ast.List | ast.Tuple)):
                continue
            entries = [e for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            names = [e.value for e in entries]
            if CSRF_MIDDLEWARE in names or not any(n.startswith("django.") for n in names):
                return []
            anchor = next((e for e in entries if e.value.endswith(("CommonMiddleware", "SessionMiddleware"))),
                          entries[-1] if entries else None)
            fix = Fix(f"Add {CSRF_MIDDLEWARE} to MIDDLEWARE.", "critical")
            if anchor is not None:
                fix.edits = [node_edit(module, anchor, f"{ast.get_source_segment(module.text, anchor)},"
                                       f" {CSRF_MIDDLEWARE!r}")]
            found = issue(self, module, node, "high", "MIDDLEWARE lacks CsrfViewMiddleware: no view checks CSRF "
                          "tokens", "CWE-352")
            found.fix = fix
            return [found]
        return []
