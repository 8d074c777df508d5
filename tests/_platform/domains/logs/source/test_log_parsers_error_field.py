"""A structured logger's error field is part of the message the vocabulary reads."""

from __future__ import annotations

import json

import pytest

from functions._platform.domains.logs.source.parsers import ParseContext, get_parser

LOOKUP = "dial tcp: lookup orders on 10.96.0.10:53: i/o timeout"


@pytest.mark.parametrize("doc", [
    {"level": "error", "ts": "2026-03-14T10:27:25Z", "msg": "upstream call failed", "error": LOOKUP},  # zap
    {"level": "error", "time": "2026-03-14T10:27:25Z", "msg": "upstream call failed", "err": LOOKUP},
    {"level": 50, "time": 1773483945000, "msg": "upstream call failed",  # pino's serialised err
     "err": {"type": "Error", "message": LOOKUP, "stack": "Error: ..."}},
    {"@timestamp": "2026-03-14T10:27:25Z", "log.level": "error", "message": "upstream call failed",  # ECS
     "error": {"message": LOOKUP, "type": "net.OpError"}},
])
def test_the_error_beside_the_message_is_appended(doc: dict) -> None:
    record = get_parser("json").parse(json.dumps(doc), ParseContext(service="checkout"))
    assert record.message == f"upstream call failed: {LOOKUP}"


def test_an_error_the_message_already_holds_is_not_repeated() -> None:
    doc = {"msg": f"upstream call failed: {LOOKUP}", "error": LOOKUP, "ts": "2026-03-14T10:27:25Z"}
    record = get_parser("json").parse(json.dumps(doc), ParseContext(service="checkout"))
    assert record.message == f"upstream call failed: {LOOKUP}"


def test_a_line_without_an_error_keeps_its_message() -> None:
    doc = {"msg": "request completed", "status": 200, "ts": "2026-03-14T10:27:25Z"}
    assert get_parser("json").parse(json.dumps(doc), ParseContext(service="checkout")).message == "request completed"
