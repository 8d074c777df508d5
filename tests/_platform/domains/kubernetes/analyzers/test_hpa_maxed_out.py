"""hpa_maxed_out: an HPA pinned at maxReplicas (ScalingLimited=True, TooManyReplicas) while a metric is still above
its target is a capacity finding on the workload it scales; at its maximum but below target, or short of its
maximum, it is not."""

from __future__ import annotations

from pathlib import Path

from kube_snapshots import found
from support.kube_cluster import healthy_cluster, hpa

from functions._platform.analyzers.kinds import lookup
from functions._platform.domains.kubernetes.analyzers.autoscalers import metric_readings, quantity
from functions._platform.domains.kubernetes.analyzers.hpa_maxed_out import HpaMaxedOutAnalyzer
from functions.correlate.causes import causal_rank
from functions.report.actions import suggest
from sreo_events.models import Finding

TOO_MANY = "the desired replica count is more than the maximum replica count"
PINNED = {"ScalingLimited": ("True", "TooManyReplicas", TOO_MANY)}


def _with(*autoscalers: dict) -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["horizontalpodautoscalers"] = list(autoscalers)
    return cluster


def test_an_hpa_at_its_maximum_and_above_target_is_a_warning_on_the_workload_it_scales(tmp_path: Path) -> None:
    pinned = hpa("checkout-autoscaler", "checkout", current=6, maximum=6, cpu=(70, 194), conditions=PINNED, since=8)
    (finding,) = found(HpaMaxedOutAnalyzer(), _with(pinned), tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == ("hpa_maxed_out", "checkout", "warning")
    evidence = finding.evidence
    assert evidence["hpa"] == "checkout-autoscaler" and evidence["scale_target"] == "Deployment/checkout"
    assert (evidence["current_replicas"], evidence["max_replicas"]) == (6, 6)
    assert evidence["metrics"] == ["cpu utilization 194% (target 70%)"]
    assert evidence["wanted_replicas"] == 17  # ceil(6 x 194 / 70), as the HPA's own rule asks
    assert evidence["condition"].startswith("ScalingLimited=True TooManyReplicas")
    assert "maxReplicas 6" in finding.summary and "snapshot:horizontalpodautoscalers" in finding.query
    assert finding.onset is not None and evidence["persists"] is True


def test_its_actions_follow_the_evidence(tmp_path: Path) -> None:
    pinned = hpa("checkout-autoscaler", "checkout", current=6, maximum=6, cpu=(70, 194), conditions=PINNED)
    (finding,) = found(HpaMaxedOutAnalyzer(), _with(pinned), tmp_path)
    actions = {action.id.split("-checkout")[0]: action for action in suggest([finding], "shop")}
    assert actions["describe-hpa"].command == "kubectl describe hpa checkout-autoscaler -n shop"
    raise_max = actions["raise-max-replicas"]
    assert raise_max.command == ("kubectl patch hpa checkout-autoscaler -n shop --type merge -p "
                                 "'{\"spec\":{\"maxReplicas\":17}}'")
    assert raise_max.requires_approval and "from 6 towards the 17" in raise_max.title
    assert "find-saturation" in actions


def test_a_capacity_symptom_never_outranks_a_cause() -> None:
    kind = lookup("hpa_maxed_out")
    assert kind is not None and kind.runbook_alerts == ("KubeHpaMaxedOut",) and not kind.is_change

    def of(kind_name: str) -> Finding:
        return Finding(kind=kind_name, subject="checkout", severity="warning", score=0.6, summary="x")

    assert causal_rank(of("hpa_maxed_out")) > causal_rank(of("pod_oomkilled"))
    assert causal_rank(of("hpa_maxed_out")) > causal_rank(of("container_log_error"))


def test_at_its_maximum_but_below_target_is_not_maxed_out_evidence(tmp_path: Path) -> None:
    settled = hpa("checkout", "checkout", current=6, maximum=6, cpu=(70, 55), conditions=PINNED)
    unread = hpa("payments", "payments", current=4, maximum=4, cpu=(70, None), conditions=PINNED)
    assert found(HpaMaxedOutAnalyzer(), _with(settled, unread), tmp_path) == []


def test_short_of_its_maximum_or_not_limited_is_nothing(tmp_path: Path) -> None:
    climbing = hpa("checkout", "checkout", current=4, maximum=6, cpu=(70, 150), conditions=PINNED)
    unlimited = hpa("payments", "payments", current=6, maximum=6, cpu=(70, 150))
    assert found(HpaMaxedOutAnalyzer(), _with(climbing, unlimited), tmp_path) == []
    assert found(HpaMaxedOutAnalyzer(), healthy_cluster(), tmp_path) == []


def test_average_values_and_external_metrics_are_read_against_their_targets() -> None:
    queue = {"type": "External", "external": {"metric": {"name": "s0-rabbitmq-orders"},
                                              "target": {"type": "AverageValue", "averageValue": "20"}}}
    autoscaler = hpa("keda-hpa-worker", "worker", current=20, maximum=20, cpu=None, metrics=[queue],
                     conditions=PINNED)
    autoscaler["status"]["currentMetrics"] = [{"type": "External", "external": {
        "metric": {"name": "s0-rabbitmq-orders"}, "current": {"averageValue": "45500m"}}}]
    (reading,) = metric_readings(autoscaler)
    assert reading.above_target and reading.current == 45.5
    assert reading.describe() == "s0-rabbitmq-orders average 45500m (target 20)"
    assert (quantity("972m"), quantity("1Gi"), quantity(70), quantity("x")) == (0.972, 2.0 ** 30, 70.0, None)
