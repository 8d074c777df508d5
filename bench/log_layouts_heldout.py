"""Held-out log layouts: fail2ban's annotated test logs, through `sreo logs ingest` and `sreo scan` as a user runs
them, beside naive baselines in the same run.

    python bench/log_layouts_heldout.py [--cache DIR] [--only NAME ...] [--show]

fail2ban's authors annotate their test lines with what a parser should read from each (`# failJSON: {"time":
..., "match": true, "host": ...}`), over some ninety programs' layouts that the project's parsers were not written
from. The files come from Debian's `fail2ban` package (pinned version and sha256, fetched with `apt-get download`
into the cache). The comment lines are taken out; what is left is the log.

- **Timestamps.** Every file goes through one `sreo logs ingest FILE... --json` into a fresh store; the stored
  records are read back through the logs MCP server's `fetch_records`. fail2ban's times are Europe/Zurich wall
  clock (its tests run in that zone): a line that states its zone is right when its instant is that wall clock in
  Zurich, a line without one when its own wall clock is. Each file's modification time is set to its last
  annotated line, as a log file's is, since year-less lines take their year from it; a line wrong in its year
  only is counted apart. Baseline: dateutil's fuzzy parser on each line's head.
- **Brute force.** Each authentication filter's file in a store of its own, scanned with `sreo scan --json`. The
  truth is the hosts whose annotated failures meet the brute-force rule (5 within 10 minutes, or 20 in the file),
  counting what fail2ban's normal mode matches (lines under a `filterOptions` of other modes only, such as
  dovecot's "aggressive" disconnects before any login, are not failed logins);
  found are the sources of `brute_force` and `credential_stuffing` threats. Baseline: 5 or more lines saying
  fail/invalid/denied with the same IPv4 address.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PACKAGE, VERSION = "fail2ban", "1.0.2-2"
SHA256 = "9717b7aeef7b00f0df4c76045cd6dab2755cbe9fc99dbfe3cd114126880ec7f7"
LOGS = "usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
ZURICH = ZoneInfo("Europe/Zurich")
ANNOTATION = re.compile(r"#\s*failJSON:\s*(\{.*\})\s*$")
OPTIONS = re.compile(r"#\s*filterOptions:\s*(\[.*\])\s*$")
AUTH_FILTERS = frozenset({"3proxy", "apache-auth", "asterisk", "bitwarden", "centreon", "courier-auth",
    "courier-smtp", "cyrus-imap", "directadmin", "domino-smtp", "dovecot", "dropbear", "drupal-auth",
    "ejabberd-auth", "freeswitch", "froxlor-auth", "gitlab", "grafana", "groupoffice", "gssftpd", "guacamole",
    "haproxy-http-auth", "horde", "kerio", "lighttpd-auth", "mongodb-auth", "monit", "monitorix", "mssql-auth",
    "murmur", "mysqld-auth", "nginx-http-auth", "openhab", "openwebmail", "pam-generic", "perdition",
    "phpmyadmin-syslog", "proftpd", "pure-ftpd", "roundcube-auth", "screensharingd", "selinux-ssh", "sendmail-auth",
    "sieve", "slapd", "softethervpn", "sogo-auth", "solid-pop3d", "squirrelmail", "sshd", "sshd-journal", "tine20",
    "traefik-auth", "uwimap-auth", "vsftpd", "webmin-auth", "wuftpd", "xinetd-fail", "znc-adminlog", "zoneminder",
    "zzz-generic-example", "zzz-sshd-obsolete-multiline"})
HEAD = 40  # the baseline parses the line's head, where a timestamp is; the whole line confuses it more
OFFSET = re.compile(r"\d\d:\d\d(?:[.,]\d+)?\s?(?P<sign>[+-])(?P<h>[01]\d):?(?P<m>[0-5]\d)\b")
NAIVE_FAILURE = re.compile(r"fail|invalid|denied|incorrect|unauthori[sz]ed|wrong", re.IGNORECASE)
NAIVE_IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")


@dataclass
class Sample:
    name: str
    lines: list[str] = field(default_factory=list)
    notes: dict[int, list[dict]] = field(default_factory=dict)  # line index -> its annotations

    def expected_times(self) -> dict[int, datetime]:
        return {i: _time(n["time"]) for i, notes in self.notes.items() for n in notes[:1] if n.get("time")}

    def failures(self) -> dict[str, list[datetime]]:
        found: dict[str, list[datetime]] = {}
        for notes in self.notes.values():
            for note in notes:
                if (note.get("match") and note.get("host") and note.get("time") and "constraint" not in note
                        and note.get("default_mode", True)):
                    found.setdefault(note["host"].lower(), []).extend([_time(note["time"])] * int(note.get("attempts", 1)))
        return found


def _time(text: str) -> datetime:
    day, clock = text.split("T")
    year, month, date = (int(part) for part in day.split("-"))
    return datetime(year, month, date, *(int(part) for part in clock[:8].split(":")))


def fetch(cache: Path) -> Path:
    """fail2ban's test logs, from the Debian package in the cache (downloaded when missing, its hash checked)."""
    cache.mkdir(parents=True, exist_ok=True)
    deb = cache / f"{PACKAGE}_{VERSION}_all.deb"
    if not deb.is_file():
        subprocess.run(["apt-get", "download", f"{PACKAGE}={VERSION}"], cwd=cache, check=True, capture_output=True)
    digest = hashlib.sha256(deb.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{deb.name}: sha256 {digest}, expected {SHA256}")
    root = cache / f"{PACKAGE}-{VERSION}"
    if not (root / LOGS).is_dir():
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root / LOGS


def samples(folder: Path) -> list[Sample]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sample, pending = Sample(str(path.relative_to(folder)).replace("/", "__")), []
        default_mode = True  # the lines below a `filterOptions` of other modes only ("aggressive") fail there
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("#"):
                if options := OPTIONS.match(line):
                    default_mode = any(o.get("mode", "normal") == "normal" for o in json.loads(options.group(1)))
                elif match := ANNOTATION.match(line):
                    pending.append({**json.loads(match.group(1)), "default_mode": default_mode})
            elif line.strip():
                if pending:
                    sample.notes[len(sample.lines)] = pending
                sample.lines.append(line)
                pending = []
        found.append(sample)
    return found


def write(sample: Sample, folder: Path) -> Path:
    path = folder / f"{sample.name}.log"
    path.write_text("".join(f"{line}\n" for line in sample.lines), encoding="utf-8")
    if times := sample.expected_times().values():
        last = max(times).replace(tzinfo=ZURICH).timestamp() + 60
        os.utime(path, (last, last))
    return path


def sreo(home: Path, *args: str) -> str:
    env = {**os.environ, "SREO_HOME": str(home), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "functions._local.cli", *args], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"sreo {' '.join(args[:3])}... exited {done.returncode}: {done.stderr[-800:]}")
    return done.stdout


