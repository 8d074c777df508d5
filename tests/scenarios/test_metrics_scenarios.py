"""The metrics scenarios (`tests/scenarios/metrics-*`), each run through the whole pipeline in-process.

A scenario folder holds `scenario.yaml` (description, expected top cause), `metrics/` (files for
SREO_METRICS_FILES), `topology.yaml` (SREO_TOPOLOGY_FILE) and `alert.json` (an Alertmanager v4 webhook). The
orchestrator starts on a fresh store (SQLite and PostgreSQL), the alert is posted, and the stored report's top
cause must be the expected one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from support.orchestrator import orchestrators

HERE = Path(__file__).resolve().parent
SCENARIOS = sorted(p.name for p in HERE.glob("metrics-*") if (p / "scenario.yaml").is_file())


def run(folder: Path, home: Path, database_url: str | None) -> dict[str, Any]:
    metrics = sorted(str(p) for p in (folder / "metrics").iterdir() if p.suffix in {".csv", ".prom", ".om"})
    topology = folder / "topology.yaml"
    with orchestrators(database_url=database_url, opensearch_url=None, prometheus_url=None, api_tokens=None,
                       correlation_deadline_s=60, agent_timeout_s=60) as start:
        orchestrator = start(home=home, metrics_files=",".join(metrics),
                             topology_file=topology if topology.is_file() else None)
        answer = orchestrator.client.post("/alerts/alertmanager", content=(folder / "alert.json").read_bytes(),
                                          headers={"content-type": "application/json"})
        assert answer.status_code == 202, answer.text
        return orchestrator.report(answer.json()["incidents"][0]["id"], timeout=90)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_top_cause(name: str, tmp_path: Path, database_url: str | None):
    folder = HERE / name
    spec = yaml.safe_load((folder / "scenario.yaml").read_text())
    report = run(folder, tmp_path / "home", database_url)
    causes = [(c["component"], c["kind"]) for c in report["causes"]]
    assert causes, report
    assert causes[0][0] == spec["expect"]["component"], causes
    if spec["expect"].get("kind"):
        assert causes[0][1] == spec["expect"]["kind"], causes
    check = EXTRA.get(name)
    if check:
        check(report)


def _short_history(report: dict[str, Any]) -> None:
    said = [item for item in report["not_judged"] if item.startswith("cart:")]
    assert said and all("not enough history" in item for item in said), report["not_judged"]
    assert not [item for item in report["healthy"] if item.startswith("cart:")], report["healthy"]
    assert "not enough history" in report_markdown(report)


def _carried_over(report: dict[str, Any]) -> None:
    top = report["causes"][0]
    onsets = [f["onset"] for f in top["evidence"] if f["subject"] == "payment" and f.get("onset")]
    assert onsets and min(onsets) >= "2025-03-04T10:00:00", onsets  # dated at its own onset
    own = [f for c in report["causes"] for f in c["evidence"] if f["subject"] == "currency"]
    for change in own:  # if listed at all, the earlier fault is context: its change is carried over, not counted
        assert change["evidence"]["carried_over"] and not change["evidence"]["metrics"], change


def _only_orders_saturated(report: dict[str, Any]) -> None:
    saturated = {f["subject"] for c in report["causes"] for f in c["evidence"] if f["kind"] == "resource_saturation"}
    assert saturated == {"orders"}, saturated


def _waiting(report: dict[str, Any]) -> None:
    top = report["causes"][0]
    assert top["kind"] == "dependency_delay", top
    assert "checkout" in top["reason"], top["reason"]


def report_markdown(report: dict[str, Any]) -> str:
    from functions.report.render import markdown

    return markdown(report)


EXTRA = {"metrics-too-little-history": _short_history, "metrics-two-faults-in-a-row": _carried_over,
         "metrics-cpu-from-60s-scrapes": _only_orders_saturated, "metrics-network-delay-in-callers": _waiting}
