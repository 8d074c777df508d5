"""Log files written by the tests: a quiet baseline, and optionally a 5xx burst, a new error template and
an ssh brute force (ending in a successful login) in the last hour."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

END = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
INCIDENT_START = END - timedelta(hours=1)
START = END - timedelta(hours=7)
ATTACKER = "203.0.113.9"


def _clf(moment: datetime) -> str:
    return moment.strftime("%d/%b/%Y:%H:%M:%S +0000")


def _bsd(moment: datetime) -> str:
    return moment.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if moment.day < 10 else moment.strftime("%b %d %H:%M:%S")


def access_log(path: Path, incident: bool) -> Path:
    rng = random.Random(7)
    lines = []
    moment = START
    while moment < END:
        status = 500 if rng.random() < 0.002 else rng.choice([200, 200, 200, 304, 404])
        if incident and moment >= END - timedelta(minutes=20) and rng.random() < 0.3:
            status = 503
        client = f"198.51.100.{rng.randint(1, 200)}"
        page = rng.choice(["/", "/products", "/cart", "/static/app.js"])
        lines.append(f'{client} - - [{_clf(moment)}] "GET {page} HTTP/1.1" {status} {rng.randint(100, 9000)} '
                     f'"-" "Mozilla/5.0"')
        moment += timedelta(seconds=10)
    path.write_text("\n".join(lines) + "\n")
    return path


def app_log(path: Path, incident: bool) -> Path:
    rng = random.Random(11)
    lines = []
    moment = START
    while moment < END:
        lines.append(json.dumps({"ts": moment.isoformat(), "level": "info", "service": "api",
                                 "msg": f"request handled id={rng.randint(1, 10**6)} in {rng.randint(3, 90)}ms"}))
        if rng.random() < 0.1:
            lines.append(json.dumps({"ts": moment.isoformat(), "level": "info", "service": "api",
                                     "msg": f"cache refreshed with {rng.randint(100, 900)} entries"}))
        if incident and moment >= END - timedelta(minutes=15):
            lines.append(json.dumps({"ts": moment.isoformat(), "level": "error", "service": "api",
                                     "msg": f"payment gateway timeout after {rng.randint(2900, 3100)}ms "
                                            f"order={rng.randint(1, 10**6)}"}))
        moment += timedelta(seconds=30)
    path.write_text("\n".join(lines) + "\n")
    return path


def auth_log(path: Path, incident: bool) -> Path:
    lines = []
    moment = START
    port = 40000
    while moment < END:
        port += 1
        lines.append(f"{_bsd(moment)} bastion sshd[{port}]: Accepted publickey for deploy from 10.0.0.5 "
                     f"port {port} ssh2")
        moment += timedelta(minutes=30)
    if incident:
        attack = END - timedelta(minutes=30)
        for i in range(40):
            at = attack + timedelta(seconds=5 * i)
            user = "root" if i % 2 else "admin"
            lines.append(f"{_bsd(at)} bastion sshd[{50000 + i}]: Failed password for {user} from {ATTACKER} "
                         f"port {50000 + i} ssh2")
            lines.append(f"{_bsd(at)} bastion sshd[{50000 + i}]: pam_unix(sshd:auth): authentication failure; "
                         f"logname= uid=0 euid=0 tty=ssh ruser= rhost={ATTACKER}  user={user}")
        at = attack + timedelta(minutes=4)
        lines.append(f"{_bsd(at)} bastion sshd[50100]: Accepted password for root from {ATTACKER} port 50100 ssh2")
    lines.sort(key=lambda line: datetime.strptime(f"2026 {line[:15]}", "%Y %b %d %H:%M:%S"))
    path.write_text("\n".join(lines) + "\n")
    return path


def write_all(directory: Path, incident: bool) -> list[tuple[Path, str | None]]:
    """(file, forced service) pairs."""
    return [
        (access_log(directory / "web-access.log", incident), "web"),
        (app_log(directory / "api.jsonl", incident), None),
        (auth_log(directory / "auth.log", incident), None),
    ]
