"""weak_auth's shape-only rule: a handler's credential tested only for presence or format is flagged; one that is
looked up, compared or handed to a verifier is not, nor a function that is not a handler."""

from __future__ import annotations

import pytest
from support.code_rules import check, where

from functions._platform.domains.code.rules.shape_only_auth import ShapeOnlyCredential

ROUTE = "import re\nfrom flask import Flask, abort\napp = Flask(__name__)\n@app.post('/admin/run')\n" \
        "def run(command: str, auth_token: str = ''):\n"
TOOL = "import re\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP('ops')\n@mcp.tool()\n" \
       "def verify(session_token: str) -> str:\n"


@pytest.mark.parametrize("prefix, body, line", [
    (ROUTE, "    if auth_token:\n        return f'ran {command}'\n    abort(401)\n", 6),
    (ROUTE, "    if not auth_token or len(auth_token) != 32:\n        abort(401)\n    return 'ran'\n", 6),
    (ROUTE, "    if auth_token is None:\n        abort(401)\n    return 'ran'\n", 6),
    (TOOL, ("    if re.match(r'^[0-9a-f]{32}$', session_token):\n        return f'{session_token} is valid'\n"
           "    return 'invalid'\n"), 6),
    (TOOL, "    return 'ok' if session_token.startswith('sess-') else 'no'\n", 6),
])
def test_a_credential_tested_only_for_presence_or_shape_is_flagged(prefix, body, line):
    found = check(ShapeOnlyCredential(), prefix + body)
    assert where(found) == [("app.py", line, "CWE-287", "high")]
    assert found[0].rule == "weak_auth" and not found[0].fix.edits


@pytest.mark.parametrize("prefix, body", [
    (ROUTE, "    if not auth_token or auth_token not in TOKENS:\n        abort(401)\n    return 'ran'\n"),
    (ROUTE, "    if not verify_token(auth_token):\n        abort(401)\n    return 'ran'\n"),
    (ROUTE, "    user = sessions.get(auth_token)\n    if user is None:\n        abort(401)\n    return 'ran'\n"),
    (ROUTE, "    if not hmac.compare_digest(auth_token, EXPECTED):\n        abort(401)\n    return 'ran'\n"),
    (ROUTE, "    return f'ran {command} with {auth_token}'\n"),  # never tested: not a gate at all
    (TOOL, "    if not session_token:\n        return 'missing'\n    return store.lookup(session_token)\n"),
])
def test_a_credential_checked_against_the_real_ones_is_not(prefix, body):
    assert check(ShapeOnlyCredential(), prefix + body) == []


def test_a_helper_that_is_not_a_handler_is_not():
    source = "def looks_like_token(token):\n    return bool(token) and len(token) == 32\n"
    assert check(ShapeOnlyCredential(), source) == []
