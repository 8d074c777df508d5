"""Recorded incident scenarios (tests/scenarios/<name>/), replayed through an in-process orchestrator.

A folder holds `scenario.yaml`:

    description: what happened, in a sentence or two
    recorded_at: 2026-03-14T10:30:00Z      # the moment the files were recorded (default: that value)
    expect: {component: cart, kind: image_pull_error}   # kind is optional
    report: {text: "...", service: cart, namespace: shop}   # when there is no alert.json
    xfail: why the product cannot get it right yet       # optional; the bench still counts it
    group: heldout-3                       # optional (default dev): when it was written, for the bench's figures

and any of these inputs, each fed the way a user would:

    snapshot.json      `kubectl get ... -o json` List             -> SREO_KUBE_SNAPSHOT
    logs/<service>.log one service's log                          -> `sreo logs ingest --service <service>`
    metrics/*          OpenMetrics or CSV files                    -> SREO_METRICS_FILES
    traces/*           OTLP/JSON trace exports                     -> SREO_TRACES_FILES
    topology.yaml      declared topology                           -> SREO_TOPOLOGY_FILE
    alert.json         Alertmanager v4 webhook                     -> POST /alerts/alertmanager

Replaying moves every timestamp in the inputs (ISO 8601 text, Go's and nginx's `2026/03/14 10:00:00`, the access
log's `[14/Mar/2026:10:00:00 +0000]`, epoch seconds near `recorded_at` in metric
files and epoch nanoseconds near it in trace files) by the time elapsed since `recorded_at`, so the incident happens "now", as it did when recorded.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.search import get_search_backend
from support.orchestrator import Orchestrator, orchestrators

ROOT = Path(__file__).resolve().parents[1] / "scenarios"
DEFAULT_RECORDED_AT = "2026-03-14T10:30:00Z"
ISO = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>[T ])(?P<time>\d{2}:\d{2}:\d{2})(?P<frac>[.,]\d+)?"
                 r"(?P<zone>Z|[+-]\d{2}:?\d{2})?")
GO_LOG = re.compile(r"(?<!\d)(?P<date>\d{4}/\d{2}/\d{2}) (?P<time>\d{2}:\d{2}:\d{2})")  # Go's log, nginx's error.log
CLF = re.compile(r"\[(?P<day>\d{2})/(?P<month>[A-Z][a-z]{2})/(?P<year>\d{4}):(?P<time>\d{2}:\d{2}:\d{2})(?P<zone> [+-]\d{4})\]")
EPOCH = re.compile(r"(?<![\w.])(?P<seconds>1[0-9]{9})(?P<frac>\.\d+)?(?![\w])")
EPOCH_RANGE = timedelta(days=30)
NANOS = re.compile(r'"(1[0-9]{18})"')  # OTLP/JSON's startTimeUnixNano / endTimeUnixNano strings


@dataclass
class Scenario:
    name: str
    folder: Path
    description: str
    expect_component: str
    expect_kind: str | None
    recorded_at: datetime
    report: dict[str, Any] | None = None
    xfail: str | None = None
    spec: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    scenario: Scenario
    report: dict[str, Any]
    incident_service: str | None  # what triage read the alert or question as naming

    @property
    def components(self) -> list[str]:
        return [cause["component"] for cause in self.report.get("causes", [])]

    @property
    def top(self) -> dict[str, Any] | None:
        causes = self.report.get("causes") or []
        return causes[0] if causes else None

    def right(self) -> bool:
        top = self.top
        return bool(top and top["component"] == self.scenario.expect_component
                    and (self.scenario.expect_kind is None or top["kind"] == self.scenario.expect_kind))

    def baseline_right(self) -> bool:
        """The naive answer: blame what the alert or the question names."""
        return self.incident_service == self.scenario.expect_component


def as_time(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def discover(root: Path = ROOT) -> list[Scenario]:
    found = []
    for path in sorted(root.glob("*/scenario.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        expect = spec.get("expect") or {}
        found.append(Scenario(
            name=path.parent.name, folder=path.parent, description=str(spec.get("description", "")).strip(),
            expect_component=expect["component"], expect_kind=expect.get("kind"),
            recorded_at=as_time(spec.get("recorded_at", DEFAULT_RECORDED_AT)), report=spec.get("report"),
            xfail=spec.get("xfail"), spec=spec))
    return found


def _shift_iso(text: str, delta: timedelta) -> str:
    def move(match: re.Match[str]) -> str:
        if int(match["date"][:4]) < 1971:  # Alertmanager's zero endsAt and the like
            return match[0]
        frac = match["frac"] or ""
        moment = datetime.fromisoformat(f"{match['date']}T{match['time']}{frac.replace(',', '.')}")
        moment += delta
        stamp = f"{moment:%Y-%m-%d}{match['sep']}{moment:%H:%M:%S}"
        if frac:
            stamp += frac[0] + f"{moment.microsecond:06d}"[: len(frac) - 1]
        return stamp + (match["zone"] or "")

    def move_go(match: re.Match[str]) -> str:
        moment = datetime.strptime(f"{match['date']} {match['time']}", "%Y/%m/%d %H:%M:%S") + delta
        return f"{moment:%Y/%m/%d %H:%M:%S}"

    def move_clf(match: re.Match[str]) -> str:  # the access log's [14/Mar/2026:09:50:00 +0000]
        moment = datetime.strptime(f"{match['day']}/{match['month']}/{match['year']}:{match['time']}",
                                   "%d/%b/%Y:%H:%M:%S") + delta
        return f"[{moment:%d/%b/%Y:%H:%M:%S}{match['zone']}]"

    return CLF.sub(move_clf, GO_LOG.sub(move_go, ISO.sub(move, text)))


def _shift_epochs(text: str, recorded_at: datetime, delta: timedelta) -> str:
    low, high = (recorded_at - EPOCH_RANGE).timestamp(), (recorded_at + EPOCH_RANGE).timestamp()

    def move(match: re.Match[str]) -> str:
        seconds = int(match["seconds"])
        if not low <= seconds <= high:
            return match[0]
        return str(seconds + int(delta.total_seconds())) + (match["frac"] or "")

    return EPOCH.sub(move, text)


def _shift_nanos(text: str, recorded_at: datetime, delta: timedelta) -> str:
    low, high = (recorded_at - EPOCH_RANGE).timestamp() * 1e9, (recorded_at + EPOCH_RANGE).timestamp() * 1e9
    shift = int(delta.total_seconds()) * 1_000_000_000

    def move(match: re.Match[str]) -> str:
        nanos = int(match[1])
        return f'"{nanos + shift}"' if low <= nanos <= high else match[0]

    return NANOS.sub(move, text)


def replay_copy(scenario: Scenario, target: Path, now: datetime) -> Path:
    """A copy of the scenario's inputs with every timestamp moved so that `recorded_at` becomes `now`."""
    delta = now - scenario.recorded_at
    shutil.copytree(scenario.folder, target)
    for path in target.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        text = _shift_iso(text, delta)
        if "metrics" in path.relative_to(target).parts:
            text = _shift_epochs(text, scenario.recorded_at, delta)
        if "traces" in path.relative_to(target).parts:
            text = _shift_nanos(text, scenario.recorded_at, delta)
        path.write_text(text, encoding="utf-8")
    return target


