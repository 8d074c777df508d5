"""The bundled demo scenario (a payments rollout that crash-loops) through the real pipeline."""

from __future__ import annotations

from pathlib import Path

from e2e_harness import ScenarioSources

from functions._local.demo import scenario


def test_demo_scenario_ranks_the_crashlooping_rollout_first(tmp_path: Path, run_scenario):
    written = scenario.write(tmp_path / "demo")
    run = run_scenario(ScenarioSources(kube_snapshot=written.snapshot, metrics_files=[written.metrics],
                                       logs=[(path, service or None) for path, service in written.logs]),
                       alert=written.alert)

    top = run.top
    assert top["component"] == scenario.ROOT_CAUSE
    assert top["kind"] in {"pod_crashloop", "deployment_unavailable", "recent_rollout", "container_log_error"}
    assert "its dependencies are healthy" in top["reason"]
    assert "explains the anomalies of checkout" in top["reason"]
    assert run.backing_domains(top) >= {"kubernetes", "logs", "metrics"}
    own_kinds = {f["kind"] for f in top["evidence"] if f["subject"] == scenario.ROOT_CAUSE}
    assert {"pod_crashloop", "recent_rollout"} <= own_kinds
    assert "checkout" in run.components()[1:3], "the symptom follows its cause"
    assert top["kind"] == "container_log_error", "the headline says what broke (the missing env var)"
    assert top["evidence"][0]["evidence"]["category"] == "missing_env_var"
    assert top["evidence"][1]["kind"] == "recent_rollout", "the rollout says when, right after the what"
    assert top["actions"][0]["id"].startswith("rollback-"), "undoing the change is still the first mitigation"
    victim_actions = [a for cause in run.report["causes"][1:] for a in cause["actions"] if "checkout" in a["id"]]
    assert not [a for a in victim_actions if a["requires_approval"]], "the victim is never restarted for it"
    assert top["score"] > run.report["causes"][1]["score"]
