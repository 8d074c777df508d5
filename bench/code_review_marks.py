"""Labels for bench/code_review_heldout.py, read from the marks the authors of a deliberately vulnerable app left in
its sources; nothing else goes into a label. Three readers, for three ways authors mark flaws (READERS):

`vulnerable` (mseep-dvmcp, vuln-mcp-filesystem-workspace-actions):

- A mark is a `#` comment whose text starts with "Vulnerable" or "Vulnerability" (any case, an optional number:
  `# VULNERABILITY 2: ...`), or has one of those words right after a dash or colon (`# Naive path joining -
  vulnerable to ...`); or a line of a *function's* docstring of the same shape (`Read file contents - VULNERABLE to
  path traversal`). Comments that only mention the word ("# Add a vulnerable tool", "# This is vulnerable
  because ...") describe, they do not point, and module docstrings speak of the whole app: neither is a mark.
- The kind comes from the mark's words (the comment and the comment lines right beneath it), by the phrase
  table CATEGORIES (a mark may name several). A mark whose words name no category there is `unclassified`.

`named` (presidio-hardened-vuln-scanner): the module docstring lists the app's "Intentional flaws", and in the
code each one is pointed at by a comment that starts with the name of the flaw or with the bandit test id that
finds it (`# B608 / SQLi: raw string concatenation`, `# XSS: unsanitized ...`, `# Missing CSRF token check`,
`... # noqa: S105  # B105: hardcoded secret`; a `# noqa` alone is a linter's, not a mark).

- A mark is a `#` comment, or one `#`-separated part of a trailing comment, that starts with a bandit test id
  (`B` and three digits) or with a phrase of NAMED_CATEGORIES. Its kind is the category its words name by
  that table; a bandit id alone names none (`unclassified`).
- The docstring's list is the authors' inventory: every item of it in scope must be pointed at by exactly one
  mark of its kind, or the reader refuses the app (so a mark the table misreads cannot pass unseen). Items
  with no mark in the code ("Missing HTTP security headers", a property of every response, no line) are
  listed as out of scope by their kind.
- NAMED_CATEGORIES follows the review's kinds: a hard-coded secret key and MD5 password hashing are
  `weak_auth`, which in the review covers credentials and their storage (bandit B105/B324 map there too).

`levels` (deadwood-sec, a web-security range of numbered levels): each level is a class that declares, in its
`category` attribute, the flaw its room teaches (`category = "OS command injection → shell"`), and whose `handle`
method is, in the authors' words, "the vulnerable app itself" (the framework's Level docstring).

- A level is a class with a string `category` and a `handle` method. Its kinds are those its category's words name
  by LEVEL_CATEGORIES (a category may name several: the endgame's "SQLi → ... → broken access control").
- Its span is the app: the class's methods but `seed` (which only stores the level's flag), i.e. `handle` and the
  helpers beside it, from the first to the last; a `seed` between them makes the reader refuse the file.
- LEVEL_CATEGORIES follows the review's kinds: "→ RCE" by a template the app evaluates is `code_injection`, and
  broken access control is `weak_auth`, as missing authorisation checks are for the `vulnerable` reader.

For the first two readers, what a mark annotates, taken literally: a trailing comment, its own line's statement; a comment
on its own, the next statement (the whole statement: an `if` or `try` with its block); a comment heading a
function body (nothing but the docstring before it) and a docstring mark, the whole function. A finding matches
when its kind is the label's and its line is inside that span (one line of slack either side, as in
code_review.py). Marks of one kind whose span lies inside another's of the same kind and file are one flaw (the
outer), pointed at twice.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

# kind -> phrases of a mark that name it (lower case, substring match)
CATEGORIES: dict[str, tuple[str, ...]] = {
    "command_injection": ("shell", "command injection", "command construction", "executing the command"),
    "code_injection": ("eval(", "arbitrary python code", "arbitrary code"),
    "path_traversal": ("path traversal", "any file", "file access", "path validation", "../"),
    "weak_auth": ("authentication", "authoriz", "predictable token", "token verification"),
    "sql_injection": ("sql injection",),
    "ssrf": ("ssrf", "server-side request"),
    "unsafe_deserialisation": ("deserialis", "deserializ", "pickle"),
    "information_exposure": ("leak", "token information", "sensitive"),
    "prompt_injection": ("reflecting user input", "sanitize or validate the content", "processing logic",
                         "template injection", "prompt injection"),
    "tool_poisoning": ("poison", "hidden instruction", "shadow"),
    "excessive_permission": ("searches both", "private directory", "permission checks"),
}
# the `named` reader's table: the words its authors use for each flaw in the docstring list and the comments
NAMED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "sql_injection": ("sqli", "sql injection"),
    "xss": ("xss",),
    "csrf": ("csrf",),
    "weak_auth": ("hardcoded secret", "md5"),
    "command_injection": ("shell=true", "subprocess"),
    "code_injection": ("eval",),
    "security_headers": ("security headers",),
}
# the `levels` reader's table: the words of a level's `category`
LEVEL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "sql_injection": ("sql injection", "sqli"),
    "command_injection": ("command injection",),
    "code_injection": ("rce", "remote code"),
    "weak_auth": ("access control",),
}
OUT_OF_SCOPE = {
    "prompt_injection": "text handed to an LLM, not a code pattern",
    "tool_poisoning": "an MCP tool's description or name misleads the model; no code pattern",
    "information_exposure": "which data is secret is the app's business logic",
    "excessive_permission": "a design choice about what a tool may reach",
    "security_headers": "a property of every response (often set by a proxy or ingress), no line to point at",
    "unclassified": "the mark names no category",
}
MARK = re.compile(r"(^|[-–:]\s*)vulnerab(le|ility)\b", re.IGNORECASE)
BANDIT_ID = re.compile(r"^B\d{3}\b")


@dataclass(frozen=True)
class Label:
    kind: str
    file: str
    start: int
    end: int
    text: str


def kinds_of(text: str, table: dict[str, tuple[str, ...]] = CATEGORIES) -> list[str]:
    lowered = text.lower()
    return [kind for kind, phrases in table.items() if any(p in lowered for p in phrases)] or ["unclassified"]


def _statements(tree: ast.AST) -> list[ast.stmt]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]


def _function_spans(tree: ast.AST) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, int]]:
    """Each function with the line its body's code starts on (after the docstring)."""
    out = []
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            body = func.body
            has_doc = isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant)
            first = body[1] if has_doc and len(body) > 1 else body[0]
            out.append((func, first.lineno))
    return out


