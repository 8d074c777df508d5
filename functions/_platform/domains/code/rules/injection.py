"""command_injection (CWE-78): a command that is not a literal run through a shell (`os.system`, `os.popen`,
`subprocess.*(..., shell=True)`, `asyncio.create_subprocess_shell`, `sh -c VALUE`). code_injection (CWE-95):
`eval`/`exec`/`compile` of a value that is not a literal, or an interpreter run with `-c VALUE`. No mechanical
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


def _calls_with_arguments(module: Module) -> Iterator[tuple[ast.Call, dict[str, bool]]]:
    """Each call with arguments in the module's functions, with the names its function binds to constants."""
    for func in functions(module.tree) if module.tree else ():
        constants = constant_names(func)
        for call in ast.walk(func):
            if isinstance(call, ast.Call) and call.args and enclosing_func(func, call):
                yield call, constants


class CommandInjection:
    name = "command_injection"
    category = "security"

    def check(self, module: Module, project: Project) -> list[CodeIssue]:
        found, imported = [], imported_names(module.tree)
        for call, constants in _calls_with_arguments(module):
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
        for call, constants in _calls_with_arguments(module):
            name = qualified_name(call, imported)
            argv = list(call.args[0].elts) if name in SUBPROCESS and isinstance(call.args[0], ast.List) \
                else call.args if name in EXEC_CALLS else []
            if name in EVAL_CALLS and not literal(call.args[0], constants):
                what = f"{name}() of a value built at run time runs any Python it is given"
            elif argv and _dash_c(argv, constants) == "code":
                what = "an interpreter is run with `-c` and code that is not fixed in the source"
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