def stored_records(home: Path) -> list[dict]:
    """Every stored record, through the logs MCP server (in-process, over the MCP protocol)."""
    os.environ["SREO_HOME"] = str(home)
    from functions._platform.config import Settings
    from functions._platform.mcp.client import ToolSession

    async def read() -> dict:
        async with ToolSession("logs", Settings(home=home)) as tools:
            return await tools.call("fetch_records", {"start": "1970-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z",
                                                      "limit": 50_000})

    return asyncio.run(read())["records"]


def judged(stored: datetime | None, expected: datetime, line: str = "") -> str:
    """right, year (right but for the year), or wrong. fail2ban reads a line's own wall clock where it states an
    offset (`+0300`), else the wall clock in Zurich of a line in UTC (`Z`), else the line's wall clock."""
    if stored is None:
        return "wrong"
    walls = [stored.replace(tzinfo=None), stored.astimezone(ZURICH).replace(tzinfo=None)]
    if offset := OFFSET.search(line[:HEAD]):
        hours, minutes = int(offset["h"]), int(offset["m"])
        shift = timedelta(hours=hours, minutes=minutes) * (-1 if offset["sign"] == "-" else 1)
        walls.append((stored + shift).replace(tzinfo=None))
    for wall in walls:
        if wall.replace(microsecond=0) == expected:
            return "right"
        if wall.replace(microsecond=0, year=expected.year) == expected:
            return "year"
    return "wrong"


def dateutil_time(line: str, year: int) -> datetime | None:
    from dateutil import parser

    try:
        return parser.parse(line[:HEAD], fuzzy=True, default=datetime(year, 1, 1))
    except (ValueError, OverflowError):
        return None


