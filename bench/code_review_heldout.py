"""Code review on deliberately vulnerable apps written by other people, from PyPI: our review and bandit alone,
scored against labels taken from the apps' authors' own marks.

The apps are downloaded at run time into a cache directory (never vendored), pinned by exact version and the
sha256 of the wheel; a download whose hash differs is refused. Only the Python sources are reviewed.

Labels, from the authors' marks and nothing else:

- A mark is a `#` comment whose text starts with "Vulnerable" or "Vulnerability" (any case, an optional number:
  `# VULNERABILITY 2: ...`), or has one of those words right after a dash or colon (`# Naive path joining -
  vulnerable to ...`); or a line of a *function's* docstring of the same shape (`Read file contents - VULNERABLE to
  path traversal`). Comments that only mention the word ("# Add a vulnerable tool", "# This is vulnerable
  because ...") describe, they do not point, and module docstrings speak of the whole app: neither is a mark.
- What a mark annotates, taken literally: a trailing comment, its own line's statement; a comment on its own, the
  next statement (the whole statement: an `if` or `try` with its block); a comment heading a function body
  (nothing but the docstring before it) and a docstring mark, the whole function. A finding matches when its kind
  is the label's and its line is inside that span (one line of slack either side, as in code_review.py).
- The kind comes from the mark's words (the comment and the comment lines right beneath it), by the phrase
  table CATEGORIES below (a mark may name several). A mark whose words name no category there is `unclassified`. Marks of one kind whose span lies inside another's of
  the same kind and file are one flaw (the outer), pointed at twice.
- In scope (scored): the OWASP kinds the review reports. Out of scope (OUT_OF_SCOPE, listed in the output with
  their count, never scored): flaws of an LLM tool protocol (prompt injection, tool poisoning and shadowing),
  which live in text handed to a model, not in a code pattern; information exposure, where what is secret is
  the app's business logic; excessive permission scope, a design choice; and unclassified marks.

A finding that matches no in-scope label is a false positive, unless it lands inside a span already matched (a
second report of a counted flaw: neither). bandit is scored alone on the same labels with the mapping of its
checks onto our kinds that the review uses (bandit_scan.KIND_OF_TEST). Our review runs as the product runs it:
the app's sources are unpacked into a directory named in SREO_CODE_REPOS, and the code MCP server's `review_code`
tool is called over an in-process MCP session, as the code agent calls it; its findings are scored.

    python bench/code_review_heldout.py [--cache DIR] [--show]
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from functions._platform.config import Settings
from functions._platform.domains.code.bandit_scan import bandit_issues
from functions._platform.domains.code.model import Project
from functions._platform.mcp.client import ToolSession

# (name, version, sha256 of the wheel PyPI serves)
APPS = (
    ("mseep-dvmcp", "0.1.0", "40d326662df42c054e3db3c3b9026eb99a2f4d7b1b825ebdb1f72fc8ffcc4736"),
    ("vuln-mcp-filesystem-workspace-actions", "0.1.0",
     "7c888b1a5fecb46d3e0ab490abfe5e66491b66523aac83b41f02b07ece37b3bd"),
)
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
OUT_OF_SCOPE = {
    "prompt_injection": "text handed to an LLM, not a code pattern",
    "tool_poisoning": "an MCP tool's description or name misleads the model; no code pattern",
    "information_exposure": "which data is secret is the app's business logic",
    "excessive_permission": "a design choice about what a tool may reach",
    "unclassified": "the mark names no category",
}
MARK = re.compile(r"(^|[-–:]\s*)vulnerab(le|ility)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Label:
    kind: str
    file: str
    start: int
    end: int
    text: str


def fetch(name: str, version: str, sha256: str, cache: Path) -> Path:
    """The wheel in the cache, downloaded by pip when missing; its hash checked either way."""
    target = cache / f"{name}-{version}"
    wheels = sorted(target.glob("*.whl"))
    if not wheels:
        target.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip"]
        if subprocess.run([*pip, "--version"], capture_output=True, check=False).returncode != 0:
            pip = [shutil.which("pip3") or shutil.which("pip") or "pip3"]
        subprocess.run([*pip, "download", "--quiet", "--no-deps", "--only-binary", ":all:", "-d", str(target),
                        f"{name}=={version}"], check=True)
        wheels = sorted(target.glob("*.whl"))
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{wheels[0].name}: sha256 {digest}, expected {sha256}")
    return wheels[0]


def sources(wheel: Path) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n: archive.read(n).decode(errors="replace") for n in sorted(archive.namelist())
                if n.endswith(".py") and ".dist-info/" not in n}


def kinds_of(text: str) -> list[str]:
    lowered = text.lower()
    return [kind for kind, phrases in CATEGORIES.items() if any(p in lowered for p in phrases)] or ["unclassified"]


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


def labels(path: str, text: str) -> list[Label]:
    tree = ast.parse(text)
    statements, funcs = _statements(tree), _function_spans(tree)
    found: list[Label] = []
    lines = text.splitlines()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type != tokenize.COMMENT or not MARK.search(tok.string.lstrip("#").strip()):
            continue
        line, own_line = tok.start[0], not tok.line[: tok.start[1]].strip()
        words = [tok.string]
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
        found += [Label(k, path, *span, " ".join(words)) for k in kinds_of(" ".join(words))]
    for func, _ in funcs:
        doc = ast.get_docstring(func) or ""
        for doc_line in doc.splitlines():
            if MARK.search(doc_line.strip()):
                found += [Label(k, path, _function_start(func), func.end_lineno or func.lineno, doc_line.strip())
                          for k in kinds_of(doc_line)]
    return _merged(found)


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


def score(found: list[tuple[str, str, int]], flaws: list[Label]) -> tuple[int, int, int, list]:
    """(true positives, false positives, false negatives, the false positives); each flaw matched once."""
    remaining, matched, tp, extra = list(flaws), [], 0, []
    for finding in sorted(found, key=lambda f: (f[1], f[2])):
        hit = next((f for f in remaining if covers(f, finding)), None)
        if hit:
            remaining.remove(hit)
            matched.append(hit)
            tp += 1
        elif not any(covers(f, finding) for f in matched):
            extra.append(finding)
    return tp, len(extra), len(remaining), extra


def reviewed_by_the_product(files: dict[str, str], work: Path) -> list[tuple[str, str, int]]:
    """(rule, file, line) of each finding of the code server's `review_code` on the app unpacked in `work`."""
    for path, text in files.items():
        (work / "src" / path).parent.mkdir(parents=True, exist_ok=True)
        (work / "src" / path).write_text(text)
    settings = Settings(home=work / "home", code_repos={"app": str(work / "src")})

    async def call() -> dict:
        async with ToolSession("code", settings) as tools:
            return await tools.call("review_code", {"service": "app"})

    return [(f["evidence"]["rule"], f["evidence"]["file"], f["evidence"]["line"])
            for f in asyncio.run(call())["findings"]]


