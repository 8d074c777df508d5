"""Brute force over the auth layouts Linux machines write, read from text through the parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.auth.analyzers.attempts import attempts, failure_count
from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.parsers import ParseContext, detect_format
from functions._platform.domains.logs.source.reader import RecordReader

NOW = datetime(2026, 6, 30, tzinfo=UTC)


def read(lines: list[str]):
    context = ParseContext(now=NOW, default_service="auth")
    reader = RecordReader(detect_format(lines, context), context, NOW)
    return [entry.record for entry in reader.read(lines)]


def pam_host_attack() -> list[str]:
    """pam_unix failures whose remote host is a DNS name, one pid per try, plus a quiet user."""
    lines = []
    at = datetime(2026, 6, 14, 15, 0, 0)
    for i in range(12):
        stamp = (at + timedelta(seconds=20 * i)).strftime("%b %d %H:%M:%S")
        lines.append(f"{stamp} combo sshd(pam_unix)[{19000 + i}]: authentication failure; logname= uid=0 euid=0 "
                     f"tty=NODEVssh ruser= rhost=61-220-1-2.static.example.net  user=root")
        lines.append(f"{stamp} combo sshd(pam_unix)[{19000 + i}]: check pass; user unknown")
    lines.append("Jun 14 15:10:00 combo sshd(pam_unix)[20001]: authentication failure; logname= uid=0 euid=0 "
                 "tty=NODEVssh ruser= rhost=198.51.100.7 ")
    return lines


def test_pam_rhost_names_are_sources() -> None:
    records = read(pam_host_attack())
    context = windows_before(records[0].timestamp - timedelta(minutes=1), records[-1].timestamp + timedelta(minutes=1))
    flagged = {f.evidence["source_ip"]: f.evidence["attempts"] for f in BruteForce().analyze(records, context)}
    assert flagged == {"61-220-1-2.static.example.net": 12}


def test_one_ssh_try_counts_once_and_sources_add_up() -> None:
    lines = []
    for i, ip in enumerate(["203.0.113.5"] * 6 + ["203.0.113.9"] * 6):
        pid = 3000 + i
        stamp = f"Jun 20 10:{i:02d}:00"
        lines += [f"{stamp} web sshd[{pid}]: Invalid user admin{i} from {ip}",
                  (f"{stamp} web sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                  f"tty=ssh ruser= rhost={ip}"),
                  f"{stamp} web sshd[{pid}]: Failed password for invalid user admin{i} from {ip} port 22 ssh2"]
    records = read(lines)
    items = attempts(records)
    assert failure_count(items) == 12
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(minutes=1))
    findings = BruteForce().analyze(records, context)
    assert sorted(f.evidence["attempts"] for f in findings) == [6, 6]
    assert all(f.evidence["max_in_10m"] <= f.evidence["attempts"] for f in findings)
    assert all(f"{f.evidence['attempts']} failed logins" in f.summary for f in findings)


def test_su_and_sudo_failures_have_a_local_source() -> None:
    lines = [f"Jun 21 09:00:{i:02d} box sudo: pam_unix(sudo:auth): authentication failure; logname=eve uid=1001 "
             f"euid=0 tty=/dev/pts/1 ruser=eve rhost=  user=eve" for i in range(6)]
    lines.append("Jun 21 09:01:00 box sudo:      eve : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/eve ; "
                 "USER=root ; COMMAND=/bin/sh")
    records = read(lines)
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(minutes=1))
    findings = BruteForce().analyze(records, context)
    assert [f.evidence["source_ip"] for f in findings] == ["local:eve"]
    assert findings[0].evidence["attempts"] == 6  # sudo's closing tally names no source


def test_no_spike_at_the_start_of_a_file() -> None:
    records = read(pam_host_attack())
    # the window covers the file's start; the baseline before it holds no lines at all
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(minutes=1))
    assert AuthFailureSpike().analyze(records, context) == []


def test_attacker_text_is_quoted_in_summaries() -> None:
    evil = "[red]x[/red]\x1b[2J`rm`"
    lines = [f"Jun 22 10:00:{i:02d} web sshd[{4000 + i}]: Failed password for root from 203.0.113.5 port 22 ssh2"
             for i in range(6)]
    records = read(lines)
    for record in records:
        record.source_ip = evil
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(minutes=1))
    summary = BruteForce().analyze(records, context)[0].summary
    assert "\x1b" not in summary and "`[red]x[/red] [2J'rm'`" in summary


def test_a_session_named_by_host_and_address_is_one_source() -> None:
    lines = []
    for i in range(6):
        pid = 7000 + i
        lines += [(f"Jun 23 10:0{i}:00 web sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                  f"euid=0 tty=ssh ruser= rhost=dsl-5-6.example.net  user=root"),
                  f"Jun 23 10:0{i}:01 web sshd[{pid}]: Failed password for root from 5.6.7.8 port 22 ssh2"]
    records = read(lines)
    context = windows_before(records[0].timestamp, records[-1].timestamp + timedelta(minutes=1))
    assert [(f.evidence["source_ip"], f.evidence["attempts"]) for f in BruteForce().analyze(records, context)] == [
        ("5.6.7.8", 6)]
