"""Keep DSN passwords out of anything we return: findings, tool errors, logs."""

from __future__ import annotations

import re

_URI_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<password>[^@/\s]*)@", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(?P<key>\bpassword\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&]password=)(?P<value>[^&\s]+)", re.IGNORECASE)
MASK = "***"


def redact_dsn(text: str) -> str:
    """Mask passwords written in URI (`user:pw@`), keyword (`password=pw`) or query (`?password=pw`) form."""
    text = _URI_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    text = _KEYWORD_PASSWORD.sub(lambda m: f"{m['key']}{MASK}", text)
    return _QUERY_PASSWORD.sub(lambda m: f"{m['key']}{MASK}", text)


def redact(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """Mask DSN-shaped passwords and every known secret value wherever it appears."""
    text = redact_dsn(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text
