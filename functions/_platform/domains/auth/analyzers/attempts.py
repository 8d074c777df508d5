"""Turn log records into authentication attempts (failure or success) with their source and user."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from functions._platform.domains.auth.analyzers.addresses import remote_address
from functions._platform.domains.logs.source.parsers.contract import is_ip
from functions._platform.domains.logs.source.record import LogRecord

Outcome = Literal["failure", "success"]

_SSH_FAILED = re.compile(r"\bFailed (?:password|publickey|none|keyboard-interactive\S*) for ")
_SSH_REPEATED = re.compile(r"message repeated (\d+) times: \[ ?Failed (?:password|publickey)")
_SSH_INVALID = re.compile(r"^Invalid user ")
_PAM_FAILURE = re.compile(r"\bauthentication failures?;")
_PAM_MORE = re.compile(r"\b(\d+) more authentication failures;")
_SUDO_INCORRECT = re.compile(r"\b(\d+) incorrect password attempts?\b")
_SU_FAILED = re.compile(r"^(?:FAILED su for \S+ by (?P<by>\S+)|pam_authenticate: Authentication failure)")
_RHOST = re.compile(r"\brhost=(?P<host>[^\s;]+)")
_RUSER = re.compile(r"\b(?:ruser|logname)=(?P<user>[^\s;]+)")
_SSH_ACCEPTED = re.compile(r"\bAccepted (?:password|publickey|keyboard-interactive\S*) for (\S+) from ")
# a failed login as programs phrase it: an auth noun with a failure word a few words on ("Registration from
# '<sip:301@example.com>' failed", "Authentication attempt from 192.0.2.0 for user "x" failed"), a failure word
# before the noun ("FAILED LOGIN", "wrong password"), or an unknown account ("user x not found", "no such user")
_AUTH_NOUN = r"(?:authentication|authorization|authenticate|auth|log ?in|logon|sign ?in|password|passwd|credentials?|" \
             r"registration|challenge ?response)"
_FAIL_WORD = r"(?:failed|failure|fails|denied|rejected|refused|incorrect|invalid|mismatch|unsuccessful|" \
             r"(?:did|does|might|may|could) not (?:have )?(?:work|succeed)(?:ed)?|didn't (?:work|succeed))"
_APP_FAILURE = re.compile(
    rf"(?<![\w-]){_AUTH_NOUN}\b(?:\W+[^\s]+){{0,6}}?\W+{_FAIL_WORD}\b|(?<![\w-]){_AUTH_NOUN}\s+error\b|"
    rf"\b(?:failed|invalid|bad|wrong|incorrect|unknown)\s+(?:\w+\s+)?(?:{_AUTH_NOUN}|user(?:name)?|account)\b|"
    r"\bfailed to (?:authenticate|log ?in)\b|"
    r"\b(?:no such|no matching|unknown|nonexistent|non-existent) (?:user|account)\b|\bno matching (?:peer|endpoint)\b|"
    r"\buser\b(?:\W+[^\s]+){0,6}?\s+not found\b|\buser unknown\b|\b(?:access|client) denied\b|\bfailure from\b",
    re.IGNORECASE,
)
# a client that offered no credentials yet (the first half of an HTTP auth challenge, an empty name) has not
# tried a password: counting it would count every browser's first request
_NO_CREDENTIALS = re.compile(
    r"\b(?:missing|empty|no)\s+(?:or invalid\s+)?(?:authorization header|credentials|user ?name)\b|"
    r"\bunknown user ''|\binvalid authorization header\b",
    re.IGNORECASE,
)
# event names written as one identifier (`SecurityEvent="InvalidPassword"`, `LoginFailed`) read as words
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
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

    @property
    def session(self) -> tuple[str, str, int] | None:
        """One login conversation (a daemon's pid): its lines are one attempt seen several ways."""
        pid = self.record.pid
        return (self.service, self.record.host or "", pid) if pid is not None and self.method != "http" else None


def _source(record: LogRecord, message: str) -> str | None:
    """The remote address, else pam's remote host name, else `local:<user>` for su/sudo on the machine."""
    if record.source_ip:
        return record.source_ip
    rhost = _RHOST.search(message)
    if rhost:
        return rhost["host"]
    address = remote_address(message)
    if address:
        return address
    ruser = _RUSER.search(message)
    return f"local:{ruser['user']}" if ruser else None


# (pattern, outcome, method, group holding the attempts it stands for, group holding the user), tried in order
_DAEMON_LINES = (
    (_SSH_REPEATED, "failure", "ssh_password", 1, None),
    (_SSH_FAILED, "failure", "ssh_password", None, None),
    (_SSH_INVALID, "failure", "ssh_invalid_user", None, None),
    (_PAM_MORE, "failure", "pam", 1, None),
    (_PAM_FAILURE, "failure", "pam", None, None),
    (_SUDO_INCORRECT, "failure", "pam", 1, None),
    (_SU_FAILED, "failure", "pam", None, "by"),
    (_SSH_ACCEPTED, "success", "ssh", None, 1),
)


def _http_outcome(record: LogRecord) -> Outcome | None:
    if record.status == 401 and record.method == "GET" and not record.user:
        return None  # a challenge: the client has sent no credentials yet (every browser's first request)
    if record.status in (401, 403):
        return "failure"
    if record.status < 400 and record.path and AUTH_PATH.search(record.path) and record.method != "GET":
        return "success"
    return None


def _app_outcome(message: str) -> Outcome | None:
    if _NO_CREDENTIALS.search(message):
        return None
    if _APP_FAILURE.search(message) or ((words := _CAMEL.sub(" ", message)) != message
                                        and _APP_FAILURE.search(words)):
        return "failure"
    return "success" if _APP_SUCCESS.search(message) else None


def classify(record: LogRecord) -> AuthAttempt | None:
    message = record.message

    def attempt(outcome: Outcome, method: str, weight: int = 1, user: str | None = None) -> AuthAttempt:
        source = record.source_ip if method == "http" else _source(record, message)
        return AuthAttempt(record.timestamp, record.service, outcome, method, source,
                           user or record.user, record.path, weight, record)

    if record.status is not None:
        outcome = _http_outcome(record)
        return attempt(outcome, "http") if outcome else None
    for pattern, outcome, method, weight, user in _DAEMON_LINES:
        match = pattern.search(message)
        if match:
            return attempt(outcome, method, int(match.group(weight)) if weight else 1,
                           match.group(user) if user else None)
    outcome = _app_outcome(message)
    return attempt(outcome, "app") if outcome else None


def attempts(records: Iterable[LogRecord]) -> list[AuthAttempt]:
    """Attempts in record order; lines of one login session share the address any of them names (pam may
    name the client by its host name where sshd gives the address)."""
    found = [a for a in (classify(r) for r in records) if a is not None]
    address: dict[tuple, str] = {}
    for item in found:
        session = item.session
        if session is not None and item.source_ip and is_ip(item.source_ip):
            address.setdefault(session, item.source_ip)
    if address:
        for item in found:
            session = item.session
            if session in address and not (item.source_ip and is_ip(item.source_ip)):
                item.source_ip = address[session]
    return found


def counted(items: Sequence[AuthAttempt]) -> list[AuthAttempt]:
    """The failures that count, each attempt once: within one login session (pid) the method that logged the
    most, since `Invalid user`, pam's `authentication failure` and `Failed password` describe the same try; a
    generic phrasing (`app`: "user unknown", "invalid user ...") counts only where no daemon-specific line did,
    as it echoes the same try once more. Lines without a session are grouped by request (`_request`) the same way.

    Every count of failed attempts comes from here, so a source's count never exceeds its service's."""
    sessions: dict[tuple, dict[str, list[AuthAttempt]]] = {}
    for item in items:
        if item.outcome != "failure":
            continue
        sessions.setdefault(item.session or _request(item), {}).setdefault(item.method, []).append(item)
    kept: list[AuthAttempt] = []
    for methods in sessions.values():
        specific = {method: group for method, group in methods.items() if method != "app"} or methods
        kept.extend(max(specific.values(), key=lambda group: (sum(i.weight for i in group), len(group))))
    kept.sort(key=lambda item: item.timestamp)
    return kept


def _request(item: AuthAttempt) -> tuple:
    """Session-less lines of one request: an app's "login failed" and its access line, same source and second."""
    return ("request", item.service, item.source_ip, item.timestamp.replace(microsecond=0))


def failure_count(items: Sequence[AuthAttempt]) -> int:
    """Failed attempts, each counted once (see `counted`)."""
    return sum(item.weight for item in counted(items))
