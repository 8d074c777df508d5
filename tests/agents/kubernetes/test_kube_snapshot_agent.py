"""The kubernetes agent over offline snapshots: one broken snapshot per failure kind, and a healthy one."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, investigation, write_snapshot
from support.kube_scenarios import SCENARIOS, Scenario

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence
from sreo_events.models import EvidenceCollected, Finding


def run(root: Path, tmp_path: Path, service: str | None = None, namespace: str | None = "shop") -> EvidenceCollected:
    return collect_evidence(investigation(service, namespace), Settings(kube_snapshot=root, home=tmp_path))


def describe(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind, f.subject) for f in findings]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_broken_snapshot_yields_its_finding(scenario: Scenario, tmp_path: Path) -> None:
    root = write_snapshot(scenario.cluster(), tmp_path / "snapshot")
    evidence = run(root, tmp_path, service=scenario.service)
    assert evidence.status == "success", evidence.error
    matching = [f for f in evidence.findings if f.kind == scenario.kind and f.subject == scenario.subject]
    assert matching, f"no {scenario.kind} on {scenario.subject}; got {describe(evidence.findings)}"
    finding = matching[0]
    for key, expected in scenario.evidence.items():
        assert finding.evidence.get(key) == expected, (key, finding.evidence)
    assert finding.window is not None and finding.baseline is not None
    assert finding.baseline.end == finding.window.start
    assert finding.query.startswith(("list_", "get_logs"))
    assert 0 < finding.score <= 1


def test_healthy_snapshot_yields_no_findings_and_lists_what_was_checked(tmp_path: Path) -> None:
    root = write_snapshot(healthy_cluster(), tmp_path / "snapshot")
    evidence = run(root, tmp_path, service="checkout")
    assert evidence.status == "success"
    assert evidence.findings == []
    for check in ("deployment/checkout: 2/2 ready", "service/payments: 2 ready endpoint(s)",
                  "node/node-1: Ready, no pressure", "pvc/orders-data: Bound"):
        assert check in evidence.checked


def test_the_failing_cause_outranks_its_symptoms(tmp_path: Path) -> None:
    crash = next(s for s in SCENARIOS if s.name == "crashloop")
    evidence = run(write_snapshot(crash.cluster(), tmp_path / "snapshot"), tmp_path)
    kinds = describe(evidence.findings)
    assert ("pod_crashloop", "payments") in kinds and ("deployment_unavailable", "payments") in kinds
    assert ("service_no_endpoints", "payments") in kinds
    assert all(f.subject == "payments" for f in evidence.findings), kinds


def test_no_source_configured_answers_no_data(tmp_path: Path) -> None:
    evidence = collect_evidence(investigation(), Settings(home=tmp_path))
    assert evidence.status == "no_data"


def test_unreadable_snapshot_is_an_error_with_the_failed_call(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    evidence = run(tmp_path / "broken.json", tmp_path)
    assert evidence.status == "error"
    assert evidence.failed_query is not None and evidence.failed_query.startswith("list_pods(")
