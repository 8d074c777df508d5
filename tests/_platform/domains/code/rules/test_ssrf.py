"""SSRF: the rule on small flawed snippets and their safe twins (which give nothing)."""

from __future__ import annotations

import textwrap

import pytest

from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project, rule_issues

HEAD = ("import requests, httpx, urllib.request\nfrom urllib.parse import urlsplit\nfrom flask import Flask, request\n"
        "app = Flask(__name__)\nBASE = 'https://api.example'\nALLOWED = {'api.example'}\n")


def found(source: str, rule: str = "ssrf") -> list[int]:
    return sorted(i.line for i in rule_issues(Project.from_files({"app.py": textwrap.dedent(source)}), rule))


def route(body: str, params: str = "") -> str:
    return HEAD + f'@app.route("/fetch")\ndef fetch({params}):\n' + textwrap.indent(textwrap.dedent(body), "    ")


@pytest.mark.parametrize("body", [
    'url = request.args.get("url")\nreturn requests.get(url, timeout=5).text',
    'return requests.request("GET", request.json["target"], timeout=5).text',
    'return urllib.request.urlopen(request.form["feed"]).read()',
    'return httpx.post(url=request.args["hook"], json={}).text',
    'return requests.get(f"{request.args[\'scheme\']}://{request.args[\'host\']}/status", timeout=5).text',
])
def test_a_request_to_a_url_from_the_request_is_ssrf(body):
    assert found(route(body)) == [9 + body.count("\n")]  # the request, on the body's last line


def test_an_mcp_tool_or_route_parameter_is_request_data_and_clients_count():
    source = """
        import httpx, requests
        from mcp.server.fastmcp import FastMCP
        from fastapi import FastAPI
        mcp, api = FastMCP("web"), FastAPI()
        session = requests.Session()

        @mcp.tool()
        async def fetch_page(url: str, retries: int = 1) -> str:
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).text

        @api.get("/preview")
        def preview(link: str):
            return session.get(link, timeout=5).text

        def helper(url):
            return requests.get(url, timeout=5)
    """
    assert found(source) == [11, 15]


@pytest.mark.parametrize("body", [
    'return requests.get(f"https://api.example/items/{request.args[\'id\']}", timeout=5).text',
    'return requests.get(f"{BASE}/items/{request.args[\'id\']}", timeout=5).text',
    'return requests.get(BASE + "/search?q=" + request.args["q"], timeout=5).text',
    ('url = request.args["url"]\nif urlsplit(url).hostname not in ALLOWED:\n    return "", 400\n'
     'return requests.get(url, timeout=5).text'),
    ('url = request.args["url"]\nif not url.startswith("https://api.example/"):\n    return "", 400\n'
     'return requests.get(url, timeout=5).text'),
    'url = request.args["url"]\nif url not in ALLOWED:\n    return "", 400\nreturn requests.get(url, timeout=5).text',
    'return requests.get("https://api.example/status", timeout=5).text',
])
def test_a_fixed_host_or_an_allow_list_is_not(body):
    assert found(route(body)) == []


def test_the_finding_has_cwe_and_a_suggestion_but_no_patch():
    review = review_project(Project.from_files({"app.py": route('return requests.get(request.args["u"]).text')}))
    ssrf = [i for i in review.issues if i.rule == "ssrf"]
    assert [(i.line, i.cwe, i.engine) for i in ssrf] == [(9, "CWE-918", "sreo")]
    assert "allow-list" in ssrf[0].fix.suggestion and not ssrf[0].fix.edits and ssrf[0].patch is None
