"""Local HTTP servers speaking the OpenAI chat-completions and Vertex AI generateContent protocols,
and a report-like document full of secrets."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

Reply = tuple[int, dict[str, Any]]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LocalServer:
    """Records every request; `reply(path, body)` decides the answer; `stall` holds answers until released."""

    reply: Callable[[str, dict[str, Any]], Reply]
    received: list[Received] = field(default_factory=list)
    stall: threading.Event | None = None
    url: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.received.append(Received("POST", self.path, headers, body))
                if server.stall is not None:
                    server.stall.wait(10)
                try:
                    status, payload = server.reply(self.path, json.loads(body or b"{}"))
                except ValueError:
                    status, payload = 400, {"error": {"code": 400, "message": "body is not JSON"}}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def chat_completion(text: str) -> Callable[[str, dict[str, Any]], Reply]:
    """An OpenAI-compatible server (as Ollama, vLLM and llama.cpp serve it) answering `text`."""

    def reply(path: str, body: dict[str, Any]) -> Reply:
        if path != "/v1/chat/completions":
            return 404, {"error": {"message": f"no route {path}"}}
        if not isinstance(body.get("messages"), list) or not body.get("model"):
            return 400, {"error": {"message": "model and messages are required"}}
        return 200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": text}}],
                     "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}

    return reply


GENERATE_CONTENT = re.compile(
    r"^/v1beta1/(?:projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/)?"
    r"publishers/google/models/(?P<model>[^/:]+):generateContent$")


def generate_content(text: str) -> Callable[[str, dict[str, Any]], Reply]:
    """A Vertex AI server answering generateContent with `text`."""

    def reply(path: str, body: dict[str, Any]) -> Reply:
        if not GENERATE_CONTENT.match(path.split("?", 1)[0]):
            return 404, {"error": {"code": 404, "message": f"no route {path}", "status": "NOT_FOUND"}}
        if not body.get("contents"):
            return 400, {"error": {"code": 400, "message": "contents is required",
                                   "status": "INVALID_ARGUMENT"}}
        return 200, {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                     "finishReason": "STOP"}],
                     "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5,
                                       "totalTokenCount": 15},
                     "modelVersion": "gemini-test"}

    return reply


# Raw values that must never reach a server, keyed by what they are.
SECRETS: dict[str, str] = {
    "aws_access_key": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlcnMtc3ZjIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU",
    "bearer": "mF_9.B5f-4.1JqM-tokenvalue",
    "authorization_basic": "dXNlcjpodW50ZXIyMDI0",
    "dsn_password": "Pg-S3cr3t-Pass",
    "url_password": "redisPassw0rd",
    "password_kv": "Tr0ub4dor-and-3",
    "quoted_password": "correct horse battery staple",
    "openai_key": "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12",
    "github_token": "ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "private_key_body": "MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0",
    "email": "jane.doe+oncall@example.com",
    "ipv4": "10.24.7.19",
    "ipv4_port": "192.168.100.42",
    "ipv6": "2001:db8:85a3::8a2e:370:7334",
    "ipv6_bracketed": "fe80::1ff:fe23:4567:890a",
}


def leaky_report() -> dict[str, Any]:
    """A report body (functions/report/compose.py `build` shape) with every secret in SECRETS somewhere in it."""
    s = SECRETS
    finding = {
        "kind": "db_connection_saturation", "subject": "postgres/orders", "severity": "critical",
        "score": 0.93,
        "summary": f"orders-api at {s['ipv4']} holds 95/100 connections via "
                   f"postgresql://orders_app:{s['dsn_password']}@db.internal:5432/orders",
        "evidence": {"client_addr": s["ipv4"]}, "query": "SELECT * FROM pg_stat_activity",
    }
    second = {
        "kind": "container_log_error", "subject": "checkout", "severity": "warning", "score": 0.6,
        "summary": f"401 with Authorization: Basic {s['authorization_basic']} and "
                   f"redis://:{s['url_password']}@cache:6379/0 from [{s['ipv6_bracketed']}]:443",
        "evidence": {}, "query": "",
    }
    return {
        "title": f"Checkout failing; reported by {s['email']}",
        "severity": "critical", "status": "reported", "service": "checkout", "namespace": "shop",
        "incident_id": "inc-1", "summary": "Most probable cause: postgres/orders (db_connection_saturation).",
        "impact": f"checkout in namespace shop is affected; clients {s['ipv6']} and {s['ipv4_port']}:8080 "
                  "see 5xx.",
        "causes": [
            {"component": "postgres/orders", "kind": "db_connection_saturation", "score": 2.1,
             "confidence": 0.82,
             "reason": f"Pool exhausted; app logs show password={s['password_kv']} and "
                       f"AWS creds {s['aws_access_key']} / {s['aws_secret_key']}",
             "evidence": [finding], "runbooks": [],
             "actions": [{"id": "c1-1", "title": f"Rotate the key {s['openai_key']} and {s['github_token']}",
                          "command": None, "risk": "low", "requires_approval": False}]},
            {"component": "checkout", "kind": "container_log_error", "score": 1.2, "confidence": 0.41,
             "reason": f"Bearer {s['bearer']} rejected; jwt {s['jwt']}", "evidence": [second],
             "actions": [], "runbooks": []},
        ],
        "domains": {"expected": ["database", "logs", "auth"], "answered": ["database", "logs"],
                    "failed": {"auth": f'config {{"password": "{s["quoted_password"]}"}} rejected'},
                    "missing": [],
                    "no_data": {"logs": f"-----BEGIN RSA PRIVATE KEY-----\n{s['private_key_body']}\n"
                                        "-----END RSA PRIVATE KEY-----"}},
        "healthy": [], "complete": False,
        "alerts": [{"alertname": "CheckoutErrors", "status": "firing", "count": 3, "labels": {},
                    "annotations": {}}],
        "timeline": [],
    }


def all_text(value: Any) -> str:
    """Every string inside a JSON-like value, joined, so escaped and nested text is compared decoded."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(all_text(k) + "\n" + all_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(all_text(v) for v in value)
    return str(value)


def assert_nothing_leaked(sent: str) -> None:
    leaked = {name: raw for name, raw in SECRETS.items() if raw in sent}
    assert not leaked, f"raw values reached the server: {leaked}"
    assert "[REDACTED:" in sent, "the redacted prompt did not reach the server at all"