ENGINES = {
    "sreo review (rules + bandit MEDIUM+)": lambda files, project, work: reviewed_by_the_product(files, work),
    "bandit alone (all)": lambda files, project, work: [(i.rule, i.file, i.line) for i in bandit_issues(project)],
    "bandit alone (MEDIUM+)": lambda files, project, work: [
        (i.rule, i.file, i.line) for i in bandit_issues(project, None, "MEDIUM", "MEDIUM")],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "sreo-bench" / "heldout")
    parser.add_argument("--show", action="store_true", help="list each app's labels, misses and false positives")
    args = parser.parse_args()
    rows, totals, out = [], {e: [0, 0, 0] for e in ENGINES}, {}
    for name, version, sha256 in APPS:
        files = sources(fetch(name, version, sha256, args.cache))
        project = Project.from_files(files)
        every = [lab for path, text in files.items() for lab in labels(path, text)]
        scored = [lab for lab in every if lab.kind not in OUT_OF_SCOPE]
        for lab in every:
            if lab.kind in OUT_OF_SCOPE:
                out.setdefault(lab.kind, []).append(f"{name}:{lab.file}:{lab.start}")
        loc = sum(t.count("\n") + 1 for t in files.values())
        for engine, run in ENGINES.items():
            with tempfile.TemporaryDirectory(prefix="sreo-review-") as work:
                found = run(files, project, Path(work))
            tp, fp, fn, extra = score(found, scored)
            totals[engine] = [a + b for a, b in zip(totals[engine], (tp, fp, fn), strict=True)]
            rows.append((f"{name} {version} ({loc} lines, {len(scored)} flaws)", engine, tp, fp, fn))
            if args.show:
                missed = [lab for lab in scored if not any(covers(lab, f) for f in found)]
                print(f"# {name} / {engine}\n  missed: {[(m.kind, m.file, m.start, m.end) for m in missed]}\n"
                      f"  false positives: {extra}", file=sys.stderr)
    rows += [("total", engine, *counts) for engine, counts in totals.items()]
    print("| app | engine | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|---|")
    for app, engine, tp, fp, fn in rows:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"| {app} | {engine} | {tp} | {fp} | {fn} | {precision:.2f} | {recall:.2f} |")
    print("\nOut of scope (not scored):")
    for kind, where in sorted(out.items()):
        print(f"- {kind} ({len(where)}): {OUT_OF_SCOPE[kind]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
