"""Top-cause accuracy on the recorded scenarios (tests/scenarios/), through the product: each scenario is replayed
into an in-process orchestrator on a fresh embedded store, exactly as the scenario tests do, and the stored
report's first cause is scored. Beside it, the naive baseline measured in the same run: blame the workload the
alert or the question names (as triage reads it).

    python bench/scenarios.py [--only NAME ...] [--group GROUP ...] [--verbose]

A scenario's `group` (scenario.yaml; default `dev`) says when it was written: `dev` ones were written alongside
the rules, `heldout-*` ones before any change they led to. Each group's figures are printed on a line of its own.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

from support.scenarios import Scenario, discover, scenario_runner

# how triage read the affected service before it knew kube-prometheus' label shapes: the first of these labels
LABEL_ORDER_BEFORE = ("service", "app", "app_kubernetes_io_name", "deployment", "job", "container")


def first_label_service(scenario: Scenario) -> str | None:
    """The label-order baseline: the service the alert's first matching label names (a question: its service)."""
    alert = scenario.folder / "alert.json"
    if not alert.is_file():
        return (scenario.report or {}).get("service")
    webhook = json.loads(alert.read_text(encoding="utf-8"))
    labels = {**webhook.get("commonLabels", {}), **webhook["alerts"][0]["labels"]}
    return next((labels[key] for key in LABEL_ORDER_BEFORE if labels.get(key)), None)


def group_of(scenario: Scenario) -> str:
    return str(scenario.spec.get("group") or "dev")


def tally_line(label: str, rows: list[tuple[bool, bool, bool, bool]]) -> str:
    total = len(rows)
    product, component, baseline, labels = (sum(row[i] for row in rows) for i in range(4))
    return (f"{label} {total}  product top-1 {product}/{total} = {product / total:.2f} "
            f"(component only {component}/{total} = {component / total:.2f})  "
            f"baseline (blame what the alert/question names) {baseline}/{total} = {baseline / total:.2f}  "
            f"first-label baseline {labels}/{total} = {labels / total:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="scenario folder names to run (default: all)")
    parser.add_argument("--group", nargs="*", default=None, help="scenario groups to run (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print the top three causes of each scenario")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    scenarios = [s for s in discover() if (not args.only or s.name in args.only)
                 and (not args.group or group_of(s) in args.group)]
    if not scenarios:
        print("no scenarios found", file=sys.stderr)
        return 1
    rows: dict[str, list[tuple[bool, bool, bool, bool]]] = {}
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, scenario_runner(None) as run:
        for n, scenario in enumerate(scenarios):
            started = time.perf_counter()
            outcome = run(scenario, Path(tmp) / f"s{n}")
            seconds.append(time.perf_counter() - started)
            rows.setdefault(group_of(scenario), []).append((
                outcome.right(), bool(outcome.top and outcome.top["component"] == scenario.expect_component),
                outcome.baseline_right(), first_label_service(scenario) == scenario.expect_component))
            top = outcome.top
            got = f"{top['component']} ({top['kind']})" if top else "no cause"
            expected = scenario.expect_component + (f" ({scenario.expect_kind})" if scenario.expect_kind else "")
            print(f"{'ok ' if outcome.right() else 'MISS'} {scenario.name:42} expected {expected:45} got {got:45} "
                  f"baseline {outcome.incident_service or '-'}")
            if args.verbose:
                for cause in outcome.report.get("causes", [])[:3]:
                    print(f"       {cause['component']:20} {cause['kind']:26} {cause['score']:.3f} {cause['reason'][:120]}")
    if len(rows) > 1:
        for group in sorted(rows):
            print(tally_line(f"group {group}: scenarios", rows[group]))
    print(tally_line("scenarios", [row for group in rows.values() for row in group])
          + f"  median s/scenario {sorted(seconds)[len(seconds) // 2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
