"""Timestamp layouts, levels, multi-line records and timestamp-less files, on fixtures written here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.parsers import ParseContext, detect_format
from functions._platform.domains.logs.source.reader import RecordReader
from functions._platform.domains.logs.source.timestamps import find_timestamp
from functions._platform.search.sqlite_fts import SqliteFtsBackend

NOW = datetime(2026, 3, 1, tzinfo=UTC)
REPO = REPO_ROOT

LAYOUTS = [
    ("2024-05-01T12:00:00Z GET done", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("2024-05-01T12:00:00.123+02:00 started", datetime(2024, 5, 1, 12, 0, 0, 123000, timezone(timedelta(hours=2)))),
    ("2024-05-01 12:00:00,250 ERROR [main] o.a.Foo: boom", datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)),
    ("[2024-05-01 12:00:00] local.INFO: hi", datetime(2024, 5, 1, 12, tzinfo=UTC)),
    ("Feb 10 06:55:46 host sshd[1]: Accepted", datetime(2026, 2, 10, 6, 55, 46, tzinfo=UTC)),
    ("<34>1 2024-05-01T12:00:00.003Z web su - ID47 - 'su root' failed", datetime(2024, 5, 1, 12, 0, 0, 3000, UTC)),
    ("[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6", datetime(2005, 12, 4, 4, 47, 44, tzinfo=UTC)),
    ("1717243200 job finished", datetime(2024, 6, 1, 12, tzinfo=UTC)),
    ("1717243200123 job finished", datetime(2024, 6, 1, 12, 0, 0, 123000, tzinfo=UTC)),
    ("19/06/09 20:10:40 INFO storage.BlockManager: ok", datetime(2019, 6, 9, 20, 10, 40, tzinfo=UTC)),
    ("2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack", datetime(2016, 9, 28, 4, 30, 30,
                                                                                          tzinfo=UTC)),
    ("02-17 16:13:38.811  1702  2395 D WindowManager: focus", datetime(2026, 2, 17, 16, 13, 38, 811000, UTC)),
    ("190109 203615 148 INFO dfs.DataNode: served block", datetime(2019, 1, 9, 20, 36, 15, tzinfo=UTC)),
    ("20180102-22:15:29:606|Step_LSC|3002|onStandStepChanged 3579", datetime(2018, 1, 2, 22, 15, 29, 606000, UTC)),
    ("[02.20 16:49:06] app.exe - proxy.example.com:443 open", datetime(2026, 2, 20, 16, 49, 6, tzinfo=UTC)),
    ("- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2915]: run", datetime(2005, 11, 9, 12, 1, 1,
                                                                                         tzinfo=UTC)),
    ("77 node-2 unix.hw state_change.unavailable 1077804742 1 Component State", datetime(2004, 2, 26, 14, 12, 22,
                                                                                          tzinfo=UTC)),
    ("svc.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 257 INFO nova", datetime(2017, 5, 16, 0, 0, 0, 8000, UTC)),
    ('10.0.0.1 - - [10/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5', datetime(2015, 5, 10, 10, 5, 3, tzinfo=UTC)),
    ("Dec 4, 2005 4:47:44 PM org.apache.Catalina start", datetime(2005, 12, 4, 16, 47, 44, tzinfo=UTC)),
    ("2005-06-03-15.42.50.675872 R02 RAS KERNEL INFO cache", datetime(2005, 6, 3, 15, 42, 50, 675872, UTC)),
    ("E0201 12:00:00.123456   1 reflector.go:1] failed to list", datetime(2026, 2, 1, 12, 0, 0, 123456, UTC)),
    ("1:M 01 Feb 2024 12:00:00.123 * Ready to accept", datetime(2024, 2, 1, 12, 0, 0, 123000, UTC)),
    ("2024/02/01 12:00:00 [error] 12#0: *1 connect() failed", datetime(2024, 2, 1, 12, tzinfo=UTC)),
    # day-first with dashes or dots, American with slashes
    ("11-06-2013 02:09:40 +0300 PROXY.3128 00004 - 1.2.3.4:28783", datetime(2013, 6, 10, 23, 9, 40, tzinfo=UTC)),
    ("03.07.2005 23:07:20 SMTP Server: Authentication failed", datetime(2005, 7, 3, 23, 7, 20, tzinfo=UTC)),
    ("07/03/2005 23:07:20 SMTP Server: Authentication failed", datetime(2005, 7, 3, 23, 7, 20, tzinfo=UTC)),
    ("L 01/01/2014 - 01:25:17: Bad Rcon from 31.29.29.89:57370", datetime(2014, 1, 1, 1, 25, 17, tzinfo=UTC)),
    ("Apr-07-13 07:08:36 [SSL-out] 68.171.223.68 SSL negotiation failed", datetime(2013, 4, 7, 7, 8, 36, tzinfo=UTC)),
    ("2014:07:02-13:07:40: '40.40.123.231' 13 failed login attempts", datetime(2014, 7, 2, 13, 7, 40, tzinfo=UTC)),
    ("130324  0:04:00 [Warning] Access denied for user 'root'@'1.2.3.4'", datetime(2013, 3, 24, 0, 4, tzinfo=UTC)),
    ("2015-10-07  8:25:38 139845235329792 [Warning] Access denied", datetime(2015, 10, 7, 8, 25, 38, tzinfo=UTC)),
    ("@400000004c91b044077a9e94 imap-login: Aborted login (auth failed)",
     datetime(2010, 9, 16, 5, 50, 50, 125476, tzinfo=UTC)),
    ("[PDT Apr 16 21:05:29] error    : Warning: Client supplied wrong password",
     datetime(2025, 4, 17, 4, 5, 29, tzinfo=UTC)),
    ("Sun Dec  4 04:47:44 CET 2005 cron[1]: ran", datetime(2005, 12, 4, 3, 47, 44, tzinfo=UTC)),  # date(1)
    ("apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn", datetime(2013, 4, 15, 20, 34, 8, tzinfo=UTC)),
]


def test_klog_letter_is_the_level(tmp_path: Path) -> None:
    _, entries, _ = _read(tmp_path, "E0201 12:00:00.123456   1 reflector.go:1] failed to list\n"
                                    "I0201 12:00:01.000000   1 main.go:9] started\n")
    assert [e.record.level for e in entries] == ["error", "info"]


@pytest.mark.parametrize(("line", "expected"), LAYOUTS)
def test_timestamp_layouts(line: str, expected: datetime) -> None:
    found = find_timestamp(line, NOW)
    assert found is not None and found.timestamp == expected


def test_year_is_inferred_not_in_the_future() -> None:
    assert find_timestamp("Mar 02 00:00:01 h p: x", NOW).timestamp.year == 2025  # a day after NOW: last year
    assert find_timestamp("Feb 28 23:59:59 h p: x", NOW).timestamp.year == 2026


def _read(tmp_path: Path, text: str, fmt: str = "auto"):
    path = tmp_path / "app.log"
    path.write_text(text)
    context = ParseContext(now=NOW, default_service="app", file=path.name)
    if fmt == "auto":
        fmt = detect_format(text.splitlines(), context)
    reader = RecordReader(fmt, context, file_time=NOW)
    return fmt, list(reader.read(text.splitlines(keepends=True))), reader.stats


def test_stack_trace_is_one_record(tmp_path: Path) -> None:
    text = ("2024-05-01 12:00:00,001 INFO  [main] Service: started\n"
            "2024-05-01 12:00:01,002 ERROR [worker-1] Service: request failed\n"
            "java.lang.IllegalStateException: pool exhausted\n"
            "\tat com.example.Pool.take(Pool.java:42)\n"
            "\tat com.example.Service.handle(Service.java:7)\n"
            "Caused by: java.net.ConnectException: Connection refused\n"
            "\t... 12 more\n"
            "2024-05-01 12:00:02,003 WARN  [main] Service: retrying\n")
    fmt, entries, stats = _read(tmp_path, text)
    assert fmt == "text"
    assert [e.record.level for e in entries] == ["info", "error", "warning"]
    assert entries[1].line_count == 6 and "Caused by" in entries[1].record.message
    assert (stats.lines, stats.records, stats.joined, stats.untimed) == (8, 3, 5, 0)


def test_python_traceback_joined(tmp_path: Path) -> None:
    text = ("2024-05-01T12:00:00Z ERROR handler crashed\n"
            "Traceback (most recent call last):\n"
            '  File "app.py", line 3, in <module>\n'
            "ValueError: boom\n"
            "2024-05-01T12:00:05Z INFO recovered\n")
    _, entries, stats = _read(tmp_path, text)
    assert len(entries) == 2 and entries[0].line_count == 4 and stats.joined == 3


def test_kubectl_logs_without_timestamps_are_kept(tmp_path: Path) -> None:
    text = "starting server on :8080\nERROR: cannot reach db\nlistening\n"
    fmt, entries, stats = _read(tmp_path, text, fmt="kubectl")
    assert fmt == "kubectl"
    assert len(entries) == 3 and stats.untimed == 3 and stats.file_time_used == 3
    assert all(e.record.timestamp == NOW for e in entries)
    assert entries[1].record.level == "error"


def test_kubectl_with_timestamps_reads_inner_json(tmp_path: Path) -> None:
    text = ('2024-05-01T12:00:00.123456789Z {"level":"warn","msg":"slow query","ts":"2020-01-01T00:00:00Z"}\n'
            "2024-05-01T12:00:01.000000001Z plain text line\n")
    _, entries, stats = _read(tmp_path, text, fmt="kubectl")
    first = entries[0].record
    assert first.timestamp == datetime(2024, 5, 1, 12, 0, 0, 123456, UTC)
    assert (first.level, first.message) == ("warning", "slow query") and stats.untimed == 0


def test_cri_partial_lines_join(tmp_path: Path) -> None:
    text = ("2024-05-01T12:00:00.000000001Z stdout P first half \n"
            "2024-05-01T12:00:00.000000002Z stdout F second half\n"
            "2024-05-01T12:00:01.5Z stderr F level=error msg=\"disk full\"\n")
    fmt, entries, _ = _read(tmp_path, text)
    assert fmt == "cri"
    assert entries[0].record.message == "first half second half"
    assert (entries[1].record.level, entries[1].record.message) == ("error", "disk full")


def test_logfmt(tmp_path: Path) -> None:
    text = ('time=2024-05-01T12:00:00Z level=info msg="request done" status=200 path=/api\n'
            'time=2024-05-01T12:00:01Z level=error msg="upstream \\"db\\" down" status=503\n')
    fmt, entries, _ = _read(tmp_path, text)
    assert fmt == "logfmt"
    assert entries[1].record.message == 'upstream "db" down' and entries[1].record.status == 503


def test_lines_without_time_take_the_previous_time(tmp_path: Path) -> None:
    text = "Dec 10 06:55:46 host app[1]: one\n-- banner line --\nDec 10 06:55:50 host app[1]: two\n"
    _, entries, stats = _read(tmp_path, text)
    assert len(entries) == 3 and stats.untimed == 1 and stats.file_time_used == 0
    assert entries[1].record.timestamp == entries[0].record.timestamp


def test_linux_syslog_variants(tmp_path: Path) -> None:
    text = ("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 "
            "tty=NODEVssh ruser= rhost=218.188.2.4 \n"
            "Jul 27 14:41:57 combo -- root[2421]: ROOT LOGIN ON tty2\n"
            "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)\n")
    fmt, entries, stats = _read(tmp_path, text)
    assert fmt == "syslog" and stats.untimed == 0 and len(entries) == 3
    assert entries[0].record.source_ip == "218.188.2.4"
    assert entries[1].record.program == "root" and entries[2].record.user == "cyrus"


def test_ingest_json_summary_from_cli(tmp_path: Path) -> None:
    log = tmp_path / "svc.log"
    log.write_text("no time here\n2024-05-01 12:00:00 INFO up\n  continued\n2024-05-01 12:00:09 ERROR down\n")
    stamp = datetime(2024, 6, 1, tzinfo=UTC).timestamp()
    os.utime(log, (stamp, stamp))
    env = {key: value for key, value in os.environ.items() if key not in ("SREO_DATABASE_URL", "SREO_OPENSEARCH_URL")}
    env["SREO_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "functions._local.cli", "logs", "ingest", str(log), "--json"],
                          capture_output=True, text=True, env=env, cwd=REPO, check=True)
    summary = json.loads(done.stdout)
    assert (summary["lines"], summary["indexed"], summary["lines_without_timestamp"]) == (4, 3, 1)
    assert summary["timed_by_file_mtime"] == 1 and summary["joined_lines"] == 1
    assert summary["first_time"].startswith("2024-05-01T12:00:00") and summary["last_time"].startswith("2024-06-01")
    assert summary["format_share"]["text"] == 0.5


def test_never_rejected_and_counts_on_store(tmp_path: Path) -> None:
    log = tmp_path / "odd.log"
    log.write_text("".join(f"event {i} without any time\n" for i in range(30)))
    backend = SqliteFtsBackend(tmp_path / "s.db")
    try:
        stats = ingest_file(log, backend, context=ParseContext(now=NOW))
        assert stats.indexed == 30 and stats.read.untimed == 30
    finally:
        backend.close()


def test_json_lines_without_times_stay_json(tmp_path: Path) -> None:
    fmt, entries, stats = _read(tmp_path, '{"level":"error","msg":"db down"}\n{"level":"info","msg":"retry"}\n')
    assert fmt == "json" and stats.untimed == 2
    assert [(e.record.level, e.record.message) for e in entries] == [("error", "db down"), ("info", "retry")]


def test_an_access_line_in_a_text_file_keeps_its_request(tmp_path: Path) -> None:
    """An app server's own access lines among its messages (a layout the access-log parser does not take: a
    named zone, a size `34/38`) still give the client, its user, the request and the status."""
    path = tmp_path / "sogo.log"
    path.write_text("Mar 24 08:58:32 sogod [26818]: SOGoRootPage Login from '203.0.113.9' for user 'kiddy'\n"
                    '203.0.113.9 - kiddy [24/Mar/2013:08:58:32 GMT] "POST /SOGo/connect?x=1 HTTP/1.1" 403 34/38 0.311'
                    " - - 2M\n", encoding="utf-8")
    context = ParseContext(now=datetime(2013, 3, 25, tzinfo=UTC))
    reader = RecordReader(detect_format(path.read_text().splitlines(), context), context, datetime.now(UTC))
    access = [entry.record for entry in reader.read(path.read_text().splitlines(True))][1]
    assert (access.source_ip, access.user, access.method, access.path, access.status, access.level) == (
        "203.0.113.9", "kiddy", "POST", "/SOGo/connect", 403, "warning")
