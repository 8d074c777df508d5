"""Alert storm: alerts/s accepted by `sreo serve`, straight to the webhook and through a real Alertmanager, the
time until every incident is reported, and the server's peak RSS; beside the same figures of a baseline commit
(default: the code before the durable outbox) measured in the same run from a temporary checkout of it.

    python bench/storm.py [--alerts 2000] [--groups 100] [--big 600] [--baseline 0638cbf] [--no-baseline]
                          [--store sqlite] [--store postgres]

Each run starts a fresh `sreo serve` on its own home, with its own store: the embedded SQLite file, or a new
database on a throw-away PostgreSQL cluster (`--store postgres`, what a deployment uses; both by default when the
PostgreSQL server binaries are installed). `direct`: one webhook per group, posted by 4 clients
at once, a tenth of the groups posted twice; `alertmanager`: the same alerts posted to Alertmanager (group_by
alertname+service), which notifies the server. Lost = alerts never stored (a refused webhook is not retried).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
from sqlalchemy import create_engine, text

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


TOKEN = "storm-bench"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def groups_of(alerts: int, groups: int, big: int) -> list[list[dict]]:
    starts = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    rest = max(alerts - big, groups - 1)
    sizes = [big] + [rest // (groups - 1) + (1 if g < rest % (groups - 1) else 0) for g in range(groups - 1)]
    return [[{"labels": {"alertname": f"Storm{g}", "service": f"svc{g % 7}", "severity": "warning",
                         "instance": f"10.{g // 250}.{g % 250}.{n}"},
              "annotations": {"summary": f"storm {g}/{n}"}, "startsAt": starts, "status": "firing",
              "fingerprint": f"{g:04x}{n:06x}"} for n in range(size)] for g, size in enumerate(sizes)]


def webhook(group: list[dict]) -> dict:
    labels = group[0]["labels"]
    return {"version": "4", "groupKey": f'{{}}:{{alertname="{labels["alertname"]}", service="{labels["service"]}"}}',
            "status": "firing", "receiver": "sreo", "truncatedAlerts": 0,
            "groupLabels": {"alertname": labels["alertname"], "service": labels["service"]},
            "commonLabels": {"alertname": labels["alertname"], "service": labels["service"]}, "alerts": group}


@contextmanager
def server(tree: Path, home: Path, database_url: str | None):
    port = free_port()
    env = {**os.environ, "SREO_HOME": str(home), "SREO_API_TOKENS": TOKEN, "SREO_CORRELATION_DEADLINE_S": "600",
           "PYTHONPATH": str(tree)}
    env.pop("SREO_DATABASE_URL", None)
    if database_url:
        env["SREO_DATABASE_URL"] = database_url
    url = f"http://127.0.0.1:{port}"
    log = (home.parent / f"{home.name}.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "functions._local.cli", "serve", "--port", str(port)],
                               cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not http_ready(f"{url}/healthz"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"sreo serve did not start from {tree}")
            time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def peak_rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) / 1024


class Store:
    """Counts what the server stored, on its SQLite file or its PostgreSQL database."""

    def __init__(self, home: Path, database_url: str | None):
        self.url = database_url or f"sqlite:///{home / 'sreo.db'}"
        self._engine = None

    def _rows(self, sql: str) -> tuple:
        if self._engine is None:
            self._engine = create_engine(self.url.replace("postgresql://", "postgresql+psycopg://", 1))
        with self._engine.connect() as connection:
            return tuple(connection.execute(text(sql)).one())

    def stored(self) -> tuple[int, int]:
        return self._rows("SELECT (SELECT count(DISTINCT fingerprint) FROM alerts), (SELECT count(*) FROM incidents)")

    def wait_reported(self, timeout_s: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            total, reported = self._rows(
                "SELECT count(*), sum(CASE WHEN status = 'reported' THEN 1 ELSE 0 END) FROM incidents")
            if total and total == reported:
                return time.monotonic() - started
            time.sleep(0.5)
        return None

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def direct(tree: Path, work: Path, groups: list[list[dict]], timeout_s: float, database_url: str | None) -> dict:
    home = work / f"direct-{tree.name}-{uuid4().hex[:6]}"
    posts = groups + groups[::10]
    store = Store(home, database_url)
    try:
        with server(tree, home, database_url) as (url, process), \
                httpx.Client(headers=HEADERS, timeout=60) as client:
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=4) as pool:
                codes = list(pool.map(
                    lambda g: client.post(f"{url}/alerts/alertmanager", json=webhook(g)).status_code, posts))
            accepted_s = time.monotonic() - started
            ok_alerts = sum(len(g) for g, code in zip(posts, codes, strict=True) if code < 300)
            reported = store.wait_reported(timeout_s)
            reported_s = None if reported is None else accepted_s + reported  # from the first post
            rss = peak_rss_mb(process.pid)
            alerts, incidents = store.stored()
    finally:
        store.close()
    return {"alerts/s": ok_alerts / accepted_s, "refused": sum(code >= 300 for code in codes),
            "lost": sum(len(g) for g in groups) - alerts, "incidents": incidents, "reported s": reported_s,
            "rss MB": rss}


def through_alertmanager(tree: Path, work: Path, groups: list[list[dict]], timeout_s: float, binary: str,
                         database_url: str | None) -> dict:
    home = work / f"am-{tree.name}-{uuid4().hex[:6]}"
    every = [{k: v for k, v in alert.items() if k not in ("fingerprint", "status")} for g in groups for alert in g]
    store = Store(home, database_url)
    with server(tree, home, database_url) as (url, process):
        port = free_port()
        config = home.with_suffix(".yml")
        config.write_text(f"""
