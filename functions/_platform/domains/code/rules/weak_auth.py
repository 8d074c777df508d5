"""weak_auth: hard-coded secrets (CWE-798), a password or token checked against a literal (CWE-798) or with
`==` instead of a constant-time comparison (CWE-208), passwords hashed with md5/sha1 (CWE-916), TLS verification
off (CWE-295), debug mode on (CWE-489). Fixes: `verify=True`, `debug=False`, `DEBUG = False`,
`hmac.compare_digest(a, b)` for `a == b`; secrets and hashes get a written suggestion (moving a secret or
rehashing passwords is not mechanical). A credential only tested for presence or shape is `shape_only_auth`'s."""

from __future__ import annotations

import ast
import re

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    imported_names,
    is_const,
    issue,
    keyword,
    last_attr,
    node_edit,
    qualified_name,
    source,
)

SECRET_NAME = re.compile(r"(secret|passw(or)?d|passwd|pwd|api_?key|access_?key|private_?key|token)(_?key)?$",
                         re.IGNORECASE)
PLACEHOLDERS = frozenset({"", "changeme-in-env", "<secret>", "xxx"})
HTTP_CALLS = frozenset({"get", "post", "put", "patch", "delete", "head", "request", "Session", "Client",
                        "AsyncClient", "urlopen"})


def _target_name(target: ast.AST) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return None


def _secret_name(node: ast.AST) -> str | None:
    """The secret-sounding name a value is read from: `password`, `user.api_key`, `form["token"]`,
    `request.headers.get("X-Api-Key")`; None for anything else."""
    if isinstance(node, ast.Attribute) and node.attr == "data":
        node = node.value  # a WTForms field's value: `form.password.data`
    name = _target_name(node)
    if name is None and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            node.func.attr == "get" and node.args and isinstance(node.args[0], ast.Constant):
        name = str(node.args[0].value)
    return name if name and SECRET_NAME.search(name.replace("-", "_")) else None


def _mentions_password(call: ast.Call) -> bool:
    return any(isinstance(n, ast.Name | ast.Attribute) and re.search(r"pass|pw", ast.unparse(n), re.IGNORECASE)
               for arg in call.args for n in ast.walk(arg))


class WeakAuth:
    name = "weak_auth"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found: list[CodeIssue] = []
        imported = imported_names(module.tree)
        for node in ast.walk(module.tree) if module.tree else ():
            if isinstance(node, ast.Assign | ast.AnnAssign):
                found.extend(self._assignment(module, node))
            elif isinstance(node, ast.Call):
                found.extend(self._call(module, node, imported))
            elif isinstance(node, ast.Compare):
                found.extend(self._compare(module, node))
        return found

    def _compare(self, module: Module, node: ast.Compare) -> list[CodeIssue]:
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return []
        left, right = node.left, node.comparators[0]
        secret = next((_secret_name(side) for side in (left, right) if _secret_name(side)), None)
        if secret is None:
            return []
        other = right if _secret_name(left) else left
        if isinstance(other, ast.Constant):
            if not isinstance(other.value, str) or other.value.strip() in PLACEHOLDERS:
                return []  # a check for None or for an empty value, not a credential
            hit = issue(self, module, node, "high", f"{secret} is checked against a credential written in the "
                        "source", "CWE-798")
            hit.fix = Fix(f"Check {secret} against a hash or value read from the environment or a secret store, "
                          "with hmac.compare_digest, and rotate the credential that was committed.", "medium")
            return [hit]
        negate = isinstance(node.ops[0], ast.NotEq)
        hit = issue(self, module, node, "medium", f"{secret} is compared with `{'!=' if negate else '=='}`, which "
                    "stops at the first differing character: the time it takes tells an attacker how much of a "
                    "guess is right", "CWE-208")
        call = f"hmac.compare_digest({source(module, left)}, {source(module, right)})"
        hit.fix = Fix("Compare secrets in constant time with hmac.compare_digest (both sides str, or both bytes).",
                      "medium", [node_edit(module, node, f"not {call}" if negate else call)], ["import hmac"])
        return [hit]

    def _assignment(self, module: Module, node: ast.Assign | ast.AnnAssign) -> list[CodeIssue]:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            name = _target_name(target)
            if name is None:
                continue
            if name == "DEBUG" and is_const(value, True) and module.path.endswith("settings.py"):
                hit = issue(self, module, node, "medium", "Django DEBUG is on: tracebacks and settings leak to "
                            "clients", "CWE-489")
                hit.fix = Fix("Turn DEBUG off outside development (read it from the environment).", "medium",
                              [node_edit(module, value, "False")])
                return [hit]
            if (SECRET_NAME.search(name) and isinstance(value, ast.Constant) and isinstance(value.value, str)
                    and value.value.strip() not in PLACEHOLDERS and len(value.value) >= 6):
                hit = issue(self, module, node, "high", f"{name} is a secret written in the source", "CWE-798")
                hit.fix = Fix(f"Read {name} from the environment or a secret store, and rotate the value that "
                              "was committed.", "medium")
                return [hit]
        return []

    def _call(self, module: Module, call: ast.Call, imported: dict[str, str]) -> list[CodeIssue]:
        name = qualified_name(call, imported)
        if name in ("hashlib.md5", "hashlib.sha1", "md5", "sha1") and _mentions_password(call):
            hit = issue(self, module, call, "high", f"passwords hashed with fast unsalted {name.split('.')[-1]}",
                        "CWE-916")
            hit.fix = Fix("Hash passwords with a slow salted KDF (werkzeug.security.generate_password_hash, "
                          "bcrypt, argon2) and rehash on next login.", "medium")
            return [hit]
        verify = keyword(call, "verify")
        if is_const(verify, False) and last_attr(call) in HTTP_CALLS:
            hit = issue(self, module, call, "high", "TLS certificate verification is switched off", "CWE-295")
            hit.fix = Fix("Verify certificates (pass a CA bundle if the server's is private).", "medium",
                          [node_edit(module, verify, "True")])
            return [hit]
        debug = keyword(call, "debug")
        if last_attr(call) == "run" and is_const(debug, True):
            hit = issue(self, module, call, "high", "the app runs with the debugger on: remote code execution "
                        "through the debug console", "CWE-489")
            hit.fix = Fix("Run without debug outside development.", "low", [node_edit(module, debug, "False")])
            return [hit]
        return []
