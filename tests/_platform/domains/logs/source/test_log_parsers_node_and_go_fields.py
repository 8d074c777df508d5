"""pino's numeric levels and pino-http's request fields, and logfmt's error field, reach the record."""

from __future__ import annotations

import json

import pytest

from functions._platform.domains.logs.source.parsers import ParseContext, get_parser

CONTEXT = ParseContext(service="session-api")


@pytest.mark.parametrize(("number", "level"), [(60, "fatal"), (50, "error"), (40, "warning"), (30, "info"),
                                               (20, "debug"), (10, "debug")])
def test_pino_numeric_levels_are_read(number: int, level: str) -> None:
    doc = {"level": number, "time": "2026-03-14T10:06:00.000Z", "msg": "failed to create session"}
    assert get_parser("json").parse(json.dumps(doc), CONTEXT).level == level


def test_pino_http_request_fields_are_read() -> None:
    doc = {"level": 30, "time": "2026-03-14T10:06:00.000Z", "msg": "request completed",
           "req": {"method": "POST", "url": "/v1/sessions"}, "res": {"statusCode": 500}, "responseTime": 4}
    record = get_parser("json").parse(json.dumps(doc), CONTEXT)
    assert (record.method, record.path, record.status, record.latency_ms) == ("POST", "/v1/sessions", 500, 4)


def test_a_level_that_is_text_still_wins_over_the_status() -> None:
    doc = {"level": "warn", "time": "2026-03-14T10:06:00.000Z", "msg": "slow", "res": {"statusCode": 500}}
    assert get_parser("json").parse(json.dumps(doc), CONTEXT).level == "warning"


@pytest.mark.parametrize("key", ["err", "error"])
def test_logfmt_appends_the_error_beside_the_message(key: str) -> None:
    line = (f'time=2026-03-14T10:00:07.574Z level=error msg="ledger post failed" {key}="Post \\"https://ledger:8443/v1\\":'
            ' x509: certificate has expired or is not yet valid"')
    record = get_parser("logfmt").parse(line, CONTEXT)
    assert record.message == ('ledger post failed: Post "https://ledger:8443/v1": x509: certificate has expired or '
                              'is not yet valid')


def test_logfmt_does_not_repeat_an_error_the_message_holds() -> None:
    line = 'time=2026-03-14T10:00:07Z level=error msg="dial failed: connection refused" err="connection refused"'
    assert get_parser("logfmt").parse(line, CONTEXT).message == "dial failed: connection refused"
