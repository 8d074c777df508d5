"""Command and code injection: each rule on small flawed snippets and their safe twins (which give nothing)."""

from __future__ import annotations

import textwrap

import pytest

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project, rule_issues


def found(source: str, rule: str, path: str = "app.py", extra: dict[str, str] | None = None) -> list[int]:
    files = {path: textwrap.dedent(source), **(extra or {})}
    return sorted(i.line for i in rule_issues(Project.from_files(files), rule) if i.file == path)


@pytest.mark.parametrize("call", [
    'os.system(f"ping -c 1 {host}")',
    'subprocess.check_output(f"ping {host}", shell=True)',
    'subprocess.run("nslookup " + host, shell=True)',
    'os.popen("dig %s" % host)',
    'subprocess.run(["sh", "-c", host])',
])
def test_a_command_built_from_a_value_and_run_by_a_shell_is_flagged(call):
    assert found(f"import os, subprocess\ndef ping(host):\n    return {call}\n", "command_injection") == [3]


@pytest.mark.parametrize("call", [
    'subprocess.run(["ping", "-c", "1", host])',
    'subprocess.run("uptime", shell=True)',
    'subprocess.check_output(command, shell=True)',
    'subprocess.run(f"ls {flag}", shell=False)',
])
def test_argument_lists_and_fixed_commands_are_not(call):
    source = f'import subprocess\ndef ping(host, flag):\n    command = "df -h"\n    return {call}\n'
    assert found(source, "command_injection") == []


def test_a_command_looked_up_in_a_table_still_reaches_a_shell():
    source = """
        import subprocess
        COMMANDS = {"disk": "df -h"}
        def diagnose(component):
            command = COMMANDS[component]
            return subprocess.check_output(command, shell=True)
    """
    assert found(source, "command_injection") == [6]


@pytest.mark.parametrize("call, flagged", [
    ("eval(expression)", True), ('exec(f"x = {expression}")', True), ('eval(expression, {"__builtins__": {}})', True),
    ('subprocess.run([sys.executable, "-c", expression])', True),
    ("eval('1 + 1')", False), ("ast.literal_eval(expression)", False), ("model.eval()", False),
    ('subprocess.run([sys.executable, "script.py", expression])', False),
])
def test_eval_of_a_value_and_interpreters_given_code_are_code_injection(call, flagged):
    source = f"import ast, subprocess, sys\ndef calc(expression, model):\n    return {call}\n"
    assert found(source, "code_injection") == ([3] if flagged else [])


def test_an_async_interpreter_given_code_is_code_injection():
    source = """
        import asyncio, sys
        async def run(code):
            return await asyncio.create_subprocess_exec(sys.executable, "-c", code)
    """
    assert found(source, "code_injection") == [4]
    assert found(source, "command_injection") == []


def test_the_review_reports_bandits_shell_finding_once_and_leaves_out_container_noise():
    source = 'import subprocess\ndef ping(host):\n    return subprocess.check_output(f"ping {host}", shell=True)\n' \
             'def serve(app):\n    app.run(host="0.0.0.0", port=8080)\n    open("/tmp/cache", "w")\n'
    review = review_project(Project.from_files({"app.py": source}), check_patches=False)
    assert [(i.rule, i.line, i.engine) for i in review.issues] == [("command_injection", 3, "sreo")]
    assert review.issues[0].cwe == "CWE-78" and review.issues[0].fix.suggestion


@pytest.mark.parametrize("source, rule", [
    ('from os import system\ndef ping(host):\n    return system(f"ping -c 1 {host}")\n', "command_injection"),
    ('from subprocess import run as sh\ndef ping(host):\n    return sh("ping " + host, shell=True)\n',
     "command_injection"),
    ("from builtins import eval as evaluate\ndef calc(expression):\n    return evaluate(expression)\n",
     "code_injection"),
])
def test_a_call_imported_under_another_name_is_flagged_by_what_it_is(source, rule):
    assert found(source, rule) == [3]


def test_a_local_function_named_like_a_shell_call_is_not():
    assert found('def system(text):\n    return text\ndef ping(host):\n    return system(f"ping {host}")\n',
                 "command_injection") == []


RUNNER = """
import subprocess, sys, tempfile
from pathlib import Path
from flask import Flask, request
app = Flask(__name__)
@app.post("/run")
def run(script):
    source = request.form["code"]
{body}
"""


@pytest.mark.parametrize("body", [
    ("    with tempfile.NamedTemporaryFile('w', suffix='.py', delete=False) as handle:\n"
    "        path = handle.name\n        handle.write(script)\n"
    "    return subprocess.check_output([sys.executable, path])"),
    ("    with open('/srv/job.py', 'w') as out:\n        out.write(source)\n"
    "    return subprocess.run(['python3', '/srv/job.py'], capture_output=True).stdout"),
    ("    target = Path('/srv') / 'job.js'\n    target.write_text(f'console.log({source!r})')\n"
    "    return subprocess.run(['node', target]).returncode"),
])
def test_code_from_the_caller_written_to_a_file_and_run_by_an_interpreter_is_code_injection(body):
    lines = found(RUNNER.format(body=body), "code_injection")
    assert len(lines) == 1 and "subprocess" in textwrap.dedent(RUNNER.format(body=body)).splitlines()[lines[0] - 1]


@pytest.mark.parametrize("body", [
    # the file holds data, and the program run is fixed
    ("    with open('/srv/input.txt', 'w') as out:\n        out.write(source)\n"
    "    return subprocess.run([sys.executable, '/srv/report.py', '/srv/input.txt']).returncode"),
    # the script run is written from literals only
    ("    with open('/srv/job.py', 'w') as out:\n        out.write('print(42)')\n"
    "    return subprocess.run([sys.executable, '/srv/job.py']).returncode"),
    # a file written from the caller, run by a program that is not an interpreter
    ("    with open('/srv/notes.txt', 'w') as out:\n        out.write(source)\n"
    "    return subprocess.run(['wc', '-l', '/srv/notes.txt']).returncode"),
])
def test_data_files_and_fixed_scripts_are_not(body):
    assert found(RUNNER.format(body=body), "code_injection") == []
