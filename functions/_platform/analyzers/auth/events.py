"""Turn log records into authentication attempts (failure or success) with their source and user."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from functions._platform.sources.logs.record import LogRecord

Outcome = Literal["failure", "success"]

_SSH_FAILED = re.compile(r"\bFailed (?:password|publickey|none|keyboard-interactive\S*) for ")
_SSH_REPEATED = re.compile(r"message repeated (\d+) times: \[ ?Failed (?:password|publickey)")
_SSH_INVALID = re.compile(r"^Invalid user ")
_PAM_FAILURE = re.compile(r"\bauthentication failure;")
_SSH_ACCEPTED = re.compile(r"\bAccepted (?:password|publickey|keyboard-interactive\S*) for (\S+) from ")
_APP_FAILURE = re.compile(
    r"\b(?:log ?in|sign ?in|authentication|auth)\s+(?:failed|failure|denied|rejected)\b|"
    r"\b(?:invalid|bad|wrong) (?:credentials|password|username or password)\b",
    re.IGNORECASE,
)
_APP_SUCCESS = re.compile(
    r"\b(?:log ?in|sign ?in|authentication)\s+(?:succeeded|successful|success|ok)\b|\blogged in\b", re.IGNORECASE
)
AUTH_PATH = re.compile(r"(?:log_?in|sign_?in|auth|token|session|oauth|sso|account)", re.IGNORECASE)


@dataclass(slots=True)
class AuthAttempt:
    timestamp: datetime
    service: str
    outcome: Outcome
    method: str  # ssh_password, ssh_invalid_user, pam, http, app
    source_ip: str | None
    user: str | None
    path: str | None
    weight: int  # attempts this line stands for ("message repeated 5 times")
    record: LogRecord


def classify(record: LogRecord) -> AuthAttempt | None:
    message = record.message

    def attempt(outcome: Outcome, method: str, weight: int = 1, user: str | None = None) -> AuthAttempt:
        return AuthAttempt(record.timestamp, record.service, outcome, method, record.source_ip,
                           user or record.user, record.path, weight, record)

    if record.status is not None:
        if record.status in (401, 403):
            return attempt("failure", "http")
        if record.status < 400 and record.path and AUTH_PATH.search(record.path) and record.method != "GET":
            return attempt("success", "http")
        return None
    repeated = _SSH_REPEATED.search(message)
    if repeated:
        return attempt("failure", "ssh_password", int(repeated.group(1)))
    if _SSH_FAILED.search(message):
        return attempt("failure", "ssh_password")
    if _SSH_INVALID.search(message):
        return attempt("failure", "ssh_invalid_user")
    if _PAM_FAILURE.search(message):
        return attempt("failure", "pam")
    accepted = _SSH_ACCEPTED.search(message)
    if accepted:
        return attempt("success", "ssh", user=accepted.group(1))
    if _APP_FAILURE.search(message):
        return attempt("failure", "app")
    if _APP_SUCCESS.search(message):
        return attempt("success", "app")
    return None


def attempts(records: Iterable[LogRecord]) -> list[AuthAttempt]:
    return [a for a in (classify(r) for r in records) if a is not None]


def failure_count(items: Sequence[AuthAttempt]) -> int:
    """Failed attempts, without counting one ssh attempt three times (Failed password + pam + Invalid user)."""
    per_method: dict[str, int] = {}
    for item in items:
        if item.outcome == "failure":
            per_method[item.method] = per_method.get(item.method, 0) + item.weight
    ssh = max(per_method.get("ssh_password", 0), per_method.get("ssh_invalid_user", 0), per_method.get("pam", 0))
    return ssh + per_method.get("http", 0) + per_method.get("app", 0)