def timestamps(chosen: list[Sample], work: Path, show: bool) -> list[tuple]:
    files = [write(sample, work / "logs") for sample in chosen]
    summaries = {s["file"]: s for s in map(json.loads, sreo(work / "home", "logs", "ingest", *map(str, files),
                                                             "--json").splitlines())}
    by_line: dict[tuple[str, str], list[dict]] = {}
    for record in stored_records(work / "home"):
        by_line.setdefault((record.get("file"), record.get("raw", "")), []).append(record)
    rows = []
    for sample, path in zip(chosen, files, strict=True):
        verdicts, naive = Counter(), Counter()
        year = max(sample.expected_times().values(), default=datetime.now()).year  # what the file's mtime says
        for index, expected in sorted(sample.expected_times().items()):
            line = sample.lines[index]
            hits = by_line.get((path.name, line[:500])) or []
            stored = datetime.fromisoformat(hits.pop(0)["timestamp"]) if hits else None
            verdicts[judged(stored, expected, line)] += 1
            naive[judged(dateutil_time(line, year), expected, line)] += 1
            if show and judged(stored, expected, line) == "wrong":
                print(f"  {sample.name}: stored {stored} expected {expected}: {line[:110]}")
        summary = summaries.get(path.name, {})
        rows.append((sample.name, len(sample.lines), summary.get("indexed", 0), summary.get("format", "?"),
                     sum(verdicts.values()), verdicts["right"], verdicts["year"], naive["right"], naive["year"]))
    return rows


def bursts(times: list[datetime]) -> bool:
    ordered = sorted(times)
    return len(ordered) >= 20 or any(ordered[i + 4] - ordered[i] <= timedelta(minutes=10)
                                     for i in range(len(ordered) - 4))


def brute_force(sample: Sample, work: Path) -> tuple[set[str], set[str], set[str]]:
    """(truth, found by `sreo scan`, found by the naive baseline) for one file."""
    truth = {host for host, times in sample.failures().items() if bursts(times)}
    home = work / f"home-{sample.name}"
    sreo(home, "logs", "ingest", str(work / "logs" / f"{sample.name}.log"), "--json")
    threats = json.loads(sreo(home, "scan", "--since", "40y", "--json", "--no-record"))["threats"]
    found = {str(t["evidence"]["source_ip"]).lower() for t in threats
             if t["kind"] in ("brute_force", "credential_stuffing") and t["evidence"].get("source_ip")}
    naive = Counter(ip for line in sample.lines if NAIVE_FAILURE.search(line) for ip in set(NAIVE_IP.findall(line)))
    return truth, found, {ip for ip, count in naive.items() if count >= 5}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "sreo-bench",
                        help="where the package is downloaded and unpacked (default: ~/.cache/sreo-bench)")
    parser.add_argument("--only", nargs="*", default=None, help="fail2ban filter names to run (default: all)")
    parser.add_argument("--show", action="store_true", help="print every line whose stored time is wrong")
    args = parser.parse_args(argv)
    chosen = [s for s in samples(fetch(args.cache)) if args.only is None or s.name in args.only]
    with tempfile.TemporaryDirectory(prefix="sreo-layouts-") as tmp:
        work = Path(tmp)
        (work / "logs").mkdir()
        rows = timestamps(chosen, work, args.show)
        print(f"{'file':34} {'lines':>5} {'indexed':>7} {'format':>8} {'timed':>5} {'right':>5} {'year':>4} "
              f"{'dateutil':>8} {'year':>4}")
        for name, lines, indexed, fmt, timed, right, year, naive, naive_year in rows:
            print(f"{name[:34]:34} {lines:>5} {indexed:>7} {fmt:>8} {timed:>5} {right:>5} {year:>4} {naive:>8} "
                  f"{naive_year:>4}")
        lines, indexed, timed, right, year, naive, naive_year = (sum(row[i] for row in rows) for i in (1, 2, 4, 5, 6, 7, 8))
        print(f"timestamps: {len(rows)} files, {indexed}/{lines} lines indexed; of {timed} annotated times {right} right "
              f"({right / max(timed, 1):.1%}) and {year} right but for the year ({(right + year) / max(timed, 1):.1%} "
              f"with them); dateutil's fuzzy parser {naive} right ({naive / max(timed, 1):.1%}) and {naive_year} but "
              f"for the year ({(naive + naive_year) / max(timed, 1):.1%})")
        tally = Counter()
        for sample in chosen:
            if sample.name in AUTH_FILTERS and sample.expected_times():  # a file without times has no truth
                truth, found, naive = brute_force(sample, work)
                tally.update(tp=len(truth & found), fp=len(found - truth), fn=len(truth - found),
                             ntp=len(truth & naive), nfp=len(naive - truth), nfn=len(truth - naive))
                if truth or found:
                    print(f"brute force {sample.name}: truth {sorted(truth)} found {sorted(found)} naive {sorted(naive)}")
    for label, tp, fp, fn in (("sreo scan", tally["tp"], tally["fp"], tally["fn"]),
                              ("naive baseline", tally["ntp"], tally["nfp"], tally["nfn"])):
        print(f"brute force, {label}: tp {tp} fp {fp} fn {fn}  precision {tp / max(tp + fp, 1):.2f} "
              f"recall {tp / max(tp + fn, 1):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