def sources_of(folder: Path) -> dict[str, Any]:
    metrics = sorted(p for p in (folder / "metrics").glob("*") if p.is_file()) if (folder / "metrics").is_dir() else []
    traces = sorted(p for p in (folder / "traces").glob("*") if p.is_file()) if (folder / "traces").is_dir() else []
    return {
        "kube_snapshot": folder / "snapshot.json" if (folder / "snapshot.json").is_file() else None,
        "metrics_files": ",".join(str(p) for p in metrics) or None,
        "traces_files": ",".join(str(p) for p in traces) or None,
        "topology_file": folder / "topology.yaml" if (folder / "topology.yaml").is_file() else None,
    }


def _ingest_logs(folder: Path, settings: Settings) -> None:
    logs = sorted((folder / "logs").glob("*.log")) if (folder / "logs").is_dir() else []
    if not logs:
        return
    backend = get_search_backend(settings)
    try:
        for path in logs:
            if ingest_file(path, backend, service=path.stem).indexed == 0:
                raise AssertionError(f"nothing ingested from {path}")
    finally:
        backend.close()


def run(scenario: Scenario, workdir: Path, start: Callable[..., Orchestrator], common: dict[str, Any],
        timeout: float = 90) -> Outcome:
    """One scenario on a fresh store: replay its inputs, raise its alert or report, wait for the stored report."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)  # whole minutes keep scrapes on their grid
    folder = replay_copy(scenario, workdir / "inputs", now)
    options = {"home": workdir / "home", **sources_of(folder)}
    _ingest_logs(folder, Settings(**common, **options))
    orchestrator = start(**options)
    client = orchestrator.client
    if (folder / "alert.json").is_file():
        answer = client.post("/alerts/alertmanager", content=(folder / "alert.json").read_bytes(),
                             headers={"content-type": "application/json"})
        assert answer.status_code == 202, answer.text
        incident_id = answer.json()["incidents"][0]["id"]
    else:
        spec = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
        report = dict(spec.get("report") or {})
        if report.get("started_at") is not None:
            report["started_at"] = as_time(report["started_at"]).isoformat()
        answer = client.post("/incidents", json=report)
        assert answer.status_code == 202, answer.text
        incident_id = answer.json()["id"]
    stored = orchestrator.report(incident_id, timeout=timeout)
    service = client.get(f"/incidents/{incident_id}").json().get("service")
    return Outcome(scenario, stored, service)


@contextmanager
def scenario_runner(database_url: str | None) -> Iterator[Callable[[Scenario, Path], Outcome]]:
    """`run(scenario, workdir)` on the given store (None: the embedded SQLite file under each run's home)."""
    common = {"database_url": database_url, "opensearch_url": None, "prometheus_url": None, "api_tokens": None,
              "correlation_deadline_s": 60, "agent_timeout_s": 30}
    with orchestrators(**common) as start:
        yield lambda scenario, workdir: run(scenario, workdir, start, common)
