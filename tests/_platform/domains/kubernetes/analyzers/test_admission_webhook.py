"""admission_webhook_failing: a create refused because the API server could not call a webhook names the
webhook's Service; other refused creates do not."""

from __future__ import annotations

from pathlib import Path

from kube_snapshots import found
from support.kube_cluster import event, healthy_cluster

from functions._platform.domains.kubernetes.analyzers.admission_webhook import (
    AdmissionWebhookAnalyzer,
    webhook_services,
)

TIMED_OUT = ('Error creating: Internal error occurred: failed calling webhook "mpod.gatekeeper.sh": failed to call '
             'webhook: Post "https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/mutate?timeout=3s": '
             'context deadline exceeded')
OUTSIDE = ('Error creating: Internal error occurred: failed calling webhook "sidecar.example.com": failed to call '
           'webhook: Post "https://hooks.example.com/inject": dial tcp 203.0.113.9:443: i/o timeout')


def _refused(message: str, at: float = 6, count: int = 9) -> dict:
    cluster = healthy_cluster()
    cluster["objects"]["events"].append(event("ReplicaSet", "checkout-aaa111", "FailedCreate", message, at=at,
                                              count=count))
    return cluster


def test_a_webhook_that_times_out_names_its_service(tmp_path: Path) -> None:
    (finding,) = found(AdmissionWebhookAnalyzer(), _refused(TIMED_OUT), tmp_path)
    assert (finding.kind, finding.subject, finding.severity) == ("admission_webhook_failing", "checkout", "critical")
    assert finding.evidence["target"] == {"gatekeeper-webhook-service.gatekeeper-system.svc:443": 9}
    assert finding.evidence["reasons"] == ["context deadline exceeded"]


def test_a_webhook_outside_the_cluster_is_named_but_lists_no_namespace(tmp_path: Path) -> None:
    (finding,) = found(AdmissionWebhookAnalyzer(), _refused(OUTSIDE), tmp_path)
    assert finding.evidence["target"] == {"hooks.example.com:443": 9}
    assert webhook_services([{"message": OUTSIDE}]) == set()
    assert webhook_services([{"message": TIMED_OUT}]) == {("gatekeeper-system", "gatekeeper-webhook-service")}


def test_a_quota_refusal_or_a_healthy_cluster_yields_nothing(tmp_path: Path) -> None:
    quota = 'Error creating: pods "checkout-aaa111-x9" is forbidden: exceeded quota: shop-compute'
    assert found(AdmissionWebhookAnalyzer(), _refused(quota), tmp_path) == []
    assert found(AdmissionWebhookAnalyzer(), healthy_cluster(), tmp_path) == []
