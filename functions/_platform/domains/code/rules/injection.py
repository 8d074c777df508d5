"""command_injection (CWE-78): a command that is not a literal run through a shell (`os.system`, `os.popen`,
`subprocess.*(..., shell=True)`, `asyncio.create_subprocess_shell`, `sh -c VALUE`). code_injection (CWE-95):
`eval`/`exec`/`compile` of a value that is not a literal, an interpreter run with `-c VALUE` or on a file the
same function wrote from its parameters or the request. No mechanical
fix is safe (the command's or expression's meaning would change): each gets a written suggestion."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from functions._platform.domains.code.model import CodeIssue, Fix, Module, Project
from functions._platform.domains.code.rules.contract import (
    call_name,
    constant_names,
    functions,
    imported_names,
    is_const,
    issue,
    keyword,
    last_attr,
    literal,
    qualified_name,
)

SHELL_CALLS = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                         "commands.getoutput", "asyncio.create_subprocess_shell", "popen2.popen2"})
SUBPROCESS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                        "subprocess.Popen", "Popen", "check_output", "check_call"})
EXEC_CALLS = frozenset({"asyncio.create_subprocess_exec", "os.execv", "os.execvp", "os.spawnv", "os.spawnvp"})
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "/bin/sh", "/bin/bash", "cmd", "cmd.exe", "powershell"})
INTERPRETERS = ("python", "node", "perl", "ruby", "php")
EVAL_CALLS = frozenset({"eval", "exec", "compile", "builtins.eval", "builtins.exec"})
WRITERS = frozenset({"write", "writelines", "write_text", "write_bytes"})
FILE_MAKERS = frozenset({"open", "fdopen", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"})


def _program(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rsplit("/", 1)[-1]
    return "python" if ast.unparse(node) == "sys.executable" else ""


def _dash_c(argv: list[ast.expr], constants: dict[str, bool]) -> str | None:
    """`command` or `code` when argv runs a shell or an interpreter with `-c` and a value that is not literal."""
    if len(argv) < 3 or not is_const(argv[1], "-c") and not (isinstance(argv[1], ast.Constant)
                                                            and argv[1].value in ("-c", "/c", "-e")):
        return None
    if literal(argv[2], constants):
        return None
    program = _program(argv[0])
    if program in SHELLS:
        return "command"
    return "code" if program.startswith(INTERPRETERS) else None


def _calls_with_arguments(module: Module) -> Iterator[tuple[ast.Call, dict[str, bool], set[str]]]:
    """Each call with arguments in the module's functions, with the names its function binds to constants and
    the paths of the files it writes its parameters' values into."""
    for func in functions(module.tree) if module.tree else ():
        constants, written = constant_names(func), written_paths(func)
        for call in ast.walk(func):
            if isinstance(call, ast.Call) and call.args and enclosing_func(func, call):
                yield call, constants, written


def _from_parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The function's parameters and the names assigned from them or from the request (to a fixed point)."""
    names = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]} - {"self", "cls"}
    assigns = [n for n in ast.walk(func) if isinstance(n, ast.Assign)]
    while True:
        more = {t.id for a in assigns if _mentions(a.value, names) for target in a.targets
                for t in ast.walk(target) if isinstance(t, ast.Name)} - names
        if not more:
            return names
        names |= more


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and (n.id in names or n.id == "request") for n in ast.walk(node))


def written_paths(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The paths (as source text) of files the function writes a value of its parameters into: `open(p, "w")` or
    a temporary file used as a handle (known by its path and the names given its `.name`), `Path(p).write_text`."""
    handles = _file_handles(func)
    given, written = _from_parameters(func), set()
    for call in ast.walk(func):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in WRITERS
                and call.args and _mentions(call.args[0], given)):
            continue
        receiver = call.func.value
        written |= handles.get(ast.unparse(receiver), set())
        if call.func.attr in ("write_text", "write_bytes"):
            written.add(ast.unparse(receiver.args[0] if isinstance(receiver, ast.Call) and receiver.args else receiver))
    return written


def _file_handles(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, set[str]]:
    """Names bound to an opened or temporary file -> the paths it is known by (its opened path, its `.name`)."""
    handles: dict[str, set[str]] = {}
    for node in ast.walk(func):
        pairs = [(node.context_expr, node.optional_vars)] if isinstance(node, ast.withitem) else \
            [(node.value, t) for t in node.targets] if isinstance(node, ast.Assign) else []
        for value, target in pairs:
            if isinstance(value, ast.Call) and last_attr(value) in FILE_MAKERS and target is not None:
                opened = value.args[:1] if last_attr(value) in ("open", "fdopen") else []
                handles[ast.unparse(target)] = {ast.unparse(a) for a in opened}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute) and node.value.attr == "name" \
                and ast.unparse(node.value.value) in handles:
            handles[ast.unparse(node.value.value)] |= {ast.unparse(t) for t in node.targets}
    return handles


class CommandInjection:
    name = "command_injection"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found, imported = [], imported_names(module.tree)
        for call, constants, _ in _calls_with_arguments(module):
            if self._shell(call, qualified_name(call, imported), constants):
                hit = issue(self, module, call, "critical", f"{call_name(call)}() runs a command built at run "
                            "time through a shell: a value with `;`, `|` or `$(...)` runs commands of its own",
                            "CWE-78")
                hit.fix = Fix("Run the program with an argument list and no shell (subprocess.run([prog, arg, "
                              "...])), validate values against an allow-list, and shlex.quote() anything that "
                              "must reach a shell.", "medium")
                found.append(hit)
        return found

    @staticmethod
    def _shell(call: ast.Call, name: str, constants: dict[str, bool]) -> bool:
        command = call.args[0]
        if name in SHELL_CALLS or name in SUBPROCESS and is_const(keyword(call, "shell"), True):
            return not literal(command, constants)
        if name in SUBPROCESS and isinstance(command, ast.List | ast.Tuple):
            return _dash_c(list(command.elts), constants) == "command"
        return name in EXEC_CALLS and _dash_c(call.args, constants) == "command"


class CodeInjection:
    name = "code_injection"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found, imported = [], imported_names(module.tree)
        for call, constants, written in _calls_with_arguments(module):
            name = qualified_name(call, imported)
            argv = list(call.args[0].elts) if name in SUBPROCESS and isinstance(call.args[0], ast.List) \
                else call.args if name in EXEC_CALLS else []
            if name in EVAL_CALLS and not literal(call.args[0], constants):
                what = f"{name}() of a value built at run time runs any Python it is given"
            elif argv and _dash_c(argv, constants) == "code":
                what = "an interpreter is run with `-c` and code that is not fixed in the source"
            elif len(argv) > 1 and _program(argv[0]).startswith(INTERPRETERS) and ast.unparse(argv[1]) in written:
                what = "an interpreter runs a file this function wrote from its caller's values"
            else:
                continue
            hit = issue(self, module, call, "critical", what, "CWE-95")
            hit.fix = Fix("Never evaluate input as code: parse it (ast.literal_eval for Python literals, json, "
                          "a small expression parser), or dispatch on an allow-list of operations.", "medium")
            found.append(hit)
        return found


def enclosing_func(func: ast.AST, call: ast.AST) -> bool:
    """Whether `func` is the innermost function around `call` (so nested functions are checked once)."""
    for inner in ast.walk(func):
        if inner is not func and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) \
                and any(node is call for node in ast.walk(inner)):
            return False
    return True
