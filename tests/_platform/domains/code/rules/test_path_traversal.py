"""Path traversal: the rule on small flawed snippets and their safe twins (which give nothing)."""

from __future__ import annotations

import textwrap

import pytest

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import rule_issues


def found(source: str, rule: str, path: str = "app.py", extra: dict[str, str] | None = None) -> list[int]:
    files = {path: textwrap.dedent(source), **(extra or {})}
    return sorted(i.line for i in rule_issues(Project.from_files(files), rule) if i.file == path)


FLASK = "from flask import Flask, request\nimport os\napp = Flask(__name__)\n"


def test_a_route_opening_a_requested_name_under_its_folder_is_path_traversal():
    source = FLASK + textwrap.dedent("""
        @app.route("/files/<name>")
        def download(name):
            with open(os.path.join("/srv/files", name)) as f:
                return f.read()

        @app.route("/logs")
        def logs():
            path = "/var/log/" + request.args.get("file", "")
            return open(path).read()
    """)
    assert found(source, "path_traversal") == [7, 13]


@pytest.mark.parametrize("body", [
    ('path = os.path.realpath(os.path.join(BASE, name))\n    if not path.startswith(BASE):\n        return ""\n'
     '    return open(path).read()'),
    "return open(os.path.join(BASE, os.path.basename(name))).read()",
    'if ".." in name:\n        return ""\n    return open(os.path.join(BASE, name)).read()',
    'files = {"a": "/srv/a.txt"}\n    return open(files[name]).read()',
    'return name.replace("-", "_")',
])
def test_a_checked_or_fixed_path_is_not(body):
    source = FLASK + f'BASE = "/srv/files"\n@app.route("/files/<name>")\ndef download(name):\n    {body}\n'
    assert found(source, "path_traversal") == []


def test_an_mcp_tool_parameter_is_request_data():
    source = """
        import os
        from mcp.server.fastmcp import FastMCP
        mcp = FastMCP("files")

        @mcp.tool()
        def read_log(log_path: str, lines: int = 10) -> str:
            os.listdir(lines)
            with open(log_path) as f:
                return f.read()
    """
    assert found(source, "path_traversal") == [9]


def test_a_helper_that_joins_unchecked_is_flagged_and_so_are_its_callers():
    source = """
        import os
        class Workspace:
            def __init__(self, root):
                self.root = root

            def full_path(self, relative):
                return os.path.join(self.root, relative)

            def read(self, path):
                with open(self.full_path(path)) as f:
                    return f.read()

            def config(self):
                return open(self.full_path("config.json")).read()
    """
    assert found(source, "path_traversal") == [8, 11]


def test_a_helper_only_ever_given_literals_is_not():
    source = """
        import os
        BASE = "/etc/app"
        def config_path(name):
            return os.path.join(BASE, name)
        def load():
            return open(config_path("app.ini")).read()
    """
    assert found(source, "path_traversal") == []
