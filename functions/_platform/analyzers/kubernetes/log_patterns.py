"""Generic signatures of a failing cause in container logs, and how to pull the named target out of a line."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LogPattern:
    category: str
    regex: re.Pattern[str]
    describes: str  # how the summary names it
    score: float


_ENV = r"['\"`]?(?P<name>[A-Z][A-Z0-9_]{1,63})['\"`]?"
PATTERNS: tuple[LogPattern, ...] = (
    *(LogPattern("missing_env_var", re.compile(regex), "missing environment variable", 0.8) for regex in (
        r"(?i:environment variable|env(?:ironment)?[ _]var(?:iable)?|\benv\b)s?\s*[:=]?\s*" + _ENV
        + r"\s*(?i:is\s+|was\s+)?(?i:not set|not defined|not found|unset|missing|required|must be set|undefined"
        r"|empty)",
        r"(?i:missing|required|undefined|unset|no)\s+(?i:required\s+)?(?i:environment variable|env(?:ironment)?[ _]"
        r"var(?:iable)?)s?\s*[:=]?\s*" + _ENV,
        r"KeyError: " + _ENV,
        r"\b(?P<name>[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b\s+(?:is\s+)?(?i:not set|must be set|is required|is undefined)",
    )),
    LogPattern("connection_refused", re.compile(r"connection refused|ECONNREFUSED", re.IGNORECASE),
               "connection refused", 0.75),
    LogPattern("dns_failure", re.compile(
        r"no such host|Name or service not known|could not translate host name|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)"
        r"|Temporary failure in name resolution|nodename nor servname|UnknownHostException", re.IGNORECASE),
        "name resolution failed", 0.75),
    LogPattern("auth_failure", re.compile(
        r"password authentication failed|authentication failed|access denied for user|invalid credentials"
        r"|\bunauthori[sz]ed\b|\b401 Unauthorized|\b403 Forbidden", re.IGNORECASE), "authentication failed", 0.7),
    LogPattern("tls_error", re.compile(
        r"x509: |certificate (?:verify failed|has expired|is not valid|signed by unknown authority)"
        r"|SSL(?:Error|: CERTIFICATE)|tls: (?:handshake|bad certificate)", re.IGNORECASE), "TLS failure", 0.7),
    LogPattern("out_of_memory", re.compile(
        r"OutOfMemoryError|out of memory|Cannot allocate memory|heap out of memory|\bMemoryError\b",
        re.IGNORECASE), "out of memory", 0.7),
    LogPattern("timeout", re.compile(
        r"(?:connection|connect|dial tcp|read|i/o|request) (?:timed out|timeout)|context deadline exceeded"
        r"|ETIMEDOUT|timed out (?:after|waiting|connecting)", re.IGNORECASE), "timed out", 0.6),
    LogPattern("file_missing", re.compile(r"No such file or directory|FileNotFoundError|\bENOENT\b"),
               "missing file", 0.65),
    LogPattern("port_in_use", re.compile(r"address already in use|EADDRINUSE", re.IGNORECASE),
               "port already in use", 0.6),
    LogPattern("permission_denied", re.compile(r"permission denied|EACCES|Operation not permitted", re.IGNORECASE),
               "permission denied", 0.6),
    LogPattern("crash", re.compile(
        r"^panic:|Traceback \(most recent call last\)|\bFATAL\b|Unhandled (?:promise rejection|exception)"
        r"|Exception in thread|segmentation fault|\bSIGSEGV\b|uncaught exception", re.IGNORECASE),
        "fatal error", 0.55),
)

_HOST = r"(?P<host>[A-Za-z][\w.-]*[\w]|\d{1,3}(?:\.\d{1,3}){3})"
TARGETS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:server at|host(?:name)?[=:]?)\s*\"?" + _HOST + r"\"?(?:\s*\([^)]*\))?,?\s*port\s*(?P<port>\d{2,5})",
               re.IGNORECASE),
    re.compile(r"(?:lookup|host name|ENOTFOUND|EAI_AGAIN|UnknownHostException:?)\s*\"?" + _HOST, re.IGNORECASE),
    re.compile(r"(?:https?|tcp|grpc|redis|amqp|postgres(?:ql)?|mysql|mongodb)://(?:[^@/\s]+@)?" + _HOST
               + r"(?::(?P<port>\d{2,5}))?"),
    re.compile(r"(?<![\w.:/-])" + _HOST + r":(?P<port>\d{2,5})\b"),
)
TIMESTAMP = re.compile(r"^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)")


def match_line(line: str) -> tuple[LogPattern, dict[str, str]] | None:
    """The first pattern a line shows, with what it names: `target` (host or host:port) and/or `env_var`."""
    for pattern in PATTERNS:
        match = pattern.regex.search(line)
        if not match:
            continue
        named: dict[str, str] = {}
        if pattern.category == "missing_env_var":
            named["env_var"] = match["name"]
        elif target := line_target(line):
            named["target"] = target
        return pattern, named
    return None


def line_target(line: str) -> str | None:
    for regex in TARGETS:
        if match := regex.search(line):
            port = match.groupdict().get("port")
            return f"{match['host']}:{port}" if port else match["host"]
    return None