def _function_start(func: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([func.lineno, *(d.lineno for d in func.decorator_list)])


def _is_vulnerable_mark(comment: str) -> str | None:
    text = comment.lstrip("#").strip()
    return text if MARK.search(text) else None


def _is_named_mark(comment: str) -> str | None:
    parts = [p.strip() for p in comment.split("#") if p.strip()]
    return next((p for p in parts if BANDIT_ID.match(p) or any(
        p.lower().startswith(phrase) or p.lower().startswith(f"missing {phrase}")
        for phrases in NAMED_CATEGORIES.values() for phrase in phrases)), None)


def _comment_labels(path: str, text: str, is_mark: Callable[[str], str | None],
                    table: dict[str, tuple[str, ...]]) -> list[Label]:
    tree = ast.parse(text)
    statements, funcs = _statements(tree), _function_spans(tree)
    found: list[Label] = []
    lines = text.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type != tokenize.COMMENT or (mark := is_mark(tok.string)) is None:
            continue
        line, own_line = tok.start[0], not tok.line[: tok.start[1]].strip()
        words = [mark]
        while own_line and line < len(lines) and lines[line].strip().startswith("#"):
            line += 1  # a comment goes on over the comment lines right beneath it
            words.append(lines[line - 1].strip())
        heads = [f for f, first in funcs if f.lineno < line < first]
        if own_line and heads:
            func = max(heads, key=lambda f: f.lineno)
            span = (_function_start(func), func.end_lineno or func.lineno)
        else:
            after = [s for s in statements if (s.lineno > line if own_line else s.lineno <= line <= s.end_lineno)]
            if not after:
                continue
            stmt = min(after, key=lambda s: (s.lineno, -(s.end_lineno or 0))) if own_line else \
                max(after, key=lambda s: s.lineno)
            span = (stmt.lineno, stmt.end_lineno or stmt.lineno)
        found += [Label(k, path, *span, " ".join(words)) for k in kinds_of(" ".join(words), table)]
    return found


def vulnerable_labels(path: str, text: str) -> list[Label]:
    found = _comment_labels(path, text, _is_vulnerable_mark, CATEGORIES)
    for func, _ in _function_spans(ast.parse(text)):
        doc = ast.get_docstring(func) or ""
        for doc_line in doc.splitlines():
            if MARK.search(doc_line.strip()):
                found += [Label(k, path, _function_start(func), func.end_lineno or func.lineno, doc_line.strip())
                          for k in kinds_of(doc_line)]
    return _merged(found)


def named_labels(path: str, text: str) -> list[Label]:
    """The `named` reader: the comment marks, checked against the module docstring's list of flaws."""
    found = _merged(_comment_labels(path, text, _is_named_mark, NAMED_CATEGORIES))
    doc = ast.get_docstring(ast.parse(text)) or ""
    listed = [line.strip()[2:] for line in doc.splitlines() if line.strip().startswith("- ")]
    if not listed:
        return found
    wanted = Counter(k for item in listed for k in kinds_of(item, NAMED_CATEGORIES))
    got = Counter(label.kind for label in found)
    for kind, count in wanted.items():
        if kind not in OUT_OF_SCOPE and got[kind] != count:
            raise SystemExit(f"{path}: the docstring lists {count} {kind} flaw(s), the comments mark {got[kind]}")
    unmarked = [Label(kind, path, 1, 1, "listed in the module docstring, no mark in the code")
                for kind, count in wanted.items() if kind in OUT_OF_SCOPE for _ in range(count - got[kind])]
    return found + unmarked


def level_labels(path: str, text: str) -> list[Label]:
    """The `levels` reader: each level class's category, over its app's methods."""
    found = []
    for cls in (n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ClassDef)):
        category = next((a.value.value for a in cls.body if isinstance(a, ast.Assign) and len(a.targets) == 1
                         and getattr(a.targets[0], "id", "") == "category" and isinstance(a.value, ast.Constant)
                         and isinstance(a.value.value, str)), None)
        methods = [m for m in cls.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)]
        if category is None or not any(m.name == "handle" for m in methods):
            continue
        app = [m for m in methods if m.name != "seed"]
        start, end = min(m.lineno for m in app), max(m.end_lineno or m.lineno for m in app)
        if any(start <= m.lineno <= end for m in methods if m.name == "seed"):
            raise SystemExit(f"{path}: {cls.name}'s seed lies inside its app's methods")
        found += [Label(kind, path, start, end, category) for kind in kinds_of(category, LEVEL_CATEGORIES)]
    return found


READERS: dict[str, Callable[[str, str], list[Label]]] = {
    "vulnerable": vulnerable_labels, "named": named_labels, "levels": level_labels}


def _merged(found: list[Label]) -> list[Label]:
    """One flaw per kind and span: a label inside another of the same kind and file is dropped."""
    kept: list[Label] = []
    for label in sorted(found, key=lambda f: (f.kind, f.file, f.start, -f.end)):
        if not any(k.kind == label.kind and k.file == label.file and k.start <= label.start and label.end <= k.end
                   for k in kept):
            kept.append(label)
    return kept


def covers(label: Label, finding: tuple[str, str, int]) -> bool:
    kind, path, line = finding
    return label.kind == kind and label.file == path and label.start - 1 <= line <= label.end + 1
