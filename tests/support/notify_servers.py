"""Local stand-ins for Slack, PagerDuty, Teams and a signed-webhook receiver, on 127.0.0.1 and a free port.

Each checks the payload shape its real service requires and answers the way that service does: Slack `ok` or
`invalid_blocks`, PagerDuty 202 `{"status": "success"}` or 400 `invalid event`, Teams 202, webhook 401 on a bad
signature. `busy(n, retry_after)` makes the next n requests answer 429 with that Retry-After, like a rate limit."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], bytes]
SLACK_BLOCKS = {"header", "section", "context", "actions", "divider", "image", "rich_text"}


def slack_problems(body: dict[str, Any]) -> list[str]:
    problems = [] if isinstance(body.get("text"), str) else ["text fallback missing"]
    blocks = body.get("blocks")
    if not isinstance(blocks, list) or not 0 < len(blocks) <= 50:
        return problems + ["blocks must be a list of 1..50"]
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind not in SLACK_BLOCKS:
            problems.append(f"blocks[{i}]: unknown type {kind!r}")
        if kind == "header" and (block["text"].get("type") != "plain_text" or len(block["text"]["text"]) > 150):
            problems.append(f"blocks[{i}]: header needs plain_text of <= 150 chars")
        if kind == "section" and (block.get("text", {}).get("type") not in ("mrkdwn", "plain_text")
                                  or len(block["text"]["text"]) > 3000):
            problems.append(f"blocks[{i}]: section text must be mrkdwn/plain_text <= 3000")
        if kind == "actions":
            for element in block.get("elements", []):
                if element.get("type") != "button" or not element.get("text", {}).get("text"):
                    problems.append(f"blocks[{i}]: actions hold buttons with text")
                if "url" in element and not str(element["url"]).startswith(("http://", "https://", "/")):
                    problems.append(f"blocks[{i}]: bad button url")
    return problems


PD_SEVERITIES = {"critical", "error", "warning", "info"}


def pagerduty_problems(body: dict[str, Any]) -> list[str]:
    problems = [f"{key} is required" for key in ("routing_key", "event_action") if not body.get(key)]
    if body.get("event_action") not in ("trigger", "acknowledge", "resolve"):
        problems.append("event_action must be trigger, acknowledge or resolve")
    if body.get("event_action") in ("acknowledge", "resolve") and not body.get("dedup_key"):
        problems.append("dedup_key is required to acknowledge or resolve")
    if body.get("event_action") == "trigger":
        payload = body.get("payload") or {}
        problems += [f"payload.{key} is required" for key in ("summary", "source", "severity") if not payload.get(key)]
        if payload.get("severity") not in PD_SEVERITIES:
            problems.append("payload.severity must be critical, error, warning or info")
        if len(payload.get("summary", "")) > 1024:
            problems.append("payload.summary longer than 1024")
    return problems


def teams_problems(body: dict[str, Any]) -> list[str]:
    if body.get("type") != "message" or not isinstance(body.get("attachments"), list) or not body["attachments"]:
        return ["a message with attachments is required"]
    problems = []
    for attachment in body["attachments"]:
        card = attachment.get("content") or {}
        if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
            problems.append("attachment contentType must be an adaptive card")
        if card.get("type") != "AdaptiveCard" or not card.get("version") or not isinstance(card.get("body"), list):
            problems.append("content must be an AdaptiveCard with version and body")
    return problems


@dataclass
class ProtocolServer:
    kind: str
    secret: str = "whsec-test"
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    _busy: list[str] = field(default_factory=list)
    url: str = ""

    def busy(self, times: int, retry_after: str = "0") -> None:
        self._busy += [retry_after] * times

    def answer(self, headers: dict[str, str], raw: bytes) -> Answer:
        if self._busy:
            after = self._busy.pop(0)
            if self.kind == "pagerduty":
                return 429, {"Retry-After": after}, b'{"status":"throttle event","message":"Requests for this service are arriving too quickly."}'
            return 429, {"Retry-After": after}, b"rate_limited"
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {}, b"invalid_payload"
        self.received.append(body)
        self.headers.append(headers)
        return ANSWERS[self.kind](self, headers, raw, body)


def _slack(server: ProtocolServer, headers: dict[str, str], raw: bytes, body: dict[str, Any]) -> Answer:
    return (400, {}, b"invalid_blocks") if slack_problems(body) else (200, {}, b"ok")


def _pagerduty(server: ProtocolServer, headers: dict[str, str], raw: bytes, body: dict[str, Any]) -> Answer:
    problems = pagerduty_problems(body)
    if problems:
        return 400, {}, json.dumps({"status": "invalid event", "message": "Event object is invalid",
                                    "errors": problems}).encode()
    return 202, {}, json.dumps({"status": "success", "message": "Event processed",
                                "dedup_key": body.get("dedup_key")}).encode()


def _teams(server: ProtocolServer, headers: dict[str, str], raw: bytes, body: dict[str, Any]) -> Answer:
    return (400, {}, b"Bad payload") if teams_problems(body) else (202, {}, b"")


def _webhook(server: ProtocolServer, headers: dict[str, str], raw: bytes, body: dict[str, Any]) -> Answer:
    timestamp, signature = headers.get("x-sreo-timestamp", ""), headers.get("x-sreo-signature", "")
    expected = "v1=" + hmac.new(server.secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature) or abs(time.time() - float(timestamp or 0)) > 300:
        return 401, {}, b"bad signature"
    return 204, {}, b""


ANSWERS: dict[str, Callable[..., Answer]] = {"slack": _slack, "pagerduty": _pagerduty, "teams": _teams,
                                             "webhook": _webhook}


@contextmanager
def protocol_server(kind: str, **options: Any) -> Iterator[ProtocolServer]:
    state = ProtocolServer(kind, **options)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            if self.path != "/hook":  # a revoked or mistyped webhook, as Slack answers it
                status, extra, body = 404, {}, b"no_service"
            else:
                status, extra, body = state.answer({k.lower(): v for k, v in self.headers.items()}, raw)
            state.answered.append(status)
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
