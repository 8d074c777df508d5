"""missing_timeout: outbound HTTP calls that can wait for ever (requests and its sessions, urlopen, any client
given timeout=None); calls with a timeout, and clients with one by default, give nothing; the patch adds one."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.bandit_scan import bandit_issues
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project
from functions._platform.domains.code.rules.missing_timeout import MissingTimeout

HANDLER = "import httpx, requests, urllib.request\nfrom flask import Flask\napp = Flask(__name__)\n" \
          "@app.get('/rates')\ndef rates():\n"


@pytest.mark.parametrize("call", [
    "requests.get('https://rates.example/today')",
    "requests.post('https://rates.example/ask', json={'pair': 'EURUSD'})",
    "requests.request('GET', 'https://rates.example/today')",
    "urllib.request.urlopen('https://rates.example/today')",
    "requests.get('https://rates.example/today', timeout=None)",
    "httpx.get('https://rates.example/today', timeout=None)",
])
def test_a_call_that_can_wait_for_ever_is_flagged(call):
    found = check(MissingTimeout(), HANDLER + f"    return {call}\n")
    assert where(found) == [("app.py", 6, "CWE-1088", "medium")]
    assert found[0].rule == "missing_timeout" and found[0].category == "resilience" and found[0].symbol == "rates"


@pytest.mark.parametrize("body", [
    "    return requests.get('https://rates.example/today', timeout=5)\n",
    "    return requests.get('https://rates.example/today', timeout=(3.05, 27))\n",
    "    return httpx.get('https://rates.example/today')\n",  # httpx times out after 5 s by default
    "    return urllib.request.urlopen('https://rates.example/today', None, 5)\n",
    "    options = {'timeout': 5}\n    return requests.get('https://rates.example/today', **options)\n",
    "    return cache.get('rates')\n",
])
def test_calls_with_a_timeout_and_clients_that_have_one_are_not(body):
    assert check(MissingTimeout(), HANDLER + body) == []


def test_a_session_and_an_imported_function_are_read_for_what_they_are():
    source = "from requests import get as fetch\nimport requests\nclass Rates:\n    def __init__(self):\n" \
             "        self.http = requests.Session()\n    def today(self):\n" \
             "        return self.http.get('https://rates.example/today')\n" \
             "def direct():\n    return fetch('https://rates.example/today')\n" \
             "def scoped():\n    with requests.Session() as s:\n        return s.post('https://rates.example/x')\n"
    assert [f.line for f in check(MissingTimeout(), source)] == [7, 9, 12]


def test_the_patch_adds_a_timeout_and_the_finding_goes(tmp_path):
    hit, after = reviewed_patch(MissingTimeout(), HANDLER + "    return requests.get(\n"
                                "        'https://rates.example/today',\n        params={'pair': 'EURUSD'},\n    )\n",
                                tmp_path)
    assert hit.patch_verified and hit.fix.risk == "low"
    assert "params={'pair': 'EURUSD'}, timeout=10,\n" in after["app.py"]
    assert check(MissingTimeout(), after) == []


def test_bandit_s_request_without_timeout_is_this_kind_and_the_review_reports_it_once():
    project = Project.from_files({"app.py": HANDLER + "    return requests.get('https://rates.example/today')\n"})
    [b113] = [i for i in bandit_issues(project) if i.test_id == "B113"]
    assert (b113.rule, b113.category, b113.line) == ("missing_timeout", "resilience", 6)
    issues = review_project(project, check_patches=False).issues
    assert [(i.rule, i.line, i.engine) for i in issues] == [("missing_timeout", 6, "sreo")]
