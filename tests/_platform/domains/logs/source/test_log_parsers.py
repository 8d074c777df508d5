from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions._platform.domains.logs.source.parsers import ParseContext, detect_format, get_parser
from functions._platform.domains.logs.source.parsers.syslog import infer_year


def test_combined_line_with_request_time() -> None:
    line = '10.1.2.3 - alice [17/May/2015:10:05:03 +0000] "POST /login?next=/ HTTP/1.1" 401 12 "-" "curl/8" 0.250'
    record = get_parser("combined").parse(line, ParseContext(service="web"))
    assert record is not None
    assert (record.source_ip, record.user, record.method, record.path, record.status) == (
        "10.1.2.3", "alice", "POST", "/login", 401)
    assert record.latency_ms == 250 and record.level == "warning" and record.service == "web"
    assert record.timestamp == datetime(2015, 5, 17, 10, 5, 3, tzinfo=UTC)


def test_truncated_access_line_is_skipped_not_fatal() -> None:
    line = '10.1.2.3 - - [17/May/2015:10:05:03 +0000] "GET /broken HTTP/1.1 200 12 "-" "Mozilla'
    assert get_parser("combined").parse(line, ParseContext()) is None


def test_sshd_lines_give_source_and_user() -> None:
    parser = get_parser("syslog")
    context = ParseContext(now=datetime(2026, 3, 1, tzinfo=UTC))
    failed = parser.parse("Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from "
                          "173.234.31.186 port 38926 ssh2", context)
    assert failed is not None
    assert (failed.service, failed.program, failed.pid, failed.host) == ("sshd", "sshd", 24200, "LabSZ")
    assert (failed.source_ip, failed.user) == ("173.234.31.186", "webmaster")
    pam = parser.parse("Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= "
                       "uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root", context)
    assert pam is not None and (pam.source_ip, pam.user) == ("173.234.31.186", "root")
    reverse = parser.parse("Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for "
                           "ns.example.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!", context)
    assert reverse is not None and reverse.user is None and reverse.source_ip == "173.234.31.186"


def test_syslog_year_is_the_latest_not_in_the_future() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert infer_year(12, 10, "06:55:46", now).year == 2025
    assert infer_year(2, 28, "23:00:00", now).year == 2026
    assert infer_year(3, 1, "12:00:01", now).year == 2025  # one second ahead is the future
    assert infer_year(2, 29, "10:00:00", now).year == 2024  # the latest leap year before now


def test_syslog_priority_sets_level() -> None:
    record = get_parser("syslog").parse("<11>Mar  1 10:00:00 host app[1]: disk gone", ParseContext(
        now=datetime(2026, 3, 2, tzinfo=UTC)))
    assert record is not None and record.level == "error" and record.timestamp.day == 1


def test_json_lines_map_common_keys() -> None:
    line = ('{"@timestamp": "2026-01-02T03:04:05.5Z", "log.level": "WARN", "message": "slow", '
            '"service": {"name": "cart"}, "http": {"status_code": 503}, "client_ip": "10.0.0.1", "duration_ms": 12}')
    record = get_parser("json").parse(line, ParseContext())
    assert record is not None
    assert (record.service, record.level, record.status, record.source_ip, record.latency_ms) == (
        "cart", "warning", 503, "10.0.0.1", 12)


def test_text_parser_reads_apache_error_and_ras_styles() -> None:
    parser = get_parser("text")
    apache = parser.parse("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
                          ParseContext(default_service="httpd"))
    assert apache is not None and apache.level == "error" and apache.message.startswith("mod_jk child")
    ras = parser.parse("- 1117838570 2005.06.03 R02-M1 2005-06-03-15.42.50.675872 R02-M1 RAS KERNEL FATAL "
                       "data TLB error interrupt", ParseContext())
    assert ras is not None and ras.level == "fatal" and ras.message == "data TLB error interrupt"
    assert ras.timestamp == datetime(2005, 6, 3, 15, 42, 50, 675872, tzinfo=UTC)


@pytest.mark.parametrize(("lines", "expected"), [
    (['{"time": "2026-01-01T00:00:00Z", "msg": "a"}'], "json"),
    (['1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5 "-" "x"'], "combined"),
    (["Jan  1 00:00:00 h sshd[1]: Accepted publickey for a from 1.2.3.4 port 1 ssh2"], "syslog"),
    (["2026-01-01 10:00:00,123 ERROR worker crashed"], "text"),
])
def test_auto_detection(lines: list[str], expected: str) -> None:
    assert detect_format(lines * 3, ParseContext(now=datetime(2026, 6, 1, tzinfo=UTC))) == expected
