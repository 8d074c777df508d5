"""The orchestrator's own rules: fresh, valid, unit-tested with promtool, each alert with a runbook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from functions._local.commands.slo import app

from .conftest import MONITORING_DIR, PROMTOOL_TESTS_DIR, REPO_ROOT, RUNBOOKS_DIR, require_binary

RULE_FILE = MONITORING_DIR / "prometheusrule.yaml"
RUNBOOK_SECTIONS = ("## Meaning", "## Impact", "## Diagnosis", "## Mitigation")


def prometheus_rule() -> dict:
    return yaml.safe_load(RULE_FILE.read_text())


def alert_rules() -> list[dict]:
    return [rule for group in prometheus_rule()["spec"]["groups"] for rule in group["rules"] if "alert" in rule]


def write_rule_file(directory: Path) -> Path:
    path = directory / "sreo-rules.yaml"
    path.write_text(yaml.safe_dump({"groups": prometheus_rule()["spec"]["groups"]}, sort_keys=False))
    return path


def test_component_ships_one_prometheus_rule():
    kustomization = yaml.safe_load((MONITORING_DIR / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Component"
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1alpha1"
    assert kustomization["resources"] == ["prometheusrule.yaml"]
    rule = prometheus_rule()
    assert (rule["apiVersion"], rule["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")


def test_rules_cover_the_orchestrator_slos_and_operational_alerts():
    names = {rule["alert"] for rule in alert_rules()}
    assert names == {"SreoTriageAvailabilityBudgetBurn", "SreoReportLatencyBudgetBurn",
                     "SreoDeadLettersIncreasing", "SreoAgentErrorRateHigh"}
    spec = yaml.safe_load((MONITORING_DIR / "slo.yaml").read_text())
    assert {slo["name"] for slo in spec["slos"]} == {"triage-availability", "report-latency"}


def test_prometheus_rule_is_regenerated_from_its_sources(tmp_path):
    out = tmp_path / "prometheusrule.yaml"
    result = CliRunner().invoke(app, [
        "generate", str(MONITORING_DIR / "slo.yaml"), "--prometheus-rule", prometheus_rule()["metadata"]["name"],
        "--include-rules", str(MONITORING_DIR / "extra-rules.yaml"), "-o", str(out),
    ])
    assert result.exit_code == 0, result.output
    assert out.read_text() == RULE_FILE.read_text(), (
        "prometheusrule.yaml is stale; regenerate it with the command in kustomize/components/monitoring/README.md")


@pytest.mark.parametrize("alert", sorted({rule["alert"] for rule in alert_rules()}))
def test_every_alert_has_a_complete_runbook(alert):
    urls = {rule["annotations"].get("runbook_url") for rule in alert_rules() if rule["alert"] == alert}
    assert urls == {f"runbooks/sreo/{alert}.md"}
    path = REPO_ROOT / f"runbooks/sreo/{alert}.md"
    assert path.is_file(), f"missing runbook {path}"
    text = path.read_text()
    front = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert front, "runbook needs YAML front matter"
    meta = yaml.safe_load(front.group(1))
    assert meta["alert"] == alert and meta["component"] == "sreo" and meta["title"]
    for section in RUNBOOK_SECTIONS:
        body = text.split(section + "\n", 1)
        assert len(body) == 2, f"{path.name} lacks {section}"
        assert body[1].split("\n## ", 1)[0].strip(), f"{path.name}: {section} is empty"


def test_no_runbook_without_an_alert():
    alerts = {rule["alert"] for rule in alert_rules()}
    assert {p.stem for p in RUNBOOKS_DIR.glob("*.md")} <= alerts


def test_promtool_accepts_the_rules(tmp_path, promtool):
    result = subprocess.run([promtool, "check", "rules", str(write_rule_file(tmp_path))],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 36 rules found" in result.stdout


@pytest.mark.parametrize("test_file", sorted(p.name for p in PROMTOOL_TESTS_DIR.glob("*.yaml")))
def test_promtool_unit_tests(tmp_path, promtool, test_file):
    write_rule_file(tmp_path)
    shutil.copy(PROMTOOL_TESTS_DIR / test_file, tmp_path / test_file)
    result = subprocess.run([promtool, "test", "rules", test_file], cwd=tmp_path, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_component_builds_inside_a_kustomization(tmp_path):
    kubectl = require_binary("kubectl")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "namespace": "sreo", "components": [os.path.relpath(MONITORING_DIR, overlay)],
    }))
    result = subprocess.run([kubectl, "kustomize", str(overlay), "--load-restrictor", "LoadRestrictionsNone"],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    built = yaml.safe_load(result.stdout)
    assert built["kind"] == "PrometheusRule" and built["metadata"]["namespace"] == "sreo"
