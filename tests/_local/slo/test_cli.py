from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from support.paths import REPO_ROOT
from typer.testing import CliRunner

from functions._local.commands.slo import app

from .specs import CHECKOUT_EVENTS, KUBERNETES_CRD, NO_ALERTS, OPENSLO, QUEUE_RAW

EXAMPLE_PLUGINS = REPO_ROOT / "functions/_local/slo/examples/sli_plugins"
PLUGIN_SPEC = """
version: prometheus/v1
service: shop
labels: {owner: web, tier: "2"}
slos:
  - name: availability
    objective: 99
    sli:
      plugin:
        id: getting_started_availability
        options: {job: shop, filter: 'env="prod"'}
    alerting:
      name: ShopAvailability
"""


def run(tmp_path: Path, spec: str, *args: str):
    path = tmp_path / "spec.yaml"
    path.write_text(spec)
    return CliRunner().invoke(app, ["generate", str(path), *args])


def rules_of(text: str) -> list[dict]:
    docs = [d for d in yaml.safe_load_all(text) if d]
    return [r for d in docs for g in (d.get("spec") or d)["groups"] for r in g["rules"]]


def test_generate_to_stdout(tmp_path):
    result = run(tmp_path, CHECKOUT_EVENTS)
    assert result.exit_code == 0, result.output
    assert len(rules_of(result.stdout)) == 8 + 7 + 2


def test_generate_to_file_with_flags(tmp_path):
    out = tmp_path / "rules.yaml"
    result = run(tmp_path, CHECKOUT_EVENTS, "-o", str(out), "--period", "28d", "--no-alerts",
                 "--label", "env=prod", "--label", "region=eu")
    assert result.exit_code == 0, result.output
    rules = rules_of(out.read_text())
    assert all("alert" not in r for r in rules)
    assert {r["labels"]["env"] for r in rules} == {"prod"} and {r["labels"]["region"] for r in rules} == {"eu"}
    assert any(r["record"] == "slo:sli_error:ratio_rate4w" for r in rules)


def test_no_recordings_leaves_alerts(tmp_path):
    result = run(tmp_path, CHECKOUT_EVENTS, "--no-recordings")
    assert {r.get("alert") for r in rules_of(result.stdout)} == {"CheckoutAvailability"}


@pytest.mark.parametrize(
    ("spec", "args", "message"),
    [
        (CHECKOUT_EVENTS.replace("objective: 99.9", "objective: high"), (), "objective"),
        (CHECKOUT_EVENTS, ("--label", "no-equals-sign"), "KEY=VALUE"),
        (CHECKOUT_EVENTS, ("--label", "bad-name=x"), "invalid label name"),
        (CHECKOUT_EVENTS, ("--period", "3 weeks"), "invalid duration"),
        (CHECKOUT_EVENTS, ("--period", "90d"), "no alert windows"),
        (PLUGIN_SPEC, (), "unknown SLI plugin"),
        (CHECKOUT_EVENTS, ("--include-rules", "x.yaml"), "needs --prometheus-rule"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, spec, args, message):
    result = run(tmp_path, spec, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_sli_plugin_directory(tmp_path):
    result = run(tmp_path, PLUGIN_SPEC, "-p", str(EXAMPLE_PLUGINS))
    assert result.exit_code == 0, result.output
    five = rules_of(result.stdout)[0]
    assert 'env="prod",job="shop",code=~"(5..|429)"' in five["expr"] and "[5m]" in five["expr"]


def test_custom_windows_catalog(tmp_path):
    catalog = tmp_path / "windows"
    catalog.mkdir()
    (catalog / "14d.yaml").write_text(
        "apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec:\n  sloPeriod: 14d\n"
        "  page:\n    quick: {errorBudgetPercent: 5, shortWindow: 5m, longWindow: 1h}\n"
        "    slow: {errorBudgetPercent: 10, shortWindow: 30m, longWindow: 6h}\n"
        "  ticket:\n    quick: {errorBudgetPercent: 20, shortWindow: 2h, longWindow: 1d}\n"
        "    slow: {errorBudgetPercent: 20, shortWindow: 6h, longWindow: 3d}\n")
    result = run(tmp_path, CHECKOUT_EVENTS, "--windows-path", str(catalog), "--period", "14d")
    assert result.exit_code == 0, result.output
    page = next(r for r in rules_of(result.stdout) if r.get("labels", {}).get("sloth_severity") == "page")
    assert "(16.8 * " in page["expr"]
    assert run(tmp_path, CHECKOUT_EVENTS, "--windows-path", str(catalog)).exit_code == 2


@pytest.mark.parametrize("spec", [CHECKOUT_EVENTS, QUEUE_RAW, NO_ALERTS, KUBERNETES_CRD, OPENSLO, PLUGIN_SPEC])
@pytest.mark.parametrize("period", ["30d", "28d", "7d"])
def test_promtool_accepts_generated_rules(tmp_path, promtool, spec, period):
    result = run(tmp_path, spec, "--period", period, "-p", str(EXAMPLE_PLUGINS))
    assert result.exit_code == 0, result.output
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    rule_file = tmp_path / "rules.yaml"
    rule_file.write_text(yaml.safe_dump({"groups": [g for d in docs for g in (d.get("spec") or d)["groups"]]}))
    check = subprocess.run([promtool, "check", "rules", str(rule_file)], check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
