"""pull_secret_not_refreshed: the registry refuses checkout's pull secret, and the CronJob whose script renews that
secret has failed its last run; the finding is on the CronJob, with checkout as its blocked caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import found
from support.kube_cluster import container_spec, event, healthy_cluster, meta, pod, ts

from functions._platform.domains.kubernetes.analyzers.pull_secret_writer import PullSecretWriterAnalyzer

IMAGE = "381492204117.dkr.ecr.eu-central-1.amazonaws.com/checkout:1.1"
REFUSED = (f'Failed to pull image "{IMAGE}": failed to resolve reference "{IMAGE}": unexpected status from HEAD '
           "request to https://381492204117.dkr.ecr.eu-central-1.amazonaws.com/v2/checkout/manifests/1.1: 403 Forbidden")
SCRIPT = "TOKEN=$(aws ecr get-login-password)\nkubectl create secret docker-registry ecr-pull --docker-password=$TOKEN\n"


def _cluster(message: str = REFUSED, last_run_failed: bool = True) -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    stuck = pod("checkout", "eee555", "s1", IMAGE, waiting={"reason": "ImagePullBackOff", "message": "Back-off"})
    stuck["spec"]["imagePullSecrets"] = [{"name": "ecr-pull"}]
    objects["pods"].append(stuck)
    objects["events"].append(event("Pod", "checkout-eee555-s1", "Failed", message, at=3, count=9))
    template = {"spec": {"containers": [container_spec("refresher", "bitnami/kubectl-aws:1.30")],
                         "volumes": [{"name": "scripts", "configMap": {"name": "refresher-script"}}]}}
    objects["cronjobs"] = [{"kind": "CronJob", "apiVersion": "batch/v1", "metadata": meta("ecr-refresher"),
                            "spec": {"schedule": "0 */8 * * *", "jobTemplate": {"spec": {"template": template}}}}]
    failed = {"failed": 3, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                           "lastTransitionTime": ts(-390)}]}
    status = {"startTime": ts(-400), **(failed if last_run_failed else {"succeeded": 1})}
    objects["jobs"] = [{"kind": "Job", "apiVersion": "batch/v1",
                        "metadata": meta("ecr-refresher-29632800", ownerReferences=[
                            {"kind": "CronJob", "name": "ecr-refresher", "controller": True}]),
                        "spec": {"template": template}, "status": status}]
    objects["configmaps"].append({"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("refresher-script"),
                                  "data": {"refresh.sh": SCRIPT}})
    return cluster


def test_the_failing_writer_of_a_refused_pull_secret_is_blamed(tmp_path: Path) -> None:
    (finding,) = found(PullSecretWriterAnalyzer(), _cluster(), tmp_path)
    assert (finding.subject, finding.severity) == ("ecr-refresher", "critical")
    assert finding.evidence["secrets"] == ["ecr-pull"] and finding.evidence["blocked_callers"] == ["checkout"]
    assert finding.evidence["job"] == "ecr-refresher-29632800"


def test_a_missing_tag_or_a_writer_that_succeeds_is_not(tmp_path: Path) -> None:
    missing = REFUSED.replace("403 Forbidden", "404 Not Found")
    assert found(PullSecretWriterAnalyzer(), _cluster(message=missing), tmp_path / "tag") == []
    assert found(PullSecretWriterAnalyzer(), _cluster(last_run_failed=False), tmp_path / "ok") == []