route: {{receiver: sreo, group_by: [alertname, service], group_wait: 1s, group_interval: 2s, repeat_interval: 1h}}
receivers:
  - name: sreo
    webhook_configs:
      - url: {url}/alerts/alertmanager
        http_config: {{authorization: {{credentials: {TOKEN}}}}}
""")
        am_url = f"http://127.0.0.1:{port}"
        am = subprocess.Popen([binary, f"--config.file={config}", f"--storage.path={home.with_suffix('.am')}",
                               f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not http_ready(f"{am_url}/-/ready"):
                time.sleep(0.1)
            started = time.monotonic()
            for start in range(0, len(every), 500):
                httpx.post(f"{am_url}/api/v2/alerts", json=every[start:start + 500], timeout=60).raise_for_status()
            httpx.post(f"{am_url}/api/v2/alerts", json=every[::10], timeout=60).raise_for_status()
            alerts = 0
            while time.monotonic() - started < timeout_s and alerts < len(every):
                alerts, _ = store.stored()
                time.sleep(0.2)
            accepted_s = time.monotonic() - started
            metrics = httpx.get(f"{am_url}/metrics", timeout=10).text
            failed = sum(float(v) for v in re.findall(
                r'^alertmanager_notifications_failed_total\{[^}]*webhook[^}]*\} (\S+)$', metrics, re.MULTILINE))
            rss = peak_rss_mb(process.pid)
            _, incidents = store.stored()
        finally:
            am.terminate()
            am.wait(timeout=30)
            store.close()
    return {"alerts/s": alerts / accepted_s, "failed notifications": failed, "lost": len(every) - alerts,
            "incidents": incidents, "rss MB": rss}


@contextmanager
def baseline_tree(commit: str, work: Path):
    tree = work / f"base-{commit}"
    subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", str(tree), commit], check=True,
                   capture_output=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", str(tree)], check=False,
                       capture_output=True)


def show(title: str, rows: dict[str, dict]) -> None:
    keys = list(next(iter(rows.values())))
    print(f"\n{title}\n| store | code | " + " | ".join(keys) + " |\n|---|---|" + "---|" * len(keys))
    for name, row in rows.items():
        cells = ["-" if v is None else f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")


def _test_servers():
    """tests/support/servers, which starts the throw-away PostgreSQL the tests use."""
    if str(REPO_ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "tests"))
    from support import servers

    return servers


@contextmanager
def stores(names: list[str]) -> Iterator[dict[str, Callable[[], str | None]]]:
    """store name -> a factory of fresh database URLs (None: the server's own SQLite file)."""
    with ExitStack() as stack:
        factories: dict[str, Callable[[], str | None]] = {}
        for name in names:
            if name == "sqlite":
                factories[name] = lambda: None
            else:
                factories[name] = stack.enter_context(_test_servers().postgres(max_connections=200)).create_database
        yield factories


def default_stores() -> list[str]:
    return ["sqlite", "postgres"] if _test_servers().postgres_bindir() else ["sqlite"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--big", type=int, default=600, help="Alerts in the one big group (over 500).")
    parser.add_argument("--baseline", default="0638cbf", help="Commit to compare with.")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--store", action="append", choices=["sqlite", "postgres"],
                        help="Store to run on (repeatable; default: both when PostgreSQL is installed).")
    parser.add_argument("--timeout", type=float, default=240, help="Seconds to wait for reports / alerts.")
    args = parser.parse_args()
    binary = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    groups = groups_of(args.alerts, args.groups, args.big)
    work = Path(tempfile.mkdtemp(prefix="sreo-storm-"))
    try:
        trees = {"current": REPO_ROOT}
        with (baseline_tree(args.baseline, work) if not args.no_baseline else _none()) as base, \
                stores(args.store or default_stores()) as databases:
            if base is not None:
                trees[f"baseline {args.baseline}"] = base
            print(f"{sum(map(len, groups))} alerts in {len(groups)} groups (largest {args.big}), 10% posted twice")
            runs = {(store, name): tree for store in databases for name, tree in trees.items()}
            show("Straight to the webhook (4 clients)", {
                f"{store} | {name}": direct(tree, work, groups, args.timeout, databases[store]())
                for (store, name), tree in runs.items()})
            if binary:
                show("Through Alertmanager", {
                    f"{store} | {name}": through_alertmanager(tree, work, groups, args.timeout, binary,
                                                              databases[store]())
                    for (store, name), tree in runs.items()})
            else:
                print("\nno prometheus-alertmanager binary: the Alertmanager figures are skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def _none():
    yield None


if __name__ == "__main__":
    main()
