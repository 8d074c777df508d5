"""The remote address a failed login's line names, in the many ways programs write it.

Tried in order: an address after a word that introduces the peer (`rip=`, `[client 1.2.3.4:51380]`, `from`,
`for '1.2.3.4'`, `Host 1.2.3.4`, `'root'@'1.2.3.4'` (a SIP address's `@host` is the domain it claims, not the
peer), `relay=::ffff:1.2.3.4`, `RemoteAddress="IPV4/UDP/1.2.3.4/5060"`), else the only address in the line that
is not the server's own (`lip=`, `to 192.0.2.1`). Every candidate must parse as an IP address, so a clock
(`12:57:32`) is never one.
"""

from __future__ import annotations

import ipaddress
import re

from functions._platform.domains.logs.source.parsers.contract import is_loopback

_CANDIDATE = r"[0-9A-Fa-f.:]{3,45}"
_PEER = re.compile(
    r"(?:\b(?:rip|ip|client|src|remote|remote_?addr(?:ess)?|rhost|relay|from|host|for|addr(?:ess)?|by)\b|'@)"
    r"[=:\s]*['\"(<\[]*(?:IPV[46]/)?(?:(?:TCP|UDP|TLS)[:/])?\[?(?P<ip>" + _CANDIDATE + ")",
    re.IGNORECASE,
)
_ANY = re.compile(r"(?<![\w.:])(?P<ip>" + _CANDIDATE + r")(?![\w])")
_OWN = re.compile(r"\b(?:lip|dst|local|local_?addr(?:ess)?|to|server)\b[=:\s]*['\"(\[]*(?P<ip>" + _CANDIDATE + ")", re.IGNORECASE)


def _address(text: str) -> str | None:
    """`text` as an address (a port, brackets and an IPv4-mapped prefix taken off), or None."""
    text = text.strip("[]").rstrip(".:")
    candidates = [text]
    if text.count(":") == 1 or (text.count(".") == 3 and ":" in text.rsplit(".", 1)[-1]):
        candidates.append(text.rsplit(":", 1)[0])  # 1.2.3.4:51380
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        mapped = getattr(address, "ipv4_mapped", None)
        return str(mapped or address)
    return None


def remote_address(message: str) -> str | None:
    """The peer; a loopback one only when the line names no other (behind a local proxy, the loopback address is
    the proxy, and the client it relays for is named beside it)."""
    peers = [a for m in _PEER.finditer(message) if (a := _address(m["ip"]))]
    if peers:
        return next((a for a in peers if not is_loopback(a)), peers[0])
    own = {a for m in _OWN.finditer(message) if (a := _address(m["ip"]))}
    found = {a for m in _ANY.finditer(message) if (a := _address(m["ip"]))} - own
    return found.pop() if len(found) == 1 else None
