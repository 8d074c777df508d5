"""Weak authentication as code patterns: credentials checked against literals, secrets compared with `==`; and
bandit's checks, each mapped onto a declared kind or left out with a reason."""

from __future__ import annotations

import textwrap

import pytest

from functions._platform.analyzers.kinds import declared
from functions._platform.domains.code.bandit_scan import KIND_OF_TEST, LEFT_OUT
from functions._platform.domains.code.edits import patched_text
from functions._platform.domains.code.model import Project
from functions._platform.domains.code.review import review_project, rule_issues


def found(source: str) -> list[tuple[int, str]]:
    issues = rule_issues(Project.from_files({"app.py": textwrap.dedent(source)}), "weak_auth")
    return sorted((i.line, i.cwe) for i in issues)


@pytest.mark.parametrize("check", [
    'password == "hunter22"', '"s3cr3t-token" != token', 'request.headers.get("X-Api-Key") == "k-123456"',
    'form.password.data == "letmein"',
])
def test_a_credential_checked_against_a_literal_is_hard_coded(check):
    assert found(f"def login(password, token, request, form):\n    return {check}\n") == [(2, "CWE-798")]


@pytest.mark.parametrize("check", [
    "token == expected_token", "users[name] == password", "request.headers.get('X-Api-Key') != settings.API_KEY",
    "user.api_key == hashlib.sha256(key).hexdigest()",
])
def test_a_secret_compared_with_eq_is_a_timing_leak(check):
    assert found(f"def check(token, users, name, password, user, key, request, settings, expected_token):\n"
                 f"    return {check}\n") == [(2, "CWE-208")]


@pytest.mark.parametrize("check", [
    "hmac.compare_digest(token, expected_token)", "token is None", 'token == ""', "password == None",
    'token_type == "bearer"', 'request.method == "POST"', "len(password) == 0", "secrets.compare_digest(a, b)",
])
def test_constant_time_and_presence_checks_are_not(check):
    assert found(f"def check(token, expected_token, password, token_type, request, a, b):\n    return {check}\n") \
        == []


def test_the_timing_leak_gets_a_compare_digest_patch_that_removes_it():
    source = "def check(token, expected_token):\n    if token != expected_token:\n        return False\n" \
             "    return True\n"
    project = Project.from_files({"app.py": source})
    [hit] = [i for i in review_project(project, use_bandit=False).issues if i.rule == "weak_auth"]
    after = patched_text(source, hit.fix)
    assert "if not hmac.compare_digest(token, expected_token):" in after and "import hmac" in after
    assert hit.patch and hit.patch_verified


def test_every_bandit_check_is_mapped_onto_a_declared_kind_or_left_out_with_a_reason():
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    every = set(manager.plugins_by_id) | set(manager.blacklist_by_id)
    assert every <= set(KIND_OF_TEST) | set(LEFT_OUT), sorted(every - set(KIND_OF_TEST) - set(LEFT_OUT))
    assert {f"code_{kind}" for kind in KIND_OF_TEST.values()} <= set(declared())
    assert all(reason.strip() for reason in LEFT_OUT.values())


def test_the_review_reports_no_bandit_check_under_an_undeclared_kind():
    source = textwrap.dedent("""
        import subprocess, telnetlib, tarfile, ssl, os
        def go(path):
            assert path
            try:
                subprocess.run(["ls", path])
            except Exception:
                pass
            os.chmod(path, 0o777)
            tarfile.open(path).extractall()
            telnetlib.Telnet("host")
            ssl.wrap_socket(None, ssl_version=ssl.PROTOCOL_SSLv3)
    """)
    review = review_project(Project.from_files({"app.py": source}), check_patches=False)
    kinds = {f"code_{i.rule}" for i in review.issues}
    assert kinds and kinds <= set(declared()), kinds
    assert {"code_path_traversal", "code_weak_crypto"} <= kinds


@pytest.mark.parametrize("imports, call", [
    ("import hashlib", "hashlib.md5(password.encode())"),
    ("from hashlib import md5", "md5(password.encode())"),
    ("from hashlib import sha1 as digest", "digest(password.encode())"),
    ("import hashlib as h", "h.md5(password.encode())"),
])
def test_a_password_hashed_with_md5_or_sha1_is_found_by_whatever_name_it_was_imported_under(imports, call):
    assert found(f"{imports}\ndef store(password):\n    return {call}.hexdigest()\n") == [(3, "CWE-916")]


def test_a_slow_hash_imported_under_a_fast_ones_name_is_not():
    assert found("from hashlib import scrypt as md5\ndef store(password, salt):\n"
                 "    return md5(password.encode(), salt=salt, n=2**14, r=8, p=1)\n") == []
