"""The line-parser interface and the context every parser receives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from functions._platform.domains.logs.source.record import LogRecord, normalise_level

if TYPE_CHECKING:
    from functions._platform.domains.logs.source.timestamps import TimestampFinder

IPV4 = r"(?:\d{1,3}\.){3}\d{1,3}"
IPV6 = r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
IP_RE = re.compile(rf"^(?:{IPV4}|{IPV6})$")
_LEADING_LEVEL = re.compile(
    r"^\W{0,2}(debug|info|notice|warn(?:ing)?|error|err|crit(?:ical)?|fatal|severe|alert|emerg|panic)\b\W?",
    re.IGNORECASE,
)


@dataclass
class ParseContext:
    service: str | None = None  # forced service name; parsers otherwise pick program or file stem
    default_service: str = "unknown"
    file: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))  # for year-less timestamps
    partial: str = ""  # text of runtime partial lines waiting for their final part
    _finder: TimestampFinder | None = field(default=None, repr=False)

    def finder(self) -> TimestampFinder:
        """The file's timestamp finder (it learns the file's layout as lines go by)."""
        if self._finder is None or self._finder.now != self.now:
            from functions._platform.domains.logs.source.timestamps import TimestampFinder

            self._finder = TimestampFinder(self.now)
        return self._finder


CONTINUED = object()  # the line belongs to the next record (a runtime's partial line)
Parsed = LogRecord | None | object


class LineParser(Protocol):
    name: str

    def parse(self, line: str, context: ParseContext) -> Parsed:
        """A record (its timestamp None when the line has none), None when the line is not in this parser's
        format, or CONTINUED when it is part of the record the next line completes."""


def is_ip(value: str | None) -> bool:
    return bool(value) and bool(IP_RE.match(value))


def is_loopback(address: str) -> bool:
    return address.startswith("127.") or address == "::1"


def level_from_text(message: str) -> str | None:
    """A level spelled at the start of the message (`error: ...`, `[WARN] ...`), if any."""
    match = _LEADING_LEVEL.match(message)
    return normalise_level(match.group(1)) if match else None


def level_from_status(status: int | None) -> str:
    if status is None:
        return "info"
    if status >= 500:
        return "error"
    if status >= 400:
        return "warning"
    return "info"


_SOURCE = re.compile(r"(?:\bfrom |\brhost=|\bsrc=|\bclient |\[)(?P<ip>[0-9A-Fa-f:.]{7,45})(?:\]| |:\d|;|,|\(|$)")
_USER = re.compile(
    r"(?:\bfor (?:invalid |illegal )?user |\bfor (?=\S+ from )|\b[Ii]nvalid user |\b[Ii]llegal user |\buser=|\buser "
    r"|\bruser=(?=\S)|\bUSER=)(?P<user>[^\s;,\[\]()]+)"
)
_FAILED_FOR = re.compile(r"\bFailed \w+ for (?:invalid user )?(?P<user>\S+) from ")
_BRACKETED_IP = re.compile(r"\[[\d:]")
_NOT_USERS = frozenset(("unknown", "from", "by", "root)", ""))


def auth_fields(message: str) -> tuple[str | None, str | None]:
    """(source address, user name) named in an auth message: sshd, pam_unix, su/sudo, most app logs."""
    hinted = ("from " in message or "rhost=" in message or "user" in message or "User" in message
              or "USER" in message or "src=" in message or "client " in message)
    if not hinted and not ("[" in message and _BRACKETED_IP.search(message)):
        return None, None
    sources = [ip for m in _SOURCE.finditer(message) if is_ip(ip := m["ip"].rstrip("."))]  # "from 1.2.3.4. Next"
    # a loopback address beside another is the local proxy, not the client it relays for
    source = next((s for s in sources if not is_loopback(s)), sources[0] if sources else None)
    failed = _FAILED_FOR.search(message)
    if failed:
        return source, failed["user"]
    names = [m["user"] for m in _USER.finditer(message)]
    name = next((n for n in names if n not in _NOT_USERS), None)
    return source, name
