from __future__ import annotations

import pytest

from functions._local.slo import SpecError, generate

from .specs import CHECKOUT_EVENTS


def with_plugins(chain: str, group_chain: str = "") -> str:
    spec = CHECKOUT_EVENTS.replace("    sli:\n", f"    plugins:\n{chain}    sli:\n", 1)
    if group_chain:
        spec = spec.replace("slos:\n", f"slo_plugins:\n{group_chain}slos:\n", 1)
    return spec


def named(spec: str) -> dict[str, dict]:
    doc = generate(spec)[0]
    return {g["name"]: g for g in doc["groups"]}


def test_info_labels_plugin_labels_only_the_info_series():
    spec = with_plugins("      chain:\n        - id: sloth.dev/contrib/info_labels/v1\n"
                        "          config: {labels: {dashboard: checkout-slo}}\n")
    meta = named(spec)["sloth-slo-meta-recordings-checkout-http-availability"]["rules"]
    labelled = [r["record"] for r in meta if r["labels"].get("dashboard") == "checkout-slo"]
    assert labelled == ["sloth_slo_info"]


def test_rule_intervals_plugin_sets_group_intervals():
    spec = with_plugins("      chain:\n        - id: sloth.dev/contrib/rule_intervals/v1\n"
                        "          config: {interval: {default: 1m, alert: 30s}}\n")
    groups = named(spec)
    assert groups["sloth-slo-sli-recordings-checkout-http-availability"]["interval"] == "1m"
    assert groups["sloth-slo-alerts-checkout-http-availability"]["interval"] == "30s"


def test_denominator_corrected_plugin_weights_windows_by_traffic():
    spec = with_plugins("      chain:\n        - id: sloth.dev/contrib/denominator_corrected_rules/v1\n")
    groups = named(spec)
    five = groups["sloth-slo-sli-recordings-checkout-http-availability"]["rules"][0]["expr"]
    assert five.startswith("(\nslo:numerator_correction:ratio5m{") and "* on()" in five
    records = [r["record"] for r in groups["sloth-slo-meta-recordings-checkout-http-availability"]["rules"]]
    assert "slo:numerator_correction:ratio1h" in records and "slo:numerator_correction:ratio30d" not in records


def test_negative_priority_runs_before_the_defaults():
    # info labels before the metadata plugin find no info series yet, so nothing is labelled
    spec = with_plugins("      chain:\n        - id: sloth.dev/contrib/info_labels/v1\n          priority: -1\n"
                        "          config: {labels: {dashboard: x}}\n")
    meta = named(spec)["sloth-slo-meta-recordings-checkout-http-availability"]["rules"]
    assert not any("dashboard" in r["labels"] for r in meta)


def test_override_previous_replaces_the_default_chain():
    spec = with_plugins("      chain:\n        - id: sloth.dev/core/sli_rules/v1\n",
                        group_chain="  overridePrevious: true\n  chain: []\n")
    assert list(named(spec)) == ["sloth-slo-sli-recordings-checkout-http-availability"]


def test_disable_optimized_period_sli_uses_the_raw_queries():
    spec = with_plugins("      chain:\n        - id: sloth.dev/core/sli_rules/v1\n"
                        "          config: {disableOptimized: true}\n",
                        group_chain="  overridePrevious: true\n  chain: []\n")
    period = named(spec)["sloth-slo-sli-recordings-checkout-http-availability"]["rules"][-1]["expr"]
    assert "[30d]" in period and "sum_over_time" not in period


def test_unknown_plugin_is_reported():
    with pytest.raises(SpecError, match="unknown SLO plugin 'example.com/nope'"):
        generate(with_plugins("      chain:\n        - id: example.com/nope\n"))
