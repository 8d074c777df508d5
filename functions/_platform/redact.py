"""Remove secrets, tokens, emails and IP addresses from text before it leaves the process.

``redact`` removes all of them (what an LLM is sent); ``redact_secrets`` removes only credentials (keys, tokens,
passwords), for evidence a responder reads, where addresses and user names are the diagnosis.

Rules run in order; earlier rules take the wider context (a whole header, a whole key block) so
later ones do not see half of it. Every replacement is a `[REDACTED:<what>]` placeholder, and
placeholders never match a rule, so `redact` is idempotent.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Any

Replacement = str | Callable[[re.Match[str]], str]

_NOT_PLACEHOLDER = r"(?!\s*[\"']?\[REDACTED:)"
_VALUE = r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;&}]+)"  # quoted, or up to a separator
_SECRET_KEY = re.compile(
    r"(?i)password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|credentials?|session[_-]?id")
_IPV4_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV6_ADDRESS = (r"((?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?"
                 r"(?:%[\w.\-]+)?)")


def _keep_quotes(value: str, placeholder: str) -> str:
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{quote}{placeholder}{quote}"


def _header(match: re.Match[str]) -> str:
    name = match.group(1)
    return f"{name}{match.group(2)}{_keep_quotes(match.group(3), f'[REDACTED:{name.lower()}]')}"


def _key_value(match: re.Match[str]) -> str:
    if not _SECRET_KEY.search(match.group(1)):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{_keep_quotes(match.group(3), '[REDACTED:secret]')}"


def _ipv6(match: re.Match[str]) -> str:
    candidate = (match.group(1) or match.group(2)).split("%", 1)[0]
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return match.group(0)
    return "[REDACTED:ipv6]"


# Quantifiers that could run over long unbroken text are bounded, so a rule costs at most a constant per
# starting position and redaction stays linear in the length of the text.
RULES: list[tuple[str, re.Pattern[str], Replacement]] = [
    ("private_key", re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?"
        r"(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)", re.DOTALL), "[REDACTED:private_key]"),
    ("authorization", re.compile(
        r"(?im)\b((?:proxy-)?authorization|cookie|set-cookie)([\"']?\s*[:=]\s*)" + _NOT_PLACEHOLDER
        + r"(\"[^\"\n]*\"|'[^'\n]*'|[^\r\n]+)"), _header),
    ("bearer", re.compile(r"(?i)\b(bearer)\s+" + _NOT_PLACEHOLDER + r"[A-Za-z0-9\-._~+/]{8,}=*"),
     lambda m: f"{m.group(1)} [REDACTED:token]"),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[REDACTED:jwt]"),
    ("url_password", re.compile(
        r"(?i)\b([a-z][a-z0-9+.\-]{0,20}://)([^\s:/@\[\]]{0,128}):" + _NOT_PLACEHOLDER + r"[^\s@]{1,256}@"),
     lambda m: f"{m.group(1)}{m.group(2)}:[REDACTED:password]@"),
    ("key_value", re.compile(
        r"(?<![A-Za-z0-9_.\-])([A-Za-z0-9_.\-]{1,80})([\"']?\s*[:=]\s*)" + _NOT_PLACEHOLDER + _VALUE),
     _key_value),
    ("aws_access_key", re.compile(
        r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b"), "[REDACTED:aws_access_key]"),
    ("api_key", re.compile(
        r"\b(?:sk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_\-]{16,}|gh[pousr]_[A-Za-z0-9]{30,}"
        r"|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{35}"
        r"|glpat-[A-Za-z0-9_\-]{20,})"), "[REDACTED:api_key]"),
    # 40 base64 characters with both cases: the shape of an AWS secret key (a git SHA is lower-case hex).
    ("aws_secret_key", re.compile(
        r"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])[A-Za-z0-9/+]{40}"
        r"(?![A-Za-z0-9/+=])"), "[REDACTED:aws_secret_key]"),
    ("email", re.compile(
        r"\b[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]{1,63}){0,8}"
        r"\.[A-Za-z]{2,24}\b"),
     "[REDACTED:email]"),
    ("ipv6", re.compile(r"\[" + _IPV6_ADDRESS + r"\]|(?<![\w:.\-\[])" + _IPV6_ADDRESS + r"(?![\w:]|\.\d)"), _ipv6),
    ("ipv4", re.compile(
        r"(?<![\w.])(?:" + _IPV4_OCTET + r"\.){3}" + _IPV4_OCTET + r"(?:/\d{1,2})?(?!\.?\d)"), "[REDACTED:ipv4]"),
]


PERSONAL = frozenset({"email", "ipv4", "ipv6"})


def redact(text: str) -> str:
    """`text` with every secret, token, email and IP address replaced by a `[REDACTED:<what>]` placeholder."""
    for _, pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_secrets(text: str) -> str:
    """`text` with credentials replaced by placeholders; emails and IP addresses are kept."""
    for name, pattern, replacement in RULES:
        if name not in PERSONAL:
            text = pattern.sub(replacement, text)
    return text


def redact_secrets_in(value: Any) -> Any:
    """The same structure with every string in it, keys too (a log template can be a key), passed through
    ``redact_secrets``."""
    if isinstance(value, str):
        return redact_secrets(value)
    if isinstance(value, dict):
        return {redact_secrets_in(key): redact_secrets_in(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_secrets_in(item) for item in value]
    return value


def redact_finding(finding: Any) -> Any:
    """A finding (``sreo_events.models.Finding``) whose summary, evidence and query carry no credentials."""
    return finding.model_copy(update={"summary": redact_secrets(finding.summary), "query": redact_secrets(finding.query),
                                      "evidence": redact_secrets_in(finding.evidence)})
