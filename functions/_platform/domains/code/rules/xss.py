"""xss (CWE-79): values marked safe (`Markup`, `mark_safe`, `|safe`), HTML built from values in a handler's
response, `render_template_string` of text built at run time (not of a template fixed in the source, bound to a
name or not), and Jinja environments or blocks with autoescape off.
Fixes: the values are escaped (`Markup(...).format`, `format_html`, `escape`), `|safe` is dropped,
autoescape is turned on; `render_template_string` gets a written suggestion."""

from __future__ import annotations

import ast
import re

from functions._platform.domains.code.model import CodeIssue, Edit, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    char_col,
    constant_names,
    dynamic_string,
    functions,
    is_const,
    is_route_handler,
    issue,
    keyword,
    last_attr,
    literal,
    node_edit,
    source,
)

SAFE_FILTER = re.compile(r"\|\s*safe\b")
AUTOESCAPE_OFF = re.compile(r"{%-?\s*autoescape\s+(false|off)\s*-?%}", re.IGNORECASE)
RESPONSES = frozenset({"HttpResponse", "HTMLResponse", "make_response", "Response"})


def _constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant)


def _html(node: ast.AST) -> bool:
    literal = "".join(str(n.value) for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return "<" in literal and ">" in literal


ESCAPES = frozenset({"escape", "conditional_escape", "quote", "int", "float", "len", "format_html", "urlencode"})


def _unescaped(node: ast.AST) -> bool:
    """Whether a built string carries a value no escaping call wraps."""
    if isinstance(node, ast.JoinedStr):
        values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    elif isinstance(node, ast.BinOp):
        return _unescaped(node.left) or _unescaped(node.right)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        values = [*node.args, *(k.value for k in node.keywords)]
    elif isinstance(node, ast.Constant):
        return False
    else:
        values = [node]
    return any(not (isinstance(v, ast.Call) and last_attr(v) in ESCAPES) and not isinstance(v, ast.Constant)
               for v in values)


def _template_format(module: Module, node: ast.JoinedStr) -> tuple[str, list[str]] | None:
    text, values = "", []
    for part in node.values:
        if isinstance(part, ast.Constant):
            text += str(part.value).replace("{", "{{").replace("}", "}}")
        elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
            text, values = text + "{}", [*values, source(module, part.value)]
        else:
            return None
    return repr(text), values


def _escaped_fstring(module: Module, node: ast.JoinedStr, escape: str) -> list[Edit]:
    return [node_edit(module, part.value, f"{escape}({source(module, part.value)})")
            for part in node.values if isinstance(part, ast.FormattedValue)]


def _added_keyword(module: Module, call: ast.Call, text: str) -> Edit:
    """`text` as the call's last argument: after the last one there is (a trailing comma or line break stays
    where it was), else just inside the parentheses."""
    given = [*call.args, *call.keywords]
    if given:
        last = max(given, key=lambda node: (node.end_lineno, node.end_col_offset))
        line, col, text = last.end_lineno, last.end_col_offset, ", " + text
    else:
        line, col = call.end_lineno, call.end_col_offset - 1  # type: ignore[operator]
    at = char_col(module, line, col)  # type: ignore[arg-type]
    return Edit(line, at, line, at, text)  # type: ignore[arg-type]


class Xss:
    name = "xss"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        if not module.is_python:
            return self._template(module)
        found: list[CodeIssue] = []
        constants = {id(call): names for func in functions(module.tree) if module.tree
                     for names in [constant_names(func)] for call in ast.walk(func) if isinstance(call, ast.Call)}
        for node in ast.walk(module.tree) if module.tree else ():
            if isinstance(node, ast.Call):
                found.extend(self._call(module, node, constants.get(id(node), {})))
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute)
                  and node.targets[0].attr == "autoescape" and is_const(node.value, False)):
                found.append(self._issue(module, node, "medium", "Jinja autoescape is switched off for the app",
                                         Fix("Keep autoescape on.", "medium", [node_edit(module, node.value, "True")])))
        for func in functions(module.tree) if module.tree else ():
            if is_route_handler(func, module):
                found.extend(self._returned_html(module, func))
        return found

    def _issue(self, module: Module, node: ast.AST, severity: str, message: str, fix: Fix) -> CodeIssue:
        found = issue(self, module, node, severity, message, "CWE-79")
        found.fix = fix
        return found

    def _call(self, module: Module, call: ast.Call, constants: dict[str, bool]) -> list[CodeIssue]:
        name, first = last_attr(call), call.args[0] if call.args else None
        if name in ("Markup", "mark_safe") and first is not None and not _constant(first):
            return [self._issue(module, call, "high", f"{name}() marks a value built at run time as safe HTML",
                                self._safe_fix(module, call, first, name))]
        # a template fixed in the source is safe: Flask autoescapes the context of render_template_string()
        if name == "render_template_string" and first is not None and not literal(first, constants):
            return [self._issue(module, call, "high", "render_template_string() renders text built at run time: "
                                "template injection and XSS", Fix(
                                    "Move the markup to a template file and pass the values as context, which "
                                    "autoescape covers; never build template source from input.", "medium"))]
        if name == "Environment" and "jinja" in module.text.lower():
            autoescape = keyword(call, "autoescape")
            if autoescape is None or is_const(autoescape, False):
                fix = Fix("Create Jinja environments with autoescape on.", "medium")
                fix.edits = ([node_edit(module, autoescape, "True")] if autoescape is not None else
                             [_added_keyword(module, call, "autoescape=True")])
                return [self._issue(module, call, "medium", "Jinja Environment without autoescape renders "
                                    "values as raw HTML", fix)]
        return []

    def _safe_fix(self, module: Module, call: ast.Call, value: ast.expr, name: str) -> Fix:
        fix = Fix(f"Escape the values instead of marking them safe with {name}().", "medium")
        if len(call.args) != 1 or call.keywords:
            return fix
        template = _template_format(module, value) if isinstance(value, ast.JoinedStr) else None
        if name == "Markup":
            text = (f"Markup({template[0]}).format({', '.join(template[1])})" if template
                    else f"Markup.escape({source(module, value)})")
        else:
            text = (f"format_html({template[0]}, {', '.join(template[1])})" if template
                    else f"escape({source(module, value)})")
            fix.imports = ["from django.utils.html import format_html" if template else
                           "from django.utils.html import escape"]
        fix.edits = [node_edit(module, call, text)]
        return fix

    def _returned_html(self, module: Module, func: ast.AST) -> list[CodeIssue]:
        found = []
        for node in ast.walk(func):
            value = node.value if isinstance(node, ast.Return) else None
            if isinstance(value, ast.Call) and last_attr(value) in RESPONSES and value.args:
                value = value.args[0]
            if value is None or not dynamic_string(value) or not _html(value) or not _unescaped(value):
                continue
            django = "django" in module.text
            escape = "escape"
            fix = Fix("Escape every value put into HTML, or render a template.", "medium")
            if isinstance(value, ast.JoinedStr):
                fix.edits = _escaped_fstring(module, value, escape)
                fix.imports = ["from django.utils.html import escape" if django else "from markupsafe import escape"]
            found.append(self._issue(module, value, "high", "the response is HTML built from unescaped values", fix))
        return found

    def _template(self, module: Module) -> list[CodeIssue]:
        if not module.path.endswith((".html", ".jinja", ".jinja2", ".j2")):
            return []
        found = []
        for number, line in enumerate(module.lines, start=1):
            for match in SAFE_FILTER.finditer(line):
                fix = Fix("Drop |safe so the value is escaped; sanitise it first if it must carry markup.",
                          "medium", [Edit(number, match.start(), number, match.end(), "")])
                found.append(CodeIssue(self.name, "security", module.path, number, "high",
                                       "the |safe filter renders a value as raw HTML", "CWE-79", fix=fix))
            for match in AUTOESCAPE_OFF.finditer(line):
                fixed = match.group(0).replace(match.group(1), {"false": "true", "off": "on"}[match.group(1).lower()])
                fix = Fix("Keep autoescape on.", "medium", [Edit(number, match.start(), number, match.end(), fixed)])
                found.append(CodeIssue(self.name, "security", module.path, number, "medium",
                                       "an autoescape-off block renders values as raw HTML", "CWE-79", fix=fix))
        return found
